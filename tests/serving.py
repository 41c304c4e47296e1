"""Test-side helpers for `kubectl ovn-lsp serve`: run it as a user would (through kubectl), read its endpoints, and
run a real Prometheus (Debian's `prometheus`) that scrapes it, on a free loopback port with its own storage."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.sandboxes import Sandbox

REPO = Path(__file__).resolve().parents[1]
_SERVING = re.compile(r"serving http://(\S+?):(\d+) ")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def wait_for(what: str, probe: Callable[[], Any], timeout: float = 30, every: float = 0.2) -> Any:
    """Poll `probe` until it returns something truthy; fail naming `what` (and the last value) after `timeout`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what} (last: {last!r})")


@dataclass
class Serve:
    """One `kubectl ovn-lsp serve` process and its address."""

    process: subprocess.Popen
    log: Path
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of /metrics, parsed by prometheus_client's parser: (name, sorted labels) -> value."""
        from prometheus_client.parser import text_string_to_metric_families

        status, body = http_get(self.url + "/metrics")
        assert status == 200, body
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body.decode())
            for s in family.samples
        }

    def value(self, metric: str, /, **labels: str) -> float | None:
        return self.metrics().get((metric, tuple(sorted(labels.items()))))

    def cycles(self) -> int:
        return int(self.value("ovn_lsp_cycles_total") or 0)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 5) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


def start_serve(sandbox: Sandbox, log: Path, *args: str, kubeconfig: str | None = None) -> Serve:
    """`kubectl ovn-lsp serve --listen 127.0.0.1:0 …` against `sandbox`; returns once it listens (port from its
    first log line)."""
    env = sandbox.env(**({"KUBECONFIG": kubeconfig} if kubeconfig else {}))
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 -- the child writes it while it runs
    process = subprocess.Popen(
        ["kubectl", "ovn-lsp", "serve", "--listen", "127.0.0.1:0", *args],
        stdout=subprocess.DEVNULL,
        stderr=handle,
        env=env,
    )
    serve = Serve(process, log)

    def listening() -> int:
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}: {log.read_text()}")
        match = _SERVING.search(log.read_text())
        return int(match.group(2)) if match else 0

    serve.port = wait_for("serve to listen", listening, timeout=30, every=0.05)
    return serve


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB (/proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


@dataclass
class Prometheus:
    """A real Prometheus on a loopback port, scraping the given targets every second, with the monitor's rules."""

    process: subprocess.Popen
    url: str

    def query(self, expr: str) -> list[dict[str, Any]]:
        status, body = http_get(f"{self.url}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        document = json.loads(body)
        assert status == 200 and document["status"] == "success", document
        return list(document["data"]["result"])

    def samples(self, expr: str) -> dict[tuple[tuple[str, str], ...], float]:
        """Instant vector as (sorted labels without job/instance, plus job) -> value."""
        return {
            tuple(sorted((k, v) for k, v in r["metric"].items() if k not in ("instance", "__name__"))): float(
                r["value"][1]
            )
            for r in self.query(expr)
        }

    def alerts(self) -> list[dict[str, Any]]:
        status, body = http_get(f"{self.url}/api/v1/alerts")
        assert status == 200, body
        return list(json.loads(body)["data"]["alerts"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_prometheus(directory: Path, targets: dict[str, int]) -> Prometheus:
    """Prometheus scraping `targets` (job -> port on 127.0.0.1) every second, evaluating deploy/'s alert rules
    every second; storage and config in `directory`."""
    rule = yaml.safe_load((REPO / "deploy" / "prometheusrule.yaml").read_text())
    (directory / "rules.yaml").write_text(yaml.safe_dump({"groups": rule["spec"]["groups"]}, sort_keys=False))
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
        "rule_files": ["rules.yaml"],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]} for job, port in targets.items()
        ],
    }
    (directory / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    port = free_port()
    process = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={directory / 'prometheus.yml'}",
            f"--storage.tsdb.path={directory / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(directory / "prometheus.log", "w", encoding="utf-8"),  # noqa: SIM115
        cwd=directory,
        env={**os.environ, "HOME": str(directory)},
    )
    prometheus = Prometheus(process, f"http://127.0.0.1:{port}")

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"prometheus exited: {(directory / 'prometheus.log').read_text()}")
        try:
            return http_get(prometheus.url + "/-/ready", timeout=1)[0] == 200
        except OSError:
            return False

    wait_for("prometheus to be ready", ready, timeout=60)
    return prometheus


class Proxy:
    """A TCP proxy on a loopback port in front of `upstream` (host, port), to take a server away from a client:
    `up()` forwards, `down()` stops listening (connection refused), `hang()` accepts and never answers."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        import threading

        self.upstream = upstream
        self.port = free_port()
        self.mode = "down"
        self._listener: socket.socket | None = None
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self.up()

    def _listen(self) -> None:
        import threading

        if self._listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: down()
            if self.mode == "hang":
                with self._lock:
                    self._held.append(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def up(self) -> None:
        self.mode = "up"
        self._release()
        self._listen()

    def hang(self) -> None:
        self.mode = "hang"
        self._listen()

    def down(self) -> None:
        self.mode = "down"
        self._release()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
            self._listener.close()
            self._listener = None

    def _release(self) -> None:
        with self._lock:
            for sock in self._held:
                sock.close()
            self._held.clear()


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (/proc: children, their children, …)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
