"""`serve` refuses what it cannot serve with a one-line error, before any server starts."""

from __future__ import annotations

import pytest

from recoupe.errors import InputError
from recoupe.web.server import serve


def test_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(InputError) as caught:
        serve(tmp_path / "nope.db")
    message = str(caught.value)
    assert "nope.db" in message and "no such store" in message and "\n" not in message


@pytest.mark.parametrize("port", [0, -1, 70000])
def test_a_bad_port_is_a_clear_error(tmp_path, port):
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    with pytest.raises(InputError, match="not a TCP port"):
        serve(db, port=port)
