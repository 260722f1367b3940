"""Running the web app: `recoupe serve` calls `serve`, which checks the store and the address and starts uvicorn.

On loopback (the default, 127.0.0.1) the app answers this machine only, and
only requests addressed to a loopback name. Any other address exposes the
store to the network, so it takes a choice: a token every reader must give
(`token`), or `public=True`, which says the UI is meant for anyone (it is
read-only either way).
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

from ..errors import ConfigError, InputError, MissingDependency
from .guard import LOOPBACK_HOSTS, MAX_HEADER_BYTES

MIN_TOKEN_CHARS = 16


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None, public: bool) -> list[str] | None:
    """The host names requests may use (None: any), or ConfigError when binding `host` is not allowed so."""
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"the token must have at least {MIN_TOKEN_CHARS} characters "
                          f"(for example {secrets.token_urlsafe(24)})")
    if token is not None and public:
        raise ConfigError("--token and --public contradict each other: a public UI asks no token")
    if is_loopback(host):
        return sorted({*LOOPBACK_HOSTS, host.strip("[]").lower()})
    if token is None and not public:
        raise ConfigError(f"serving on {host} opens the store to other machines: give --token TOKEN "
                          "(readers must present it) or --public (a public, read-only UI)")
    return None


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          public: bool = False) -> None:
    """Serve the store at `db_path` until interrupted; loopback only unless `host` says otherwise."""
    path = Path(db_path)
    if not path.is_file():
        raise InputError(str(path), "no such store (run `recoupe run` first, or pass --db)")
    if not 0 < port < 65536:
        raise InputError(str(port), "not a TCP port")
    allowed_hosts = check_binding(host, token, public)
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependency("the web UI", "web") from exc
    from .app import create_app

    app = create_app(path, token=token, allowed_hosts=allowed_hosts)
    if token is not None:
        shown = f"[{host}]" if ":" in host else host
        print(f"recoupe: open http://{shown}:{port}/?token={token}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False,
                http="h11", h11_max_incomplete_event_size=MAX_HEADER_BYTES)
