"""`kubectl ovn-lsp serve` end to end: a real Prometheus scrapes two monitors (NB via exec, and via --nb tcp:)
running against one sandbox, and the test reads the series through Prometheus's HTTP API; the sandbox then changes
(a port deleted by an OVSDB transaction on its NB, a controller log line appended) and the next cycle shows it;
the port put back, its finding's series goes.
The sandbox's request (audit) log then gives every (verb, resource, namespace) the cycles requested, which the
RBAC of deploy/ must grant exactly. Memory stays steady over 100 cycles.

One sandbox (triage-gc-lines, a v1.14.2 controller), one Prometheus, cycles every second: the module takes seconds.
Expectations are literals: the scenario's owners as `audit -A` reports them (README, "audit").
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from kubectl_ovn_lsp import __version__
from tests.sandboxes import Sandbox
from tests.serving import Prometheus, Serve, rss_kib, start_prometheus, start_serve, wait_for

CONTROLLER = "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"
JOBS = ("serve-exec", "serve-tcp")
FINDINGS = {
    ("app", "Pod", "web-5f7c", "lost", ""),
    ("app", "VirtualMachine", "vm-stopped", "deletion-risk", "DEL2"),  # GC already deleted its port (#18)
    ("app", "VirtualMachine", "vm-new", "false-positive", "FP3"),
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A private triage-gc-lines sandbox (these tests change its NB and its controller's log)."""
    from ovn_lsp_sandbox import runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    directory = tmp_path_factory.mktemp("sb-serve")
    state = runtime.start(load_scenario("triage-gc-lines"), directory)
    yield Sandbox("triage-gc-lines", directory, state)
    runtime.stop(directory)


@pytest.fixture(scope="module")
def monitors(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Serve]]:
    logs = tmp_path_factory.mktemp("serve-logs")
    started = {
        "serve-exec": start_serve(sandbox, logs / "exec.log", "--interval", "1s"),
        "serve-tcp": start_serve(sandbox, logs / "tcp.log", "--interval", "1s", "--nb", sandbox.nb_remotes),
    }
    yield started
    for serve in started.values():
        serve.stop()


@pytest.fixture(scope="module")
def fast(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Serve, int]]:
    """A third monitor cycling every 100 ms from the module's start (its cycles run while the other tests do), and
    its RSS (KiB) right after its first cycle, for the memory test at the end."""
    serve = start_serve(sandbox, tmp_path_factory.mktemp("fast") / "fast.log", "--interval", "100ms")
    wait_for("the first cycle", lambda: serve.cycles() >= 1, timeout=30, every=0.02)
    yield serve, rss_kib(serve.process.pid)
    assert serve.stop() == 0


