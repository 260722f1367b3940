"""Running the web app: `recoupe serve` calls `serve`, which checks the store and starts uvicorn."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, MissingDependency


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the store at `db_path` until interrupted; loopback only unless `host` says otherwise."""
    path = Path(db_path)
    if not path.is_file():
        raise InputError(str(path), "no such store (run `recoupe run` first, or pass --db)")
    if not 0 < port < 65536:
        raise InputError(str(port), "not a TCP port")
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependency("the web UI", "web") from exc
    from .app import create_app

    uvicorn.run(create_app(path), host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
