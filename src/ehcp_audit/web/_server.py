"""Run the page on uvicorn: on loopback unless told otherwise, quiet, ready before the URL shows.

uvicorn runs with no access log and at log level ``warning``, so no
request (and so no file name) is ever written anywhere. The pipeline is
warmed before the socket is bound, so the URL is printed when the first
upload will be quick. Ctrl-C stops uvicorn, which re-raises it as
``KeyboardInterrupt`` once the server is down; the CLI turns that into a
clean exit.
"""

from __future__ import annotations

import ipaddress
from typing import TextIO

from starlette.types import ASGIApp

__all__ = ["ServeError", "is_loopback", "run", "url_for"]


class ServeError(Exception):
    """The server could not start (the address is in use, or cannot be had)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` only reaches this computer (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name: it may resolve to anything
        return False


def url_for(host: str, port: int) -> str:
    """The page's address, an IPv6 host in brackets."""
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run(app: ASGIApp, host: str, port: int, stdout: TextIO) -> None:
    """Bind ``host``:``port`` (0: any free port), print the URL, serve until stopped.

    Raises :class:`ServeError` when the address cannot be bound (uvicorn has
    already said why on stderr), and ``KeyboardInterrupt`` after a clean
    stop on Ctrl-C.
    """
    import uvicorn

    config = uvicorn.Config(
        app,
        host=host.strip("[]"),
        port=port,
        access_log=False,
        log_level="warning",
        server_header=False,
        date_header=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    try:
        sock = config.bind_socket()
    except SystemExit:  # uvicorn logged the OSError and asked to exit
        raise ServeError(
            f"cannot listen on {url_for(host, port)}: choose another --port, or stop whatever "
            "is using it"
        ) from None
    try:
        stdout.write(
            f"ehcp-audit serve: open {url_for(host, sock.getsockname()[1])} in a browser. "
            "Press Ctrl-C to stop.\n"
        )
        stdout.flush()
        server.run(sockets=[sock])
    finally:
        sock.close()
