"""`--request-timeout` as kubectl takes it, the command's Deadline, kubeconfig files merged as kubectl merges them,
and error lines that stay one line whatever a name holds. In-process, no servers (except a tiny HTTP stub)."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
import yaml

from kubectl_ovn_lsp.cli import main as cli
from kubectl_ovn_lsp.cli.exit_status import ExitStatus
from kubectl_ovn_lsp.deadline import BadDuration, Deadline, parse_duration
from kubectl_ovn_lsp.errors import Timeout, one_line, quote_name
from kubectl_ovn_lsp.kube import kubeconfig
from kubectl_ovn_lsp.kube.errors import KubeConfigError, NotKubernetesApi


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("10", 10.0),
        ("10s", 10.0),
        ("1m", 60.0),
        ("1m30s", 90.0),
        ("500ms", 0.5),
        ("1h", 3600.0),
        ("2.5", 2.5),
        ("0", None),
        ("0s", None),
        ("24h", 86400.0),
        ("86400", 86400.0),
        ("+3", 3.0),
        (" 5s ", 5.0),
        ("1e2", 100.0),
    ],
)
def test_request_timeout_forms(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text, words",
    [
        ("nan", "finite"),
        ("inf", "finite"),
        ("-inf", "negative"),
        ("1e9", "one day"),
        ("100000", "one day"),
        ("-1", "negative"),
        ("-1s", "negative"),
        ("25h", "one day"),
        ("", "duration"),
        ("ten", "duration"),
        ("10x", "duration"),
        ("1d", "duration"),
        ("s", "duration"),
        ("0x10", "duration"),
    ],
)
def test_request_timeout_rejects(text: str, words: str) -> None:
    with pytest.raises(BadDuration, match=words):
        parse_duration(text)


@pytest.mark.parametrize("text", ["nan", "inf", "1e9", "-1", "-0.5s", "99999999", "1d"])
def test_bad_request_timeout_is_usage_error_exit_2(text: str, capsys) -> None:
    assert cli.main(["explain", "vm-a", "--request-timeout", text]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: argument --request-timeout: ") and "Traceback" not in err


def test_deadline_is_one_budget_for_the_whole_command() -> None:
    now = [100.0]
    deadline = Deadline(3.0, clock=lambda: now[0])
    assert deadline.timeout("a") == 3.0
    now[0] += 2.5
    assert deadline.timeout("b") == pytest.approx(0.5)
    assert deadline.whole_seconds() == 1
    now[0] += 0.6
    assert deadline.expired()
    # c itself waited for nothing: the message says what had used the budget (here: no step, local work)
    with pytest.raises(Timeout, match=r"^c did not answer within 3s \(--request-timeout\); local work had taken 3.1s"):
        deadline.timeout("c")


def test_the_message_names_the_slow_step_not_the_one_that_found_the_budget_spent() -> None:
    """Issue #15: a 1 GB log read for 9.7 s, then the next API GET found nothing left and was blamed."""
    now = [0.0]
    deadline = Deadline(10.0, clock=lambda: now[0])
    with deadline.guard("reading 'big.log'", local=True):
        now[0] += 9.7
    with deadline.guard("Kubernetes API GET /api/v1/pods", step="Kubernetes API requests"):
        now[0] += 0.4
        with pytest.raises(Timeout) as raised:
            deadline.timeout("Kubernetes API GET /api/v1/pods")
    assert str(raised.value) == (
        "Kubernetes API GET /api/v1/pods did not answer within 10s (--request-timeout); "
        "reading 'big.log' had taken 9.7s of it"
    )
    # the step that used the budget itself is named alone, as local work it "did not finish"
    slow = Deadline(10.0, clock=lambda: now[0])
    with slow.guard("replaying GC over 50000 owners", local=True):
        now[0] += 10.5
        assert str(slow.error("replaying GC over 50000 owners", local=True)) == (
            "replaying GC over 50000 owners did not finish within 10s (--request-timeout)"
        )
    # many short requests add up under their step
    many = Deadline(10.0, clock=lambda: now[0])
    for _ in range(30):
        with many.guard("Kubernetes API GET /x", step="Kubernetes API requests"):
            now[0] += 0.3
    assert str(many.error("NB tcp:1.2.3.4:6641")).endswith("; Kubernetes API requests had taken 9.0s of it")


def test_checked_bounds_local_work() -> None:
    now = [0.0]
    deadline = Deadline(1.0, clock=lambda: now[0])

    def owners():
        for n in range(10_000):
            now[0] += 0.001
            yield n

    with pytest.raises(Timeout, match=r"^replaying GC did not finish within 1s \(--request-timeout\)$"):
        sum(deadline.checked(owners(), "replaying GC", every=100))
    assert now[0] < 1.2  # stopped within `every` items of the budget


def test_no_limit() -> None:
    deadline = Deadline.of(None)
    assert deadline.timeout("x") is None and not deadline.expired() and deadline.budget == "no limit"
    assert deadline.whole_seconds() == 86400


