"""serve's HTTP endpoints: `/metrics`, `/healthz`, `/readyz`, `/audit`.

Why this server: the standard library's `wsgiref` server, threaded (prometheus_client's own `ThreadingWSGIServer`),
with `prometheus_client.make_wsgi_app` mounted at `/metrics`. prometheus_client's `start_http_server` serves the
metrics on every path, leaving no room for the health endpoints or `/audit`; its WSGI app composes, and keeps
what a scrape needs from a kept library (content negotiation for OpenMetrics, gzip, `name[]` filters). aiohttp
(which the kubernetes client pulls in) would bring an event loop and its import for four GET endpoints that only
read a snapshot (the cycles run in processes of their own, serve/worker.py), and the standard library's server
needs no dependency at all. One thread per
request (daemon threads: a slow client never holds up a scrape or the shutdown), and `TCP_NODELAY` on the socket:
without it the response headers and body go out as two small writes and Nagle's algorithm with delayed ACKs adds
~40 ms to every scrape.

- `/metrics`: the latest snapshot (metrics.Collector); never starts a cycle.
- `/healthz`: 200 `ok`, unless a cycle has run past its deadline (`--request-timeout`) plus a grace period: 503,
  so a liveness probe restarts a process stuck in a call no timeout reaches.
- `/readyz`: 200 once a cycle has succeeded, 503 before.
- `/audit`: the latest successful cycle's `Audit` document as JSON (503 before the first one), gzip-encoded for a
  client that accepts it (it is kept compressed: state.AuditJson).
"""

from __future__ import annotations

import socket
import socketserver
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from kubectl_ovn_lsp.serve.state import State

STUCK_GRACE = 60.0  # seconds past a cycle's deadline before /healthz reports it stuck

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class _Quiet(WSGIRequestHandler):
    """No access log (a scrape every 15 s would drown the cycle lines)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the stdlib's parameter name
        return None


def application(state: State, registry: object, grace: float = STUCK_GRACE) -> Callable[..., Iterable[bytes]]:
    """The WSGI application of the four endpoints."""
    from prometheus_client import make_wsgi_app

    metrics = make_wsgi_app(registry)  # type: ignore[arg-type]

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics(environ, start_response)  # type: ignore[no-any-return]
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", b"only GET\n", [("Allow", "GET, HEAD")])
        if path == "/healthz":
            stuck = state.stuck_for(time.monotonic(), grace)
            if stuck:
                return _answer(
                    start_response, "503 Service Unavailable", f"cycle stuck {stuck:.0f}s past its deadline\n".encode()
                )
            return _answer(start_response, "200 OK", b"ok\n")
        if path == "/readyz":
            if state.ready:
                return _answer(start_response, "200 OK", b"ok\n")
            why = state.snapshot.last_error or "the first cycle has not finished"
            return _answer(start_response, "503 Service Unavailable", f"not ready: {why}\n".encode())
        if path == "/audit":
            document = state.snapshot.document
            if document is None:
                return _answer(
                    start_response, "503 Service Unavailable", b'{"error":"no successful cycle yet"}\n', json=True
                )
            vary = ("Vary", "Accept-Encoding")
            if _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
                return _answer(start_response, "200 OK", document.gzip, [("Content-Encoding", "gzip"), vary], json=True)
            headers = [("Content-Type", "application/json"), ("Content-Length", str(document.size)), vary]
            start_response("200 OK", headers)
            return document.chunks()
        return _answer(start_response, "404 Not Found", b"not found: /metrics, /healthz, /readyz, /audit\n")

    return app


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header (RFC 9110 §12.5.3) accepts gzip: its q-value, else that of `*`, above 0
    (prometheus_client's own test, `'gzip' in header`, takes `gzip;q=0` for a yes)."""
    quality: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[name.strip().lower()] = q
    for name in ("gzip", "x-gzip", "*"):
        if name in quality:
            return quality[name] > 0
    return False


def _answer(
    start_response: StartResponse,
    status: str,
    body: bytes,
    headers: list[tuple[str, str]] | None = None,
    *,
    json: bool = False,
) -> list[bytes]:
    kind = "application/json" if json else "text/plain; charset=utf-8"
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))), *(headers or [])])
    return [body]


def serve_http(host: str, port: int, app: Callable[..., Iterable[bytes]]) -> Any:
    """A threaded WSGI server bound to host:port ("" = every address, IPv6 and IPv4 where the host has both);
    OSError when the address cannot be bound. The caller runs `serve_forever` and `shutdown`."""
    from prometheus_client.exposition import ThreadingWSGIServer

    family = socket.AF_INET6 if ":" in host or (not host and socket.has_dualstack_ipv6()) else socket.AF_INET

    class Server(ThreadingWSGIServer):
        address_family = family

        def server_bind(self) -> None:
            """TCPServer's bind with our socket options, without HTTPServer's `getfqdn` (a reverse DNS lookup
            that can hang where no resolver answers)."""
            if family == socket.AF_INET6:
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if not host else 1)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted sockets
            socketserver.TCPServer.server_bind(self)
            self.server_name, self.server_port = bind, self.server_address[1]
            self.setup_environ()

    bind = host or ("::" if family == socket.AF_INET6 else "0.0.0.0")
    return make_server(bind, port, app, Server, handler_class=_Quiet)
