"""The store: SQLite tables (schema.py, numbered migrations) and the `Store` that reads and writes them."""

from .schema import MIGRATIONS, Migration, latest_version, migrate
from .sqlite import EXACT_DUPLICATE, Store, text_sha256, to_json

__all__ = ["EXACT_DUPLICATE", "MIGRATIONS", "Migration", "Store", "latest_version", "migrate", "text_sha256", "to_json"]
