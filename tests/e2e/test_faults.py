"""Faults on the sandbox, through the real `kubectl ovn-lsp explain`: each ends in a verdict or exactly one
`error:` line naming the cause, and never takes longer than `--request-timeout` + 2 s of wall time.

Destructive faults (a stopped or killed server) get a private sandbox each, so no other test sees them.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin

BUDGET = 2.0  # --request-timeout of every fault run: small, so the suite stays fast
MARGIN = 2.0  # the promise: wall time <= --request-timeout + 2 s
FAULTS: list[tuple[str, float]] = []  # (fault, wall seconds): the worst is printed at the end of the module


def _scenario(name: str = "tc4"):
    from ovn_lsp_sandbox.scenario_load import load_scenario

    return load_scenario(name)


@contextmanager
def private_sandbox(scenario, directory: Path, **options: object) -> Iterator[Sandbox]:
    from ovn_lsp_sandbox import runtime

    state = runtime.start(scenario, directory, **options)  # type: ignore[arg-type]
    try:
        yield Sandbox(scenario.name, directory, state)
    finally:
        runtime.stop(directory)


def timed(fault: str, sandbox: Sandbox, *args: str, budget: float = BUDGET, **env: str):
    """Run explain with `--request-timeout budget`; record and bound the wall time."""
    started = time.monotonic()
    proc = run_plugin(sandbox, "explain", *args, "--request-timeout", f"{budget:g}s", timeout=60, **env)
    wall = time.monotonic() - started
    FAULTS.append((fault, wall))
    assert wall <= budget + MARGIN, (fault, wall, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def one_error(proc, code: int = 1) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert proc.stdout == ""
    return lines[0]


def _apiserver_pid(sandbox: Sandbox) -> int:
    return int(json.loads((sandbox.dir / "state.json").read_text())["apiserver"]["pid"])


def _nb_pid(sandbox: Sandbox, index: int = 0) -> int:
    member = sandbox.state["nb"]["members"][index]
    return int(Path(member["pidfile"]).read_text().strip())


# -- the Kubernetes API --------------------------------------------------------------------------------------------


def test_api_server_hung_then_killed_mid_run(tmp_path) -> None:
    with private_sandbox(_scenario(), tmp_path / "sb") as sandbox:
        pid = _apiserver_pid(sandbox)
        os.kill(pid, signal.SIGSTOP)
        try:
            for form in ("2", "2s"):  # kubectl's forms of the same budget
                started = time.monotonic()
                proc = run_plugin(sandbox, "explain", "vm-a", "-n", "test-ns", "--request-timeout", form, timeout=60)
                wall = time.monotonic() - started
                FAULTS.append((f"API server stopped (SIGSTOP), --request-timeout {form}", wall))
                line = one_error(proc)
                assert "did not answer within 2s (--request-timeout)" in line and "Kubernetes API GET" in line
                assert wall <= 2 + MARGIN
            # Killed while the plugin waits for it: the connection breaks, the plugin says so at once.
            started = time.monotonic()
            child = subprocess.Popen(
                ["kubectl", "ovn-lsp", "explain", "vm-a", "-n", "test-ns", "--request-timeout", "10s"],
                env=sandbox.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(1.5)
        finally:
            os.kill(pid, signal.SIGKILL)
            os.kill(pid, signal.SIGCONT)
        out, err = child.communicate(timeout=30)
        wall = time.monotonic() - started
        FAULTS.append(("API server killed mid-run (--request-timeout 10s)", wall))
        assert wall <= 10 + MARGIN
        line = one_error(subprocess.CompletedProcess(child.args, child.returncode, out, err))
        assert "cannot reach the Kubernetes API" in line or "did not answer" in line
        # Gone for good: refused at once, long before the budget.
        proc = timed("API server gone", sandbox, "vm-a", "-n", "test-ns")
        assert "connection refused" in one_error(proc)


def _trickling_server(stop: threading.Event) -> socket.socket:
    """A 'proxy' that accepts and answers one header byte every 0.3 s forever: per-read timeouts never fire."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)

    def serve() -> None:
        conns = []
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                conns.append(conn)
            except OSError:
                pass
            for conn in conns:
                with suppress(OSError):
                    conn.send(b"X" if conn.fileno() >= 0 else b"")
            time.sleep(0.3)
        for conn in conns:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_trickling_api_server_is_bounded_by_the_watchdog(tc4: Sandbox, tmp_path) -> None:
    stop = threading.Event()
    server = _trickling_server(stop)
    try:
        config = yaml.safe_load(Path(tc4.kubeconfig).read_text())
        config["clusters"][0]["cluster"]["server"] = f"http://127.0.0.1:{server.getsockname()[1]}"
        path = tmp_path / "kubeconfig"
        path.write_text(yaml.safe_dump(config))
        proc = timed("API answers one byte every 0.3 s", tc4, "vm-a", "-n", "test-ns", KUBECONFIG=str(path))
        line = one_error(proc)
        assert "within 2s (--request-timeout)" in line or "did not answer like a Kubernetes API" in line
    finally:
        stop.set()
        server.close()


