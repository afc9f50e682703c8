"""`redline serve`: the tool as a web page, on this computer or on a server a team runs.

The web framework (Starlette, served by uvicorn; python-multipart reads uploads; Jinja2
renders the pages) is an optional extra, `pip install 'policy-redline[serve]'`, so the
command line stays small for people who never use the page.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

from ..errors import InputError

__all__ = ["run", "missing_extra"]

_NEEDED = (("starlette", "starlette"), ("uvicorn", "uvicorn"), ("python_multipart", "python-multipart"), ("jinja2", "jinja2"))


def missing_extra() -> list[str]:
    """The packages of the `serve` extra that cannot be imported here."""
    import importlib.util

    return [dist for module, dist in _NEEDED if importlib.util.find_spec(module) is None]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def can_open_browser() -> bool:
    """No browser is opened for CI, or on a Linux machine with no display (a server)."""
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made before the server starts, so a port in use is one clear
    line rather than the server's own log."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host {host}", f"is not an address of this machine ({exc})") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        why = "the port is in use: give another with --port, or --port 0 for any free one" if exc.errno in (98, 48, 10048) else (exc.strerror or str(exc))
        raise InputError(f"{host}:{port}", f"cannot listen there ({why})") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True) -> None:
    """Serve the pages until Ctrl-C: print the address, and open it in the browser."""
    missing = missing_extra()
    if missing:
        raise InputError("serve", f"the web page needs {', '.join(missing)}: pip install 'policy-redline[serve]'")
    import threading
    import webbrowser

    import click
    import uvicorn

    from .app import Settings, create_app

    sock = _listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{bound}/"
    local = is_loopback(host)
    # (Starlette compares the Host header's part before the first colon: IPv6 is left open.)
    allowed = ("127.0.0.1", "localhost") if local and ":" not in host else None
    app = create_app(Settings(allowed_hosts=allowed))
    click.echo(f"policy-redline is running at {url} (press Ctrl-C to stop)")
    if not local:
        click.echo(f"warning: serving on {host}: anyone who can reach this machine on port {bound} can upload files to it", err=True)
    if open_browser and can_open_browser():
        threading.Timer(0.8, lambda: webbrowser.open(url)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="off")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
