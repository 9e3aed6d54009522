"""`dailydigest serve`: browse the local store's archive at http://127.0.0.1:8000/.

Read-only (GET and HEAD), only files under `<store>/archive/`, no directory listings, and bound
to loopback unless the caller explicitly allows otherwise: it is a preview, not a web server.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from pathlib import Path
from typing import Any

from dailydigest.archive.site import CONTENT_TYPES
from dailydigest.errors import ConfigError

log = logging.getLogger(__name__)


class ArchiveHandler(SimpleHTTPRequestHandler):
    """Static files from one directory; anything that resolves outside it is refused."""

    server_version = "dailydigest"
    sys_version = ""

    def do_GET(self) -> None:
        if self._inside():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._inside():
            super().do_HEAD()

    def _inside(self) -> bool:
        # translate_path already drops `..`; resolving also catches symlinks that lead out.
        base = Path(self.directory).resolve()
        target = Path(self.translate_path(self.path)).resolve()
        if target != base and not target.is_relative_to(base):
            self.send_error(HTTPStatus.NOT_FOUND)
            return False
        return True

    def guess_type(self, path: str | PathLike[str]) -> str:
        return CONTENT_TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def list_directory(self, path: str | Path) -> None:  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def build_server(
    root: Path, host: str = "127.0.0.1", port: int = 8000, *, allow_remote: bool = False
) -> ThreadingHTTPServer:
    """A server for `<root>/archive/`, not yet serving; port 0 picks a free port."""
    if not allow_remote and not _is_loopback(host):
        raise ConfigError(f"refusing to serve on {host!r}: the archive preview binds to loopback only")
    archive = (root / "archive").resolve()
    if not archive.is_dir():
        raise ConfigError(f"no archive at {archive}: run the pipeline first (dailydigest run TOPIC)")
    handler = partial(ArchiveHandler, directory=str(archive))
    server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
    server = server_class((host, port), handler)
    server.daemon_threads = True
    return server


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (Ctrl-C)."""
    server = build_server(root, host, port)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(f"serving {root / 'archive'} at http://{shown}:{bound_port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
