"""The FastAPI web app: `create_app(db_path)` serves the report's pages live from the store."""

from .app import create_app

__all__ = ["create_app"]