@pytest.fixture(scope="module")
def prometheus(monitors: dict[str, Serve], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    server = start_prometheus(tmp_path_factory.mktemp("prometheus"), {job: s.port for job, s in monitors.items()})
    yield server
    server.stop()


def findings(prometheus: Prometheus, job: str) -> set[tuple[str, ...]]:
    return {
        tuple(dict(labels).get(k, "") for k in ("namespace", "kind", "name", "verdict", "reason"))
        for labels in prometheus.samples(f'ovn_lsp_finding{{job="{job}"}} == 1')
    }


@pytest.mark.clock  # log stamps, cursors and appended lines are the clock's
def test_prometheus_reads_the_replay_through_exec_and_tcp(prometheus: Prometheus, fast: tuple[Serve, int]) -> None:
    for job in JOBS:
        wait_for(f"{job} findings in Prometheus", lambda job=job: findings(prometheus, job) == FINDINGS)
        ports = {dict(k)["verdict"]: v for k, v in prometheus.samples(f'ovn_lsp_ports{{job="{job}"}}').items()}
        assert ports == {
            "ok": 3,
            "lost": 1,
            "false-positive": 1,
            "no-port": 0,
            "stale": 0,
            "leaked": 0,
            "degraded": 0,
            "deletion-risk": 1,
        }
        info = prometheus.samples(f'ovn_lsp_info{{job="{job}"}}')
        assert [dict(k)["kube_ovn_version"] for k in info] == ["v1.14.2"] and [dict(k)["band"] for k in info] == ["H"]
        assert prometheus.samples(f'up{{job="{job}"}}') == {(("job", job),): 1.0}
        # GC's `lsp lost` lines on each run: web-5f7c.app and vm-new.app (the false positive)
        assert list(prometheus.samples(f'ovn_lsp_gc_lost_expected{{job="{job}"}}').values()) == [2.0]
        # the log's lines before serve started are history: nothing counted yet, but the log is read
        assert list(prometheus.samples(f'ovn_lsp_log_lines_total{{job="{job}"}}').values()) == [0.0]
    # the alert rules of deploy/ see the real losses (pending: they wait 10 minutes) and nothing of the VM whose
    # "lsp lost" line is GC's false alarm
    alerts = wait_for(
        "the real-loss alerts",
        lambda: [a for a in prometheus.alerts() if a["labels"]["alertname"] == "OvnLspPortLost"],
    )
    assert {a["labels"]["name"] for a in alerts} == {"web-5f7c"}
    assert all(a["state"] == "pending" for a in alerts)
    assert not [a for a in prometheus.alerts() if "vm-new" in json.dumps(a)]


def test_scrapes_never_start_a_cycle(monitors: dict[str, Serve]) -> None:
    serve = monitors["serve-exec"]
    cycles = serve.cycles()
    started = time.monotonic()
    for _ in range(30):
        serve.metrics()
    elapsed = time.monotonic() - started
    # one cycle a second (--interval 1s), whatever the scrapes: at most the cycles the elapsed time allows
    assert serve.cycles() <= cycles + 1 + int(elapsed)


@pytest.mark.clock  # log stamps, cursors and appended lines are the clock's
def test_a_port_deleted_from_nb_and_a_new_controller_line_show_on_the_next_cycle(
    sandbox: Sandbox, monitors: dict[str, Serve], prometheus: Prometheus
) -> None:
    from ovn_lsp_sandbox import live

    socket = sandbox.state["nb"]["members"][0]["unix_socket"]
    select = [
        "OVN_Northbound",
        {"op": "select", "table": "Logical_Switch_Port", "where": [["name", "==", "node-node2"]]},
        {"op": "select", "table": "Logical_Switch", "where": [], "columns": ["name", "ports"]},
    ]
    answer = subprocess.run(
        ["ovsdb-client", "query", f"unix:{socket}", json.dumps(select)], capture_output=True, text=True, check=True
    )
    [row], switches = json.loads(answer.stdout)[0]["rows"], json.loads(answer.stdout)[1]["rows"]
    uuid = row["_uuid"]
    switch = next(s["name"] for s in switches if uuid[1] in json.dumps(s["ports"]))  # ["uuid", "…"]
    delete = [
        "OVN_Northbound",
        {
            "op": "mutate",
            "table": "Logical_Switch",
            "where": [["ports", "includes", uuid]],
            "mutations": [["ports", "delete", uuid]],  # the port row goes with its last reference
        },
    ]
    done = subprocess.run(
        ["ovsdb-client", "transact", f"unix:{socket}", json.dumps(delete)], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)[0] == {"count": 1}
    # The line is appended once every monitor has judged node2 lost: serve's first cycle reads the log as history
    # (serve/cursor.py) and start_serve returns before it ends, and a cycle that read NB before the delete and the
    # log after the append counts the line with the verdict it judged (ok), as a real cycle would
    for job in JOBS:
        wait_for(
            f"{job}: node2 lost",
            lambda job=job: findings(prometheus, job) == FINDINGS | {("", "Node", "node2", "lost", "")},
        )
    now = datetime.now(timezone.utc)
    live.append_log(
        sandbox.dir,
        CONTROLLER,
        [
            f"E{now:%m%d %H:%M:%S}.000001       1 gc.go:476] lsp lost for pod node-node2, "
            "please delete the pod and retry"
        ],
    )
    for job in JOBS:
        wait_for(
            f"{job}: the new line counted once",
            lambda job=job: (
                prometheus.samples(f'ovn_lsp_gc_log_lines_total{{job="{job}"}}')
                == {(("event", "lost"), ("job", job), ("verdict", "lost")): 1.0}
            ),
        )
        ports = {dict(k)["verdict"]: v for k, v in prometheus.samples(f'ovn_lsp_ports{{job="{job}"}}').items()}
        assert (ports["ok"], ports["lost"]) == (2, 2)
        assert list(prometheus.samples(f'ovn_lsp_log_lines_total{{job="{job}"}}').values()) == [1.0]
    # a few more cycles read the same log again: still counted once
    for serve in monitors.values():
        seen = serve.cycles()
        wait_for("two more cycles", lambda serve=serve, seen=seen: serve.cycles() >= seen + 2)
        assert serve.value("ovn_lsp_gc_log_lines_total", event="lost", verdict="lost", reason="") == 1.0
    # the port comes back (the same row on the same switch): node2's series goes, the others stay
    insert = [
        "OVN_Northbound",
        {
            "op": "insert",
            "table": "Logical_Switch_Port",
            "row": {k: v for k, v in row.items() if not k.startswith("_")},
            "uuid-name": "back",
        },
        {
            "op": "mutate",
            "table": "Logical_Switch",
            "where": [["name", "==", switch]],
            "mutations": [["ports", "insert", ["named-uuid", "back"]]],
        },
    ]
    subprocess.run(["ovsdb-client", "transact", f"unix:{socket}", json.dumps(insert)], check=True, capture_output=True)
    for job in JOBS:
        wait_for(f"{job}: node2 cleared", lambda job=job: findings(prometheus, job) == FINDINGS)
        ports = {dict(k)["verdict"]: v for k, v in prometheus.samples(f'ovn_lsp_ports{{job="{job}"}}').items()}
        assert (ports["ok"], ports["lost"]) == (3, 1)
        assert not prometheus.samples(f'ovn_lsp_finding{{job="{job}", name="node2"}}')


@pytest.mark.clock  # log stamps, cursors and appended lines are the clock's
def test_a_controller_restart_between_cycles_counts_every_line_once(
    sandbox: Sandbox, monitors: dict[str, Serve]
) -> None:
    from ovn_lsp_sandbox import live

    def fp3_line() -> str:
        now = datetime.now(timezone.utc)
        return (
            f"E{now:%m%d %H:%M:%S}.000002       1 gc.go:476] lsp lost for pod vm-new.app, "
            "please delete the pod and retry"
        )

    before = {job: s.value("ovn_lsp_gc_log_lines_total", event="lost", verdict="false-positive", reason="FP3") or 0
              for job, s in monitors.items()}  # fmt: skip
    lines_before = {job: s.value("ovn_lsp_log_lines_total") or 0 for job, s in monitors.items()}
    live.append_log(sandbox.dir, CONTROLLER, [fp3_line()])  # the old container's last line: read from previous
    assert live.restart_container(sandbox.dir, CONTROLLER) == 1
    live.append_log(sandbox.dir, CONTROLLER, [fp3_line()])  # the new container's first line
    for job, serve in monitors.items():
        wait_for(
            f"{job}: both lines",
            lambda serve=serve, job=job: (
                serve.value("ovn_lsp_gc_log_lines_total", event="lost", verdict="false-positive", reason="FP3")
                == before[job] + 2
            ),
        )
        seen = serve.cycles()
        wait_for("two more cycles", lambda serve=serve, seen=seen: serve.cycles() >= seen + 2)
        assert serve.value("ovn_lsp_gc_log_lines_total", event="lost", verdict="false-positive", reason="FP3") == (
            before[job] + 2
        )
        assert serve.value("ovn_lsp_log_lines_total") == lines_before[job] + 2


def _grants(rendered: list[dict]) -> list[tuple[str | None, dict]]:
    """(namespace the rule applies in, None = every namespace and cluster scope; the rule)."""
    out = []
    for obj in rendered:
        if obj["kind"] == "ClusterRole":
            out += [(None, rule) for rule in obj["rules"]]
        elif obj["kind"] == "Role":
            out += [(obj["metadata"]["namespace"], rule) for rule in obj["rules"]]
    return out


def _allows(rule: dict, verb: str, group: str, resource: str, name: str) -> bool:
    """Kubernetes RBAC's rule match (no wildcards are used in deploy/, so none are honoured here)."""
    names = rule.get("resourceNames") or []
    return (
        verb in rule["verbs"]
        and group in rule["apiGroups"]
        and resource in rule["resources"]
        and (not names or name in names)
    )


def test_rbac_grants_exactly_what_the_cycles_requested(sandbox: Sandbox, monitors: dict[str, Serve]) -> None:
    events = [json.loads(line) for line in (sandbox.dir / "audit.log").read_text().splitlines()]
    # only the monitors talk to this sandbox's API (this module changes NB and the log directly): every resource
    # request in the log is theirs (the exec WebSocket carries no User-Agent: the kubernetes client drops it)
    ours = [e for e in events if "objectRef" in e]
    assert {e["userAgent"] for e in ours} <= {"", f"kubectl-ovn-lsp/{__version__}"}
    requested = {
        (
            e["verb"],
            e["objectRef"]["apiGroup"],
            e["objectRef"]["resource"]
            + ("/" + e["objectRef"]["subresource"] if e["objectRef"].get("subresource") else ""),
            e["objectRef"].get("namespace", ""),
            e["objectRef"].get("name", ""),
        )
        for e in ours
    }
    assert {(v, g, r, ns) for v, g, r, ns, _ in requested} == {
        ("get", "apps", "deployments", "kube-system"),
        ("list", "", "pods", ""),
        ("list", "", "nodes", ""),
        ("list", "apps", "statefulsets", ""),
        ("list", "kubevirt.io", "virtualmachines", ""),
        ("list", "kubevirt.io", "virtualmachineinstances", ""),
        ("list", "k8s.cni.cncf.io", "network-attachment-definitions", ""),
        ("list", "kubeovn.io", "subnets", ""),
        ("list", "kubeovn.io", "vips", ""),
        ("list", "kubeovn.io", "ovn-eips", ""),
        ("list", "kubeovn.io", "ips", ""),
        ("list", "", "pods", "kube-system"),  # ovn-central (exec) and kube-ovn-controller (logs) pods
        ("create", "", "pods/exec", "kube-system"),
        ("get", "", "pods/log", "kube-system"),
    }
    rendered = [
        d
        for d in yaml.safe_load_all(
            subprocess.run(
                ["kubectl", "kustomize", str(Path(__file__).resolve().parents[2] / "deploy")],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        if d
    ]
    grants = _grants(rendered)
    for verb, group, resource, namespace, name in requested:
        assert any(
            (where is None or where == namespace) and _allows(rule, verb, group, resource, name)
            for where, rule in grants
        ), f"no grant for {verb} {resource} in {namespace or 'the cluster'}"
    # and nothing more: every (verb, resource) of every rule was used where it applies, but `get` on pods/exec
    # (API servers before 1.31 authorize the exec WebSocket as get; the sandbox is 1.32)
    for where, rule in grants:
        for verb in rule["verbs"]:
            for group in rule["apiGroups"]:
                for resource in rule["resources"]:
                    if (verb, resource) == ("get", "pods/exec"):
                        continue
                    used = any(
                        (v, g, r) == (verb, group, resource) and (where is None or ns == where)
                        for v, g, r, ns, _ in requested
                    )
                    assert used, f"{where or 'ClusterRole'} grants {verb} {group}/{resource}, which no cycle requested"
    assert not [r for r in rendered if r["kind"] == "Role" and r["metadata"]["namespace"] != "kube-system"]


def test_memory_stays_steady_over_100_cycles(fast: tuple[Serve, int]) -> None:
    serve, after_first = fast
    wait_for("100 more cycles", lambda: serve.cycles() >= 101, timeout=120, every=0.5)
    after = rss_kib(serve.process.pid)
    assert serve.value("ovn_lsp_cycle_errors_total", step="nb") == 0
    assert serve.value("ovn_lsp_cycle_errors_total", step="logs") == 0
    assert after < after_first * 1.10, f"RSS {after_first} KiB after the first cycle, {after} KiB after 100 more"
