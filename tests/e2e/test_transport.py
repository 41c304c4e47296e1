"""Kubeconfig and transport as kubectl has them (issue #15), through the real `kubectl ovn-lsp`:
- `HTTP(S)_PROXY` is used for a remote API (REST and the exec WebSocket), `NO_PROXY` exempts a host, and a
  loopback API is never proxied (Go's `net/http.ProxyFromEnvironment`);
- an exec credential plugin is run within `--request-timeout`; its failure is one `error:` line (no stray
  `ERROR:root:` line), its token is used when it works;
- `insecure-skip-tls-verify` prints no warnings; a failing OIDC refresh is one clear line, not an internal error;
- a 4 MB kubeconfig is read in well under the budget.
"""

from __future__ import annotations

import copy
import json
import socket
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin

REMOTE = "api.sandbox.test"  # a name only the test's proxy resolves (to the sandbox API on 127.0.0.1)


@pytest.fixture(scope="module")
def tls(sandbox_factory) -> Sandbox:
    return sandbox_factory("tc4", api_tls=True)


def _config(sandbox: Sandbox) -> dict:
    return yaml.safe_load(Path(sandbox.kubeconfig).read_text())


def _write(tmp_path: Path, config: dict, name: str = "kubeconfig") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return str(path)


def _one_error(proc) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    return proc.stderr.strip()


# -- proxies -------------------------------------------------------------------------------------------------------


class Proxy:
    """An HTTP proxy (absolute-form requests and CONNECT tunnels) that sends `REMOTE` to the sandbox's API and
    records the host of every connection it serves."""

    def __init__(self, api_port: int) -> None:
        self.api_port = api_port
        self.hosts: list[str] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with suppress(OSError):
            head = b""
            while b"\r\n\r\n" not in head:
                data = client.recv(65536)
                if not data:
                    return
                head += data
            method, target = head.split(b" ", 2)[:2]
            host = (target.split(b"//", 1)[-1] if method != b"CONNECT" else target).split(b"/")[0]
            self.hosts.append(host.decode())
            upstream = socket.create_connection(("127.0.0.1", self.api_port))
            if method == b"CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                head = head.split(b"\r\n\r\n", 1)[1]
            upstream.sendall(head)
            threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
            _pipe(client, upstream)

    def close(self) -> None:
        self.server.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


@contextmanager
def proxy_for(sandbox: Sandbox) -> Iterator[Proxy]:
    server = _config(sandbox)["clusters"][0]["cluster"]["server"]
    proxy = Proxy(int(server.rsplit(":", 1)[1]))
    try:
        yield proxy
    finally:
        proxy.close()


def _remote_config(sandbox: Sandbox, tmp_path: Path) -> str:
    config = _config(sandbox)
    port = config["clusters"][0]["cluster"]["server"].rsplit(":", 1)[1]
    config["clusters"][0]["cluster"]["server"] = f"http://{REMOTE}:{port}"
    return _write(tmp_path, config)


def test_a_remote_api_goes_through_the_proxy_rest_and_exec(tc4: Sandbox, tmp_path: Path) -> None:
    with proxy_for(tc4) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        proc = run_plugin(
            tc4,
            "explain",
            "vm-a",
            "-n",
            "test-ns",
            KUBECONFIG=_remote_config(tc4, tmp_path),
            HTTP_PROXY=url,
            HTTPS_PROXY=url,
        )
    assert proc.returncode == 4, proc.stderr  # the verdict, read through the proxy: GETs and the exec WebSocket
    assert proxy.hosts and all(h.startswith(f"{REMOTE}:") for h in proxy.hosts), proxy.hosts


def test_no_proxy_exempts_a_host(tc4: Sandbox, tmp_path: Path) -> None:
    with proxy_for(tc4) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        proc = run_plugin(
            tc4,
            "explain",
            "vm-a",
            "-n",
            "test-ns",
            "--request-timeout",
            "5s",
            KUBECONFIG=_remote_config(tc4, tmp_path),
            HTTP_PROXY=url,
            NO_PROXY="other,.test",
        )
    assert REMOTE in _one_error(proc)  # direct: the name does not resolve here
    assert proxy.hosts == []


@pytest.mark.parametrize("no_proxy", ["", "example.com"])
def test_a_loopback_api_is_never_proxied(tc4: Sandbox, no_proxy: str) -> None:
    with proxy_for(tc4) as proxy:
        dead = "http://127.0.0.1:9"  # a proxy that refuses: any proxied request would fail
        proc = run_plugin(tc4, "audit", "-A", HTTP_PROXY=dead, HTTPS_PROXY=dead, http_proxy=dead, NO_PROXY=no_proxy)
    assert proc.returncode == 4, proc.stderr  # the exec NB read included
    assert proxy.hosts == []


# -- credentials ---------------------------------------------------------------------------------------------------


def _plugin(tmp_path: Path, body: str) -> str:
    path = tmp_path / "credential-plugin"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def _with_exec(sandbox: Sandbox, tmp_path: Path, command: str, **extra: object) -> str:
    config = _config(sandbox)
    user = config["users"][0]["user"]
    user.pop("token", None)
    user["exec"] = {
        "apiVersion": "client.authentication.k8s.io/v1",
        "command": command,
        "interactiveMode": "Never",
        **extra,
    }
    return _write(tmp_path, config)


