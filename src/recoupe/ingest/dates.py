"""Publication dates as ISO 8601 strings, whatever form the input gave them in."""

from __future__ import annotations

import email.utils
import re
from datetime import datetime, timezone

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def iso_datetime(value: object) -> str | None:
    """ISO 8601 for an ISO string, an RFC 822 date (feeds, e-mail), an epoch number or a datetime.

    A bare date stays a bare date (no invented midnight); a time keeps its
    offset when the input gave one. Anything unreadable gives None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, (int, float)):
        try:
            return _iso(datetime.fromtimestamp(value, tz=timezone.utc))
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _DATE_ONLY.match(text):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return None
        return text
    try:
        return _iso(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _iso(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
