"""The exec stream: the frames of a `v5.channel.k8s.io` WebSocket, read by channel within the command's budget."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kubectl_ovn_lsp.deadline import Deadline

CLOSE_CHANNEL = 255  # v5.channel.k8s.io: "the stream of channel N is closed"
PROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io"


def open_websocket(configuration: Any, url: str, headers: dict[str, str], timeout: float | None) -> Any:
    """The exec WebSocket, as the kubernetes package's `create_websocket` opens it (the same TLS options and
    headers), with two differences: the connection and upgrade wait at most `timeout` seconds (there they wait
    forever), and the proxy is the one `kube/proxy.py` chose for the REST requests (`configuration.proxy`),
    never websocket-client's own reading of the environment (which would proxy a loopback API when NO_PROXY is
    set to anything else)."""
    import ssl

    from websocket import WebSocket

    for http, ws in (("https://", "wss://"), ("http://", "ws://")):
        if url.startswith(http):
            url = ws + url[len(http) :]
    header = [f"sec-websocket-protocol: {PROTOCOLS}"]
    if "authorization" in {k.lower() for k in headers}:
        header.append(f"authorization: {next(v for k, v in headers.items() if k.lower() == 'authorization')}")
    sslopt: dict[str, Any] = {"cert_reqs": ssl.CERT_NONE}
    if url.startswith("wss://") and configuration.verify_ssl:
        import certifi

        sslopt = {"cert_reqs": ssl.CERT_REQUIRED, "ca_certs": configuration.ssl_ca_cert or certifi.where()}
        if configuration.assert_hostname is not None:
            sslopt["check_hostname"] = configuration.assert_hostname
    if configuration.cert_file:
        sslopt["certfile"] = configuration.cert_file
    if configuration.key_file:
        sslopt["keyfile"] = configuration.key_file
    if configuration.tls_server_name:
        sslopt["server_hostname"] = configuration.tls_server_name
    options: dict[str, Any] = {"header": header, "timeout": timeout}
    if configuration.proxy:
        proxy = urlsplit(configuration.proxy)
        options.update(http_proxy_host=proxy.hostname, http_proxy_port=proxy.port or 80, proxy_type="http")
        if proxy.username:
            options["http_proxy_auth"] = (proxy.username, proxy.password or "")
    else:
        # Decided: direct. websocket-client reads HTTP(S)_PROXY itself unless a proxy is given, and consults
        # `http_no_proxy` only for a given proxy: a placeholder proxy that `*` exempts means "connect directly".
        options.update(http_proxy_host="direct.invalid", http_proxy_port=1, http_no_proxy=["*"])
    socket = WebSocket(sslopt=sslopt, skip_utf8_validation=False)
    socket.connect(url, **options)
    return socket


def read_frames(socket: Any, deadline: Deadline, what: str) -> dict[int, list[bytes]] | None:
    """Every frame of the exec stream by channel, until the server closes it; None when the budget runs out.

    The kubernetes package's `run_forever` appends each frame to one growing string per channel, which costs
    quadratic copying for a large answer (~1.5 s for the 15 MB of a 50,000-port select); here frames are kept
    in lists and joined once. The v5 protocol's CLOSE channel (255) only says a stream ended.
    """
    from websocket import ABNF, WebSocketTimeoutException

    channels: dict[int, list[bytes]] = {}
    while True:
        socket.sock.settimeout(deadline.timeout(what))  # raises Timeout once the budget is spent
        try:
            op_code, frame = socket.recv_data_frame(True)
        except WebSocketTimeoutException:
            return None
        except OSError as exc:  # socket.timeout is an OSError
            if "timed out" in str(exc):
                return None
            raise
        if op_code == ABNF.OPCODE_CLOSE:
            return channels
        if op_code in (ABNF.OPCODE_BINARY, ABNF.OPCODE_TEXT) and len(frame.data) > 1:
            data = frame.data if isinstance(frame.data, bytes) else frame.data.encode()
            if data[0] != CLOSE_CHANNEL:
                channels.setdefault(data[0], []).append(data[1:])


def join_channel(channels: dict[int, list[bytes]], channel: int) -> str:
    """One channel's text; its frames are released as soon as they are joined (a large answer is held twice at
    most, never three times)."""
    joined = b"".join(channels.pop(channel, []))
    return joined.decode("utf-8", "replace")
