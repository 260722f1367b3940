"""The JSON API against its own OpenAPI schema, with schemathesis: every operation, generated parameters.

Schemathesis reads /openapi.json from the app and sends requests built from
it (valid and invalid query values, any path ids); every answer must be no
server error and must match what the schema promises (status codes, content
types, response shapes, headers). The store behind it holds real text,
stories with every section, and articles whose ids and titles are hostile.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from recoupe.web import create_app
from recoupe.web.guard import SECURITY_HEADERS
from store_builder import build_store

EXAMPLES = 150


def _app():
    """The app over a store built for this module (at import: schemathesis reads the schema when tests are collected)."""
    path = Path(tempfile.mkdtemp(prefix="recoupe-api-")) / "api.db"
    hostile = ['<script>alert(1)</script>', "id with spaces/and/slashes", "é%2F..%2F", "\u202eevil"]
    build_store(path, articles=16, per_story=4, titles=hostile).close()
    return path, create_app(path)


STORE, APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def remove_store():
    yield
    shutil.rmtree(STORE.parent, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      ])
def test_the_api_keeps_to_its_schema(case):
    response = case.call_and_validate()
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name.lower(), [None])[0] == value or response.headers.get(name) == value
