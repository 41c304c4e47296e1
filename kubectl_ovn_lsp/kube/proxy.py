"""Which proxy the Kubernetes API is reached through, as kubectl decides it (Go's `net/http.ProxyFromEnvironment`).

- A cluster's `proxy-url` in the kubeconfig wins (the kubernetes loader sets it; client-go `rest.Config.Proxy`).
- Else the environment: `HTTPS_PROXY` for an https server, `HTTP_PROXY` for an http one (upper case first, then
  lower case, as Go's `httpproxy.FromEnvironment` reads them; no fallback from one to the other). A value without
  a scheme means `http://`.
- Never for `localhost` or a loopback address (Go's `useProxy` special case), and not for a host `NO_PROXY`
  names (`*`, a host or domain and its subdomains, an IP or CIDR, optionally with a port), matched by the
  kubernetes package's `should_bypass_proxies`.

Why not the kubernetes package's own choice: it reads the same variables but proxies loopback (a sandbox or a
`kubectl proxy` on 127.0.0.1 goes to the corporate proxy), and the exec WebSocket (websocket-client) reads the
environment again by its own rules. The decision is made once here, and both transports are given it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit


def _first(environ: Mapping[str, str], *names: str) -> str:
    return next((environ[n] for n in names if environ.get(n)), "")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def proxy_for(server: str, environ: Mapping[str, str]) -> str | None:
    """The proxy URL for requests to `server` (the API's URL) under `environ`, or None for a direct connection."""
    from kubernetes.client.rest import should_bypass_proxies

    parts = urlsplit(server)
    host = parts.hostname or ""
    if not host or _loopback(host):
        return None
    if parts.scheme == "https":
        proxy = _first(environ, "HTTPS_PROXY", "https_proxy")
    else:
        proxy = "" if environ.get("REQUEST_METHOD") else _first(environ, "HTTP_PROXY", "http_proxy")  # Go: CGI
    if not proxy:
        return None
    if should_bypass_proxies(server, _first(environ, "NO_PROXY", "no_proxy")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def settle(configuration: object, explicit: str | None, environ: Mapping[str, str]) -> None:
    """Set the kubernetes `Configuration`'s proxy to the kubeconfig's `proxy-url` (`explicit`) or what the
    environment means for its host; `no_proxy` is cleared, since the decision is already made."""
    chosen = explicit or proxy_for(str(getattr(configuration, "host", "")), environ)
    configuration.proxy = chosen  # type: ignore[attr-defined]
    configuration.no_proxy = None  # type: ignore[attr-defined]
