"""A failing cycle never ends `kubectl ovn-lsp serve`: API down, API hanging past the per-cycle deadline, NB down, a
403 on exec or on logs. Each failure is counted under its step, the last values stay (and /audit, /readyz), and
`ovn_lsp_last_success_timestamp_seconds` stops moving until a cycle succeeds again. SIGTERM exits 0 within 2 s,
also while a cycle waits on a server that never answers. The servers are taken away by TCP proxies in front of the
sandbox's API server and NB (tests/serving.py, Proxy)."""

from __future__ import annotations

import gzip
import json
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.sandboxes import Sandbox
from tests.serving import Proxy, Serve, alive, descendants, http_get, start_serve, wait_for

HERE = Path(__file__).parent / "scenarios"


@pytest.fixture(scope="module")
def proxied(sandbox_factory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Proxy, Proxy, str]]:
    """tc4 (shared, read-only) behind two proxies: the API server's and the NB's; a kubeconfig pointing at the first."""
    sandbox = sandbox_factory("tc4")
    api = urlparse(yaml.safe_load(Path(sandbox.kubeconfig).read_text())["clusters"][0]["cluster"]["server"])
    nb_host, nb_port = sandbox.nb_remotes.split(":")[1:]
    api_proxy, nb_proxy = Proxy((api.hostname or "", api.port or 0)), Proxy((nb_host, int(nb_port)))
    config = yaml.safe_load(Path(sandbox.kubeconfig).read_text())
    config["clusters"][0]["cluster"]["server"] = f"http://127.0.0.1:{api_proxy.port}"
    kubeconfig = tmp_path_factory.mktemp("proxied") / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump(config))
    yield sandbox, api_proxy, nb_proxy, str(kubeconfig)
    api_proxy.down()
    nb_proxy.down()


def errors(serve: Serve, step: str) -> float:
    return serve.value("ovn_lsp_cycle_errors_total", step=step) or 0.0


def test_failing_cycles_keep_the_last_values_count_their_step_and_recover(proxied, tmp_path: Path) -> None:
    sandbox, api, nb, kubeconfig = proxied
    serve = start_serve(
        sandbox,
        tmp_path / "serve.log",
        "--interval", "300ms", "--request-timeout", "2s", "--nb", f"tcp:127.0.0.1:{nb.port}", "--log-source", "none",
        kubeconfig=kubeconfig,
    )  # fmt: skip
    try:
        wait_for("ready", lambda: http_get(serve.url + "/readyz")[0] == 200)
        assert serve.value("ovn_lsp_ports", verdict="false-positive") == 1.0  # tc4: vm-a.test-ns, FP1

        api.down()  # connection refused
        wait_for("a failed connect", lambda: errors(serve, "connect") >= 1)
        success = serve.value("ovn_lsp_last_success_timestamp_seconds")  # the last success before the failures
        wait_for("two more failed connects", lambda: errors(serve, "connect") >= 3)
        api.hang()  # accepted, never answered: the per-cycle deadline (2 s) ends the cycle
        before = errors(serve, "connect")
        wait_for("a cycle that timed out", lambda: errors(serve, "connect") > before, timeout=20)
        now = serve.metrics()
        assert serve.process.poll() is None
        assert now[("ovn_lsp_last_success_timestamp_seconds", ())] == success  # it ages
        assert now[("ovn_lsp_ports", (("verdict", "false-positive"),))] == 1.0  # the last values stay
        assert http_get(serve.url + "/readyz")[0] == 200
        status, body = http_get(serve.url + "/audit")
        assert status == 200 and json.loads(body)["kind"] == "Audit"
        request = urllib.request.Request(serve.url + "/audit", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=5) as response:  # the same document, gzip-encoded on the wire
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()) == body
        log = serve.log.read_text()
        assert "failed at connect: cannot reach the Kubernetes API" in log
        assert "did not answer within 2s (--request-timeout)" in log

        api.up()
        nb.down()
        wait_for("two failed NB reads", lambda: errors(serve, "nb") >= 2, timeout=20)
        assert serve.value("ovn_lsp_last_success_timestamp_seconds") == success
        nb.up()
        wait_for("a success again", lambda: (serve.value("ovn_lsp_last_success_timestamp_seconds") or 0) > success)
        assert errors(serve, "list") == errors(serve, "replay") == 0
    finally:
        api.up()
        nb.up()
        assert serve.stop() == 0