def test_unresolvable_api_server_name(tc4: Sandbox, tmp_path) -> None:
    config = yaml.safe_load(Path(tc4.kubeconfig).read_text())
    config["clusters"][0]["cluster"]["server"] = "https://api.cluster.invalid:6443"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    line = one_error(timed("API server name does not resolve", tc4, "vm-a", "-n", "test-ns", KUBECONFIG=str(path)))
    assert "api.cluster.invalid" in line


# -- the OVN NB ----------------------------------------------------------------------------------------------------


def test_nb_hung_exec_and_direct(tmp_path) -> None:
    with private_sandbox(_scenario(), tmp_path / "sb") as sandbox:
        pid = _nb_pid(sandbox)
        os.kill(pid, signal.SIGSTOP)
        try:
            line = one_error(timed("NB stopped (SIGSTOP), exec", sandbox, "vm-a", "-n", "test-ns"))
            assert "within 2s (--request-timeout)" in line and "ovn-central" in line
            line = one_error(
                timed("NB stopped (SIGSTOP), direct", sandbox, "vm-a", "-n", "test-ns", "--nb", sandbox.nb_remotes)
            )
            assert sandbox.nb_remotes in line and "within 2s (--request-timeout)" in line
        finally:
            os.kill(pid, signal.SIGCONT)


def test_nb_leader_killed_then_two_of_three_down(tmp_path) -> None:
    from ovn_lsp_sandbox.nb_server import kill_member

    with private_sandbox(_scenario(), tmp_path / "sb", nb_cluster=3) as sandbox:
        nb = sandbox.state["nb"]
        kill_member(nb, nb["leader"])
        proc = timed("NB raft leader killed, exec", sandbox, "vm-a", "-n", "test-ns", "-o", "json")
        assert proc.returncode == 4, proc.stderr
        document = json.loads(proc.stdout)
        assert document["nb"]["leaderOnly"] is False and document["verdict"] == "false-positive"
        assert any("labelled NB leader" in n and "failed" in n for n in document["notes"]), document["notes"]
        proc = timed("NB raft leader killed, direct", sandbox, "vm-a", "-n", "test-ns", "--nb", sandbox.nb_remotes)
        assert proc.returncode == 4, proc.stderr

        kill_member(nb, next(m["index"] for m in nb["members"] if m["index"] != nb["leader"]))
        time.sleep(3)  # past the survivor's election timeout
        for path in (["--nb", "exec"], ["--nb", sandbox.nb_remotes]):
            proc = timed(f"NB 2 of 3 members down, {path[1]}", sandbox, "vm-a", "-n", "test-ns", *path)
            if proc.returncode != 4:  # a member without quorum may still answer a read; else one clear line
                line = one_error(proc)
                assert "NB" in line and ("did not answer" in line or "failed" in line), line


@pytest.fixture(scope="module")
def nb_tls(sandbox_factory) -> Sandbox:
    return sandbox_factory("tc4", nb_ssl=True)


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    from ovn_lsp_sandbox.pki import generate_pki

    return generate_pki(tmp_path_factory.mktemp("other-pki"))


def _tls_args(sandbox: Sandbox, key: str, cert: str, ca: str) -> list[str]:
    return [
        "vm-a",
        "-n",
        "test-ns",
        "--nb",
        sandbox.nb_remotes,
        "--nb-private-key",
        key,
        "--nb-certificate",
        cert,
        "--nb-ca-cert",
        ca,
    ]


def test_tls_wrong_ca(nb_tls: Sandbox, other_pki) -> None:
    ssl = nb_tls.state["nb"]["ssl"]
    proc = timed(
        "NB TLS: CA did not sign the server",
        nb_tls,
        *_tls_args(nb_tls, ssl["client_key"], ssl["client_cert"], other_pki.cacert),
    )
    assert "TLS verification failed" in one_error(proc) and "not signed by the CA" in proc.stderr


def test_tls_untrusted_client_certificate(nb_tls: Sandbox, other_pki) -> None:
    ssl = nb_tls.state["nb"]["ssl"]
    proc = timed(
        "NB TLS: client certificate from another CA",
        nb_tls,
        *_tls_args(nb_tls, other_pki.client_key, other_pki.client_cert, ssl["cacert"]),
    )
    assert "rejected the client certificate" in one_error(proc)