def test_an_exec_plugin_gives_the_token(tls: Sandbox, tmp_path: Path) -> None:
    token = _config(tls)["users"][0]["user"]["token"]
    credential = {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": token}}
    plugin = _plugin(tmp_path, f"echo '{json.dumps(credential)}'\n")
    proc = run_plugin(tls, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=_with_exec(tls, tmp_path, plugin))
    assert proc.returncode == 4, proc.stderr


def test_a_failing_exec_plugin_is_one_error_line(tls: Sandbox, tmp_path: Path) -> None:
    plugin = _plugin(tmp_path, "echo 'error: you must log in first' >&2\nexit 3\n")
    proc = run_plugin(tls, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=_with_exec(tls, tmp_path, plugin))
    assert _one_error(proc) == (
        f'error: kubeconfig: the exec credential plugin "{plugin}" of user "sandbox-user" failed (exit code 3): '
        "error: you must log in first"
    )


def test_a_missing_exec_plugin_gives_its_install_hint(tls: Sandbox, tmp_path: Path) -> None:
    kubeconfig = _with_exec(tls, tmp_path, "no-such-auth-plugin", installHint="install it with\n  apt install x")
    proc = run_plugin(tls, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=kubeconfig)
    assert _one_error(proc) == (
        'error: kubeconfig: the exec credential plugin "no-such-auth-plugin" of user "sandbox-user": not found; '
        "install it with apt install x"
    )


def test_a_hanging_exec_plugin_is_bounded_and_named(tls: Sandbox, tmp_path: Path) -> None:
    plugin = _plugin(tmp_path, "sleep 60\n")
    started = time.monotonic()
    proc = run_plugin(
        tls,
        "explain",
        "vm-a",
        "-n",
        "test-ns",
        "--request-timeout",
        "2s",
        KUBECONFIG=_with_exec(tls, tmp_path, plugin),
        timeout=30,
    )
    assert time.monotonic() - started <= 4
    assert _one_error(proc) == (
        f'error: the exec credential plugin "{plugin}" of user "sandbox-user" did not finish within 2s '
        "(--request-timeout)"
    )


def test_insecure_skip_tls_verify_prints_no_warnings(tls: Sandbox, tmp_path: Path) -> None:
    config = _config(tls)
    cluster = config["clusters"][0]["cluster"]
    cluster.pop("certificate-authority-data", None)
    cluster["insecure-skip-tls-verify"] = True
    proc = run_plugin(tls, "audit", "-A", KUBECONFIG=_write(tmp_path, config))
    assert proc.returncode == 4 and proc.stderr == "", proc.stderr


def test_a_failed_oidc_refresh_is_one_clear_line(tls: Sandbox, tmp_path: Path) -> None:
    import base64

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    expired = ".".join([part({"alg": "none"}), part({"exp": 1000000000, "sub": "me"}), "sig"])
    config = _config(tls)
    config["users"][0]["user"] = {
        "auth-provider": {
            "name": "oidc",
            "config": {
                "client-id": "kubectl",
                "client-secret": "s",
                "id-token": expired,
                "refresh-token": "r",
                "idp-issuer-url": "http://127.0.0.1:9",  # nothing listens: the refresh fails
            },
        }
    }
    proc = run_plugin(
        tls, "explain", "vm-a", "-n", "test-ns", "--request-timeout", "5s", KUBECONFIG=_write(tmp_path, config)
    )
    line = _one_error(proc)
    assert line.startswith("error: kubeconfig: ") and 'refreshing the OIDC token of user "sandbox-user"' in line, line


def test_a_4mb_kubeconfig_is_read_within_the_budget(tc4: Sandbox, tmp_path: Path) -> None:
    """3,000 clusters, users and contexts (4 MB): ~17 s before (three parses, a quadratic merge), ~1 s now."""
    config = _config(tc4)
    ca = base64_ca = "A" * 1200
    for n in range(3000):
        config["clusters"].append(
            {
                "name": f"c{n}",
                "cluster": {
                    "server": f"https://10.0.{n // 250}.{n % 250}:6443",
                    "certificate-authority-data": base64_ca,
                },
            }
        )
        config["users"].append({"name": f"u{n}", "user": {"token": f"token-{n}" * 4}})
        config["contexts"].append({"name": f"x{n}", "context": {"cluster": f"c{n}", "user": f"u{n}"}})
    path = _write(tmp_path, config)
    assert Path(path).stat().st_size > 4_000_000 and ca
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", "--request-timeout", "10s", KUBECONFIG=path)
    assert proc.returncode == 4, proc.stderr


def test_merged_kubeconfigs_keep_the_first_definition(tc4: Sandbox, tmp_path: Path) -> None:
    """Two files in $KUBECONFIG: the first file's context, cluster and user win (the merge is ours now)."""
    good = _config(tc4)
    bad = copy.deepcopy(good)
    bad["clusters"][0]["cluster"]["server"] = "http://127.0.0.1:9"
    first = _write(tmp_path, good, "first")
    second = _write(tmp_path, bad, "second")
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=f"{first}:{second}")
    assert proc.returncode == 4, proc.stderr
    proc = run_plugin(tc4, "explain", "vm-a", "-n", "test-ns", KUBECONFIG=f"{second}:{first}")
    assert "127.0.0.1:9" in _one_error(proc)