def test_main_turns_the_flag_into_one_deadline(monkeypatch) -> None:
    from kubectl_ovn_lsp.cli import handlers

    seen = {}
    monkeypatch.setattr(handlers, "explain", lambda options, env: seen.setdefault("t", options.common.kube) and 0)
    cli.main(["explain", "vm-a", "--request-timeout", "1m"])
    timeout = seen["t"].request_timeout
    assert isinstance(timeout, Deadline) and timeout.seconds == 60 and not timeout.hard_stop


@pytest.mark.parametrize(
    "argv, seconds",
    [
        (["explain", "vm-a"], 10.0),  # a handful of reads: a short bound
        (["audit", "-A"], None),  # a cluster-wide read grows with the cluster: no limit, as kubectl's default
        (["audit", "-n", "ns"], None),
        (["triage"], None),
        (["audit", "-A", "--request-timeout", "5m"], 300.0),  # given: the whole command, whatever the command
        (["explain", "vm-a", "--request-timeout", "0"], None),
    ],
)
def test_each_command_has_its_own_default_time_limit(monkeypatch, argv: list[str], seconds: float | None) -> None:
    from kubectl_ovn_lsp.cli import handlers

    seen = {}
    monkeypatch.setattr(handlers, argv[0], lambda options, env: seen.setdefault("t", options.common.kube) and 0)
    cli.main(argv)
    timeout = seen["t"].request_timeout
    assert isinstance(timeout, Deadline) and timeout.seconds == seconds


def test_help_says_each_commands_default_time_limit(capsys) -> None:
    for command, words in (("explain", "(default 10s)"), ("audit", "(default 0: no limit, as kubectl;")):
        assert cli.main([command, "--help"]) == 0
        assert words in " ".join(capsys.readouterr().out.split())


# -- kubeconfig ----------------------------------------------------------------------------------------------------


def _write(path, **doc) -> str:
    base = {"apiVersion": "v1", "kind": "Config", "clusters": [], "contexts": [], "users": []}
    base.update(doc)
    path.write_text(yaml.safe_dump(base))
    return str(path)


def _ctx(name: str, cluster: str, namespace: str = "") -> dict:
    body = {"cluster": cluster, "user": "u"}
    if namespace:
        body["namespace"] = namespace
    return {"name": name, "context": body}


def test_kubeconfig_list_is_merged_as_kubectl_merges(tmp_path, monkeypatch) -> None:
    a = _write(
        tmp_path / "a",
        clusters=[{"name": "ca", "cluster": {"server": "http://127.0.0.1:1"}}],
        contexts=[_ctx("in-a", "ca", "ns-a"), _ctx("both", "ca", "first")],
        users=[{"name": "u", "user": {}}],
        **{"current-context": "in-a"},
    )
    b = _write(
        tmp_path / "b",
        clusters=[{"name": "cb", "cluster": {"server": "http://127.0.0.1:2"}}],
        contexts=[_ctx("in-b", "cb", "ns-b"), _ctx("both", "cb", "second")],
        **{"current-context": "in-b"},
    )
    monkeypatch.setenv("KUBECONFIG", f"{a}:{tmp_path / 'missing'}:{b}")
    files = kubeconfig.locate(None)
    assert files.paths == (a, b)
    merged = kubeconfig.merge(files.paths, [kubeconfig.read_file(p) for p in files.paths])
    contexts, current = merged.contexts, merged.current
    assert current == "in-a"  # the first file that sets it wins (the kubernetes package lets the last win)
    assert contexts["both"]["namespace"] == "first" and set(contexts) == {"in-a", "in-b", "both"}

    from kubernetes.client.configuration import Configuration

    config = Configuration()
    assert kubeconfig.load(files, "in-b", config) == "ns-b" and config.host == "http://127.0.0.1:2"
    config = Configuration()
    assert kubeconfig.load(files, None, config) == "ns-a" and config.host == "http://127.0.0.1:1"


def test_missing_kubeconfig_names_the_file(tmp_path, monkeypatch) -> None:
    with pytest.raises(KubeConfigError, match=r'kubeconfig: ".*/nope": no such file \(--kubeconfig\)'):
        kubeconfig.locate(str(tmp_path / "nope"))
    monkeypatch.setenv("KUBECONFIG", f"{tmp_path / 'x'}:{tmp_path / 'y'}")
    with pytest.raises(KubeConfigError, match=r"none of the files in \$KUBECONFIG exist"):
        kubeconfig.locate(None)


@pytest.mark.parametrize(
    "text, words",
    [
        ("a: [b\n", "is not valid YAML (line"),
        ("- 1\n- 2\n", "expected a mapping"),
        ("contexts: x\n", "must be a list"),
        ("contexts: [null]\n", "contexts[0] needs a string name"),
        ("users: [{name: 3}]\n", "users[0] needs a string name"),
        ("clusters: [{name: c, cluster: x}]\n", "clusters[0].cluster must be a mapping"),
        ("current-context: [a]\n", "current-context must be a string"),
        ("\x00\x01", "not valid YAML"),
    ],
)
def test_malformed_kubeconfig_is_one_line(tmp_path, text: str, words: str) -> None:
    path = tmp_path / "config"
    path.write_text(text)
    with pytest.raises(KubeConfigError) as info:
        kubeconfig.read_file(str(path))
    assert words in str(info.value) and "\n" not in str(info.value)