def test_tls_key_does_not_match_certificate(nb_tls: Sandbox, other_pki) -> None:
    ssl = nb_tls.state["nb"]["ssl"]
    proc = timed(
        "NB TLS: key does not match certificate",
        nb_tls,
        *_tls_args(nb_tls, other_pki.client_key, ssl["client_cert"], ssl["cacert"]),
    )
    line = one_error(proc)
    assert "does not match the certificate" in line and other_pki.client_key in line


def test_tls_good_files_still_answer(nb_tls: Sandbox) -> None:
    ssl = nb_tls.state["nb"]["ssl"]
    proc = timed("NB TLS: good files", nb_tls, *_tls_args(nb_tls, ssl["client_key"], ssl["client_cert"], ssl["cacert"]))
    assert proc.returncode == 4, proc.stderr


# -- ovn-central pods ----------------------------------------------------------------------------------------------


def _with_ovn_central(edit) -> object:
    """tc4 with its ovn-central pod(s) replaced by `edit(pod) -> [pods]`."""
    scenario = _scenario()
    objects = []
    for obj in scenario.objects:
        if obj.get("kind") == "Pod" and (obj["metadata"].get("labels") or {}).get("app") == "ovn-central":
            objects += edit(copy.deepcopy(obj))
        else:
            objects.append(obj)
    return replace(scenario, objects=objects)


def _not_ready(pod: dict) -> dict:
    pod["status"]["conditions"] = [c for c in pod["status"].get("conditions") or [] if c.get("type") != "Ready"]
    pod["status"]["conditions"].append({"type": "Ready", "status": "False", "reason": "ContainersNotReady"})
    for status in pod["status"].get("containerStatuses") or []:
        status["ready"] = False
    return pod


def _follower_copy(pod: dict) -> dict:
    twin = copy.deepcopy(pod)
    twin["metadata"]["name"] = pod["metadata"]["name"][:-5] + "zz9q1"
    twin["metadata"]["uid"] = "0badc0de-0000-4000-8000-000000000001"
    twin["metadata"]["labels"]["ovn-nb-leader"] = "false"
    return twin


def test_ovn_central_not_ready_leader_alone_is_used_and_said(tmp_path) -> None:
    with private_sandbox(_with_ovn_central(lambda p: [_not_ready(p)]), tmp_path / "sb") as sandbox:
        proc = timed("ovn-central leader Running but not Ready", sandbox, "vm-a", "-n", "test-ns", "-o", "json")
        assert proc.returncode == 4, proc.stderr
        document = json.loads(proc.stdout)
        assert document["nb"]["leaderOnly"] is False
        assert any("no Ready ovn-central pod is labelled ovn-nb-leader=true" in n for n in document["notes"])
        text = timed("ovn-central leader not Ready, text", sandbox, "vm-a", "-n", "test-ns").stdout
        assert "not known to be the raft leader" in text and "Running but not Ready" in text


def test_ovn_central_not_ready_leader_loses_to_a_ready_member(tmp_path) -> None:
    scenario = _with_ovn_central(lambda p: [_follower_copy(p), _not_ready(p)])
    with private_sandbox(scenario, tmp_path / "sb") as sandbox:
        proc = timed("ovn-central leader not Ready, a Ready follower", sandbox, "vm-a", "-n", "test-ns", "-o", "json")
        assert proc.returncode == 4, proc.stderr
        document = json.loads(proc.stdout)
        assert document["nb"]["endpoint"].endswith("zz9q1") and document["nb"]["leaderOnly"] is False, document


def test_ovn_central_absent(tmp_path) -> None:
    with private_sandbox(_with_ovn_central(lambda p: []), tmp_path / "sb") as sandbox:
        line = one_error(timed("no ovn-central pod", sandbox, "vm-a", "-n", "test-ns"))
        assert "no Running ovn-central pod" in line and '"kube-system"' in line


def test_ovn_central_exec_forbidden(tmp_path) -> None:
    from ovn_lsp_sandbox.scenario import ForbiddenRule

    scenario = _scenario()
    scenario = replace(scenario, forbidden=[*scenario.forbidden, ForbiddenRule(verb="create", resource="pods/exec")])
    with private_sandbox(scenario, tmp_path / "sb") as sandbox:
        line = one_error(timed("exec into ovn-central forbidden", sandbox, "vm-a", "-n", "test-ns"))
        assert "forbidden" in line and "create pods/exec" in line and "kube-system" in line