def test_sigterm_exits_0_within_2s_even_mid_cycle(proxied, tmp_path: Path) -> None:
    sandbox, api, _, kubeconfig = proxied
    api.hang()
    try:
        serve = start_serve(
            sandbox, tmp_path / "serve.log", "--interval", "1s", "--request-timeout", "0", kubeconfig=kubeconfig
        )
        time.sleep(1)  # the first cycle (in its own process) is waiting on the API server, with no deadline
        assert serve.process.poll() is None
        below = descendants(serve.process.pid)  # the fork server and the cycle process
        assert len(below) >= 2, below
        started = time.monotonic()
        serve.process.send_signal(signal.SIGTERM)
        code = serve.process.wait(timeout=5)
        took = time.monotonic() - started
        wait_for("the cycle process and the fork server to end", lambda: not any(alive(p) for p in below), timeout=2)
    finally:
        api.up()
    assert code == 0 and took < 2.0, (code, took)


def test_forbidden_exec_fails_every_cycle_at_nb_and_forbidden_logs_only_the_log_step(
    sandbox_factory, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(str(HERE / "serve-forbidden.yaml"))
    via_exec = start_serve(sandbox, tmp_path / "exec.log", "--interval", "300ms")
    via_tcp = start_serve(sandbox, tmp_path / "tcp.log", "--interval", "300ms", "--nb", sandbox.nb_remotes)
    try:
        wait_for("exec refused twice", lambda: errors(via_exec, "nb") >= 2)
        assert via_exec.value("ovn_lsp_last_success_timestamp_seconds") == 0
        assert via_exec.value("ovn_lsp_ports", verdict="ok") is None  # never had values
        status, body = http_get(via_exec.url + "/readyz")
        assert status == 503 and b"failed at nb: forbidden: cannot create pods/exec" in body
        assert http_get(via_exec.url + "/audit")[0] == 503
        wait_for("logs refused twice", lambda: errors(via_tcp, "logs") >= 2)
        assert http_get(via_tcp.url + "/readyz")[0] == 200
        assert via_tcp.value("ovn_lsp_ports", verdict="false-positive") == 1.0
        assert errors(via_tcp, "nb") == 0
        assert "failed at logs: kube-system/kube-ovn-controller" in via_tcp.log.read_text()
    finally:
        assert via_exec.stop() == 0
        assert via_tcp.stop() == 0


@pytest.mark.clock  # appended lines are stamped now
def test_a_stalled_gc_is_a_finding_and_its_failure_lines_are_counted(tmp_path: Path) -> None:
    """kubeovn/kube-ovn#6103 at v1.14.22: a port without external_ids:ls makes every GC cycle fail. The replay's
    cluster finding is a series; the controller's lines of one failed cycle (the deletion it tried, the failed
    delete, `gc lsp error`) are counted once each, judged as triage judges them."""
    from ovn_lsp_sandbox import live, runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    directory = tmp_path / "sb"
    sandbox = Sandbox("gc-stalled", directory, runtime.start(load_scenario("gc-stalled-port-without-ls"), directory))
    serve = start_serve(sandbox, tmp_path / "serve.log", "--interval", "300ms", "--kube-ovn-version", "v1.14.22")
    try:
        blocking = "acp-app-import-6ql4r.e2eproject"
        wait_for(
            "the stall",
            lambda: serve.value("ovn_lsp_finding", namespace="", kind="gc-stalled", name=blocking, verdict="degraded",
                                reason="GC1") == 1.0,
        )  # fmt: skip
        now = time.strftime("%m%d %H:%M:%S", time.gmtime())
        live.append_log(
            directory,
            "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp",
            [
                f"I{now}.097909       1 gc.go:493] gc logical switch port {blocking} with uuid "
                "17c45ebf-fde6-4e99-8197-e71f42bc12a9",
                f"E{now}.098013       1 gc.go:495] failed to delete lsp {blocking}: empty logical switch name",
                f"E{now}.098105       1 controller.go:1287] gc lsp error: empty logical switch name",
            ],
        )
        expected = {
            ("deleted", "degraded", "GC1"): 1.0,  # its delete fails: the port GC1 names
            ("delete-failed", "degraded", "GC1"): 1.0,
            ("gc-error", "", ""): 1.0,  # names no port
        }

        def counted() -> dict[tuple[str, str, str], float]:
            return {
                (dict(labels)["event"], dict(labels)["verdict"], dict(labels)["reason"]): value
                for (name, labels), value in serve.metrics().items()
                if name == "ovn_lsp_gc_log_lines_total"
            }

        wait_for("the three lines", lambda: counted() == expected)
        seen = serve.cycles()
        wait_for("two more cycles", lambda: serve.cycles() >= seen + 2)
        assert counted() == expected
    finally:
        assert serve.stop() == 0
        runtime.stop(directory)
