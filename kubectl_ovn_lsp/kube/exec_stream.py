"""The exec stream: `run_exec` (what `KubeClient.exec` does: the request, the WebSocket, the frames of a
`v5.channel.k8s.io` stream read by channel within the command's budget, the exit code from the status channel).

Split from `kube/client.py`, which keeps the REST requests, paged lists and the object checks.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.kube.api_status import exec_error, exit_code_from_status
from kubectl_ovn_lsp.kube.resources import PODS

if TYPE_CHECKING:
    from kubectl_ovn_lsp.kube.client import KubeClient

CLOSE_CHANNEL = 255  # v5.channel.k8s.io: "the stream of channel N is closed"
PROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io"


@dataclass(frozen=True)
class ExecResult:
    stdout: str
    stderr: str
    exit_code: int


def run_exec(client: KubeClient, namespace: str, pod: str, container: str, argv: list[str]) -> ExecResult:
    """`KubeClient.exec`: run argv (no shell) in a container over the exec WebSocket, within the client's
    deadline; the output of stdout and stderr and the exit code from the status channel. Raises the deadline's
    Timeout, or KubeUnavailable/Forbidden/NotFound as `api_status.exec_error` words a refused upgrade."""
    from kubernetes.stream.ws_client import ERROR_CHANNEL, STDERR_CHANNEL, STDOUT_CHANNEL
    from websocket import WebSocketException, WebSocketTimeoutException

    query = [("command", arg) for arg in argv]
    query += [("container", container), ("stdout", "true"), ("stderr", "true")]
    path = PODS.path(namespace, pod, "exec")
    _, url, headers, _, _ = client._api.param_serialize("GET", path, query_params=query, auth_settings=["BearerToken"])
    client._trace(f"EXEC {namespace}/{pod} -c {container} -- {shlex.join(argv)}")
    what = f"exec in {namespace}/{pod}"
    started = time.monotonic()
    socket = None
    try:
        with client.deadline.guard(what):
            socket = open_websocket(client.configuration, url, headers, client.deadline.timeout(what))
            channels = read_frames(socket, client.deadline, what)
    except (WebSocketTimeoutException, TimeoutError):
        raise client.deadline.error(what) from None
    except (WebSocketException, OSError, ValueError) as exc:  # a refused upgrade, TLS, the connection
        raise exec_error(exc, namespace, pod, client.deadline, client.configuration.host) from None
    finally:
        if socket is not None:
            socket.close()
    if channels is None:
        raise client.deadline.error(what)
    stdout, stderr, status_text = (join_channel(channels, c) for c in (STDOUT_CHANNEL, STDERR_CHANNEL, ERROR_CHANNEL))
    client._trace(f"EXEC done {1000 * (time.monotonic() - started):.0f}ms")
    return ExecResult(stdout, stderr, exit_code_from_status(status_text, namespace, pod))


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