def test_zzz_report_worst_wall_time(capsys) -> None:
    """Not a check: prints the wall times measured above (pytest -s shows them)."""
    if FAULTS:
        fault, wall = max(FAULTS, key=lambda f: f[1])
        with capsys.disabled():
            print(f"\nfaults: {len(FAULTS)} runs, worst wall {wall:.2f}s ({fault})")
            for name, seconds in sorted(FAULTS, key=lambda f: -f[1]):
                print(f"  {seconds:5.2f}s  {name}")


# -- a wrong-typed NB, a full stdout, no memory (issue #15) --------------------------------------------------------

ODD_SCHEMA = {  # a database named OVN_Northbound whose Logical_Switch_Port is not OVN's (a fork, a wrong server)
    "name": "OVN_Northbound",
    "version": "7.0.0",
    "tables": {
        "Logical_Switch_Port": {
            "isRoot": True,
            "columns": {
                "name": {"type": "integer"},
                "type": {"type": "string"},
                "external_ids": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
                "addresses": {"type": {"key": "integer", "min": 0, "max": "unlimited"}},
                "options": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
                "port_security": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
            },
        },
        "Logical_Switch": {  # as OVN's: the reads select it too
            "isRoot": True,
            "columns": {
                "name": {"type": "string"},
                "ports": {"type": {"key": {"type": "uuid"}, "min": 0, "max": "unlimited"}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def odd_nb(tmp_path_factory) -> Iterator[Sandbox]:
    """tc4's cluster with a real ovsdb-server serving that database (the sandbox serves any NB file as is)."""
    directory = tmp_path_factory.mktemp("odd-nb")
    schema = directory / "odd.ovsschema"
    schema.write_text(json.dumps(ODD_SCHEMA))
    db = directory / "odd.db"
    subprocess.run(["ovsdb-tool", "create", str(db), str(schema)], check=True)
    row = {"name": 5, "type": "", "addresses": ["set", [7]], "external_ids": ["map", [["pod", "test-ns/vm-a"]]]}
    txn = ["OVN_Northbound", {"op": "insert", "table": "Logical_Switch_Port", "row": row}]
    subprocess.run(["ovsdb-tool", "transact", str(db), json.dumps(txn)], check=True, capture_output=True)
    with private_sandbox(replace(_scenario(), nb_database_file=db), directory / "sb") as sandbox:
        yield sandbox


@pytest.mark.parametrize("command", [["audit", "-A"], ["triage"], ["explain", "vm-a", "-n", "test-ns"]])
@pytest.mark.parametrize("path", ["tcp", "exec"])
def test_a_wrong_typed_nb_reply_is_one_error_line(odd_nb: Sandbox, command: list[str], path: str) -> None:
    nb = ["--nb", odd_nb.nb_remotes] if path == "tcp" else []
    proc = run_plugin(odd_nb, *command, *nb, "--request-timeout", "10s")
    line = one_error(proc)
    assert "NB" in line and any(
        words in line
        for words in (
            "of a type the OVN NB schema does not give them",  # the select's rows (audit, triage)
            "are not of the type the OVN NB schema gives them",  # the schema, before explain's monitor
            "NB query failed: syntax error: expected integer",  # explain's select by name, refused by the server
        )
    ), line


@pytest.mark.parametrize("command", [["audit", "-A"], ["explain", "vm-a", "-n", "test-ns", "-o", "json"], ["version"]])
def test_stdout_on_dev_full_is_a_kubectl_style_error(tc4: Sandbox, command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            ["kubectl", "ovn-lsp", *command], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, env=tc4.env()
        )
    assert proc.returncode == 1 and proc.stderr == "error: write /dev/stdout: no space left on device\n", proc.stderr


def test_no_memory_is_one_line(tc4: Sandbox) -> None:
    """`ulimit -v`: each limit either lets the command answer or ends it in one line; the lowest ones must fail.
    The plugin runs directly (kubectl, a Go program, reserves far more address space than it uses)."""
    import resource
    import shutil

    plugin = shutil.which("kubectl-ovn_lsp")
    assert plugin is not None
    outcomes = []
    for megabytes in (30, 45, 60, 80):

        def limit(size: int = megabytes * 1024 * 1024) -> None:
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

        proc = subprocess.run(
            [plugin, "audit", "-A"], capture_output=True, text=True, timeout=60, env=tc4.env(), preexec_fn=limit
        )
        if proc.returncode in (0, 3, 4, 5, 6):
            outcomes.append("answer")
            continue
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, (megabytes, proc.stderr)
        assert proc.stderr.startswith("error: out of memory: "), (megabytes, proc.stderr)
        outcomes.append("out of memory")
    assert outcomes[0] == "out of memory", outcomes
