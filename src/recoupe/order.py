"""Publication order: the order in which the online steps take articles, in every engine.

The rule, one sort key per article: (publication timestamp, reading seq).

- A dated article's timestamp is its `published` date (ISO 8601; a date
  without a zone is UTC).
- An undated article (no `published`, or one that does not parse) takes the
  timestamp of the last dated article read before it, or -infinity when
  there is none: it stays right after its reading-order neighbour, and an
  undated corpus is taken in reading order exactly.
- Equal timestamps go by reading order.

An engine applies the rule to what it has to process: the in-process engine
to the articles a run has pending (a later run's articles come after them,
as a stream does; the key of an undated article still looks back at the
articles read by earlier runs), the Spark engine to the whole input.
`publication_keys` is the rule; everything else sorts by what it yields.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Iterator, TypeVar

NO_DATE = float("-inf")  # the timestamp of an undated article with no dated article before it

T = TypeVar("T")


def timestamp(published: str | None) -> float | None:
    """Seconds since the epoch of an ISO date, None when absent or unreadable (then reading order rules)."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except (ValueError, TypeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def publication_keys(rows: Iterable[tuple[int, str | None]], carried: float = NO_DATE) -> Iterator[tuple[float, int]]:
    """The sort key (timestamp, seq) of each (seq, published) row; rows in reading order.

    `carried` is the timestamp an undated first row takes: that of the last
    dated article read before these rows (the rows may continue a scan).
    """
    for seq, published in rows:
        when = timestamp(published)
        if when is not None:
            carried = when
        yield carried, seq


def last_dated(published: Iterable[str | None], carried: float | None = NO_DATE) -> float | None:
    """The timestamp an undated article read after these would take (dates in reading order);
    `carried` when none of them is dated."""
    for value in published:
        when = timestamp(value)
        if when is not None:
            carried = when
    return carried


def in_publication_order(items: Iterable[T], published_of) -> list[T]:
    """`items` (in reading order) sorted by `publication_keys`; `published_of(item)` gives its date."""
    items = list(items)
    keys = publication_keys((index, published_of(item)) for index, item in enumerate(items))
    return [items[index] for _, index in sorted(keys)]