def test_context_not_found_and_no_current_context(tmp_path) -> None:
    from kubernetes.client.configuration import Configuration

    path = _write(
        tmp_path / "c", clusters=[{"name": "c", "cluster": {"server": "http://x"}}], contexts=[_ctx("a", "c")]
    )
    files = kubeconfig.locate(path)
    with pytest.raises(KubeConfigError, match=r'context "in-b\\n" not found'):
        kubeconfig.load(files, "in-b\n", Configuration())
    with pytest.raises(KubeConfigError, match="no current-context"):
        kubeconfig.load(files, None, Configuration())


def test_bad_kubeconfig_through_main_is_one_error_line(tmp_path, capsys) -> None:
    path = tmp_path / "config"
    path.write_text("apiVersion: v1\nclusters: [\n")
    assert cli.main(["explain", "vm-a", "-n", "x", "--kubeconfig", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: kubeconfig: ") and "not valid YAML" in err and err.count("\n") == 1


# -- a server that is not a Kubernetes API ---------------------------------------------------------------------------


class _NotKube(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<html>404 page not found</html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_404_without_status_is_not_workload_not_found(tmp_path, capsys) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotKube)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        path = _write(
            tmp_path / "c",
            clusters=[{"name": "c", "cluster": {"server": url}}],
            contexts=[_ctx("a", "c")],
            users=[{"name": "u", "user": {"token": "t"}}],
            **{"current-context": "a"},
        )
        started = time.monotonic()
        assert cli.main(["explain", "vm-a", "-n", "x", "--kubeconfig", path, "--request-timeout", "5"]) == 1
        err = capsys.readouterr().err
        assert "did not answer like a Kubernetes API" in err and "not found" not in err.split("returned")[0]
        assert err.count("\n") == 1 and time.monotonic() - started < 5 + 2
        from kubectl_ovn_lsp.kube.client import KubeClient

        client = KubeClient.connect(path, None, 5)
        with pytest.raises(NotKubernetesApi):
            client.find(__import__("kubectl_ovn_lsp.kube.client", fromlist=["VMS"]).VMS, "vm-a", "x")
    finally:
        server.shutdown()


# -- one line whatever a name holds ---------------------------------------------------------------------------------


def test_names_cannot_split_the_error_line() -> None:
    assert quote_name('a\nb"c') == 'a\\nb\\"c'
    assert one_line("x\ny\tz") == "x\\ny\\tz"


@pytest.mark.parametrize(
    "argv, words",
    [
        (["explain", "vm/a\nb"], "is not a valid object name"),
        (["explain", "a\nb"], "is not a valid object name"),
        (["explain", "x" * 254], "at most 253 characters"),
        (["explain", "a%2Fb"], "is not a valid object name"),
        (["explain", ".."], "is not a valid object name"),
        (["explain", "vm-a", "--ovn-namespace", "x;y"], '"x;y" is not a valid namespace name'),
        (["explain", "vm-a", "-n", "x;y"], '"x;y" is not a valid namespace name'),
        (["explain", "vm-a", "-n", "Test"], '"Test" is not a valid namespace name'),
        (["explain", "vm-a", "-n", "a\nb"], '"a\\nb" is not a valid namespace name'),
        (["explain", "vm-a", "-n", "x" * 64], "is not a valid namespace name"),
    ],
)
def test_bad_names_are_usage_errors_on_one_line(argv: list[str], words: str, capsys) -> None:
    assert cli.main(argv) == ExitStatus.USAGE
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("error: ") and words in first


def test_kube_ovn_ns_obeys_the_namespace_rule(monkeypatch, capsys) -> None:
    monkeypatch.setenv("KUBE_OVN_NS", "x;y")
    assert cli.main(["explain", "vm-a", "-n", "a"]) == ExitStatus.USAGE
    assert '$KUBE_OVN_NS: "x;y" is not a valid namespace name' in capsys.readouterr().err


def test_names_with_dots_upper_case_and_253_characters_parse() -> None:
    for name in ("vm.a.b", "VM-Upper", "a" * 253, "pod/" + "b" * 253):
        assert cli.build_parser().parse_args(["explain", name]).target == name
    assert cli.build_parser().parse_args(["explain", "x", "-A", "-n", "Ignored"]).namespace == "Ignored"


@pytest.mark.parametrize("remote", ["tcp:localhost:abc", "tcp:localhost:", "tcp::6641", "tcp:h:0", "tcp:h:70000"])
def test_nb_remotes_need_a_host_and_a_port(remote: str, capsys) -> None:
    assert cli.main(["explain", "vm-a", "--nb", remote]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: argument --nb: expected auto, exec, or tcp:HOST:PORT") and "Traceback" not in err
