"""Issue #16's public reports, each a shipped scenario (#2486's advice: tests/e2e/scenarios/report-2486.yaml),
explained at the reporter's release and at the fixed one in all three views alike: `explain` of the owner, the
owner's `audit -A` item, and `triage`'s entry when the controller log names it; through exec, and once per
scenario through `--nb tcp:` (the direct selects of audit and explain).

Expectations are literals from the upstream source (docs/upstream-findings.md §12–§16), not from the code.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox, run_plugin

COMPARED = ("target", "ports", "gc", "verdict")
# #2486 (advice names the fix on the running branch) has no shipped scenario: tc5 with its VMs' network named only
# by the template's Multus annotation, vm3's port already deleted by GC (the log says so)
LOCAL = {"report-2486": str(Path(__file__).parent / "scenarios" / "report-2486.yaml")}


@dataclass(frozen=True)
class Case:
    scenario: str
    release: str
    target: list[str]  # explain's arguments
    kind: str  # the audit item's target kind
    name: str
    port: str
    expected: tuple[str, str | None]  # the port's (verdict, reason)
    says: str  # a phrase the owner's advice or cluster finding must hold
    cluster: tuple[str, ...] = ()  # the cluster findings (kind) audit shows first
    triage: str | None = None  # the triage event of `port`, when the log names it


CASES = [
    Case("vm-recreated-other-subnet", "v1.12.0", ["vm1", "-n", "demo"], "VirtualMachine", "vm1", "vm1.demo",
         ("lost", "PORT1"), "leaves the VM's existing port as it is (v1.12.0–v1.12.4)"),
    Case("vm-recreated-other-subnet", "v1.13.0", ["vm1", "-n", "demo"], "VirtualMachine", "vm1", "vm1.demo",
         ("lost", "PORT1"), "moves it to its Subnet's switch (#4199)"),
    Case("node-port-stale-address", "v1.13.10", ["node/node2"], "Node", "node2", "node-node2",
         ("lost", "PORT2"), "closed from v1.13.11 and v1.14.0 (kubeovn/kube-ovn#5172)"),
    Case("node-port-stale-address", "v1.13.11", ["node/node2"], "Node", "node2", "node-node2",
         ("lost", "PORT2"), "this mismatch is older or has another cause"),
    Case("gc-noop-port-without-ls", "v1.14.6", ["acp-daemonset-m5wc5.e2eproject"], "Orphan", "acp-daemonset-m5wc5",
         "acp-daemonset-m5wc5.e2eproject", ("degraded", "GC2"), "fixed in v1.14.24 on release-1.14",
         ("gc-delete-no-op",), "deleted"),
    Case("gc-noop-port-without-ls", "v1.14.24", ["acp-daemonset-m5wc5.e2eproject"], "Orphan", "acp-daemonset-m5wc5",
         "acp-daemonset-m5wc5.e2eproject", ("stale", None), "Nothing to do", (), "deleted"),
    Case("gc-stalled-port-without-ls", "v1.14.22", ["acp-app-import-6ql4r.e2eproject"], "Orphan",
         "acp-app-import-6ql4r", "acp-app-import-6ql4r.e2eproject", ("degraded", "GC1"),
         "fixed in v1.14.24 on release-1.14", ("gc-stalled",), "delete-failed"),
    Case("gc-stalled-port-without-ls", "v1.14.24", ["acp-app-import-6ql4r.e2eproject"], "Orphan",
         "acp-app-import-6ql4r", "acp-app-import-6ql4r.e2eproject", ("stale", None), "Nothing to do", (),
         "delete-failed"),
    Case("migration-setup-skipped", "v1.15.10", ["vmx", "-n", "demo"], "VirtualMachine", "vmx", "vmx.demo",
         ("degraded", "MIG4"), "fixed in v1.15.14 on release-1.15", (), "migration-skipped"),
    Case("migration-setup-skipped", "v1.15.14", ["vmx", "-n", "demo"], "VirtualMachine", "vmx", "vmx.demo",
         ("degraded", "MIG3"), "handler has not run or is failing", (), "migration-skipped"),
    Case("ipam-only-ip-leak", "v1.16.0", ["ipam-test", "-n", "default"], "Orphan", "ipam-test",
         "ipam-test.default.net1.default", ("leaked", "IP3"), "the next v1.16.3", ("ip-leak",), "ip-kept"),
    Case("ipam-only-ip-leak", "v1.15.20", ["ipam-test", "-n", "default"], "Orphan", "ipam-test",
         "ipam-test.default.net1.default", ("leaked", "IP2"), "only gcIP, when kube-ovn-controller starts",
         ("ip-leak",), "ip-kept"),
    Case("report-2486", "v1.9.22", ["vm2", "-n", "vmns"], "VirtualMachine", "vm2", "vm2.vmns.nad-a.vmns.ovn",
         ("deletion-risk", "DEL6"), "Upgrade (fixed in v1.9.23 on release-1.9 (also v1.11.5); #2504"),
    Case("report-2486", "v1.10.10", ["vm2", "-n", "vmns"], "VirtualMachine", "vm2", "vm2.vmns.nad-a.vmns.ovn",
         ("deletion-risk", "DEL6"), "no release-1.10 release has the fix: upgrade to v1.11.5 or later"),
    Case("report-2486", "v1.11.3", ["vm2", "-n", "vmns"], "VirtualMachine", "vm2", "vm2.vmns.nad-a.vmns.ovn",
         ("deletion-risk", "DEL6"), "fixed in v1.11.5 on release-1.11; #2504"),
    Case("report-2486", "v1.9.23", ["vm2", "-n", "vmns"], "VirtualMachine", "vm2", "vm2.vmns.nad-a.vmns.ovn",
         ("ok", None), "Consistent: GC logs nothing for this workload and deletes nothing it needs."),
    Case("report-2486", "v1.11.5", ["vm2", "-n", "vmns"], "VirtualMachine", "vm2", "vm2.vmns.nad-a.vmns.ovn",
         ("ok", None), "Consistent: GC logs nothing for this workload and deletes nothing it needs."),
    Case("report-2486", "v1.9.22", ["vm3", "-n", "vmns"], "VirtualMachine", "vm3", "vm3.vmns.nad-a.vmns.ovn",
         ("deletion-risk", "DEL6"), "Upgrade (fixed in v1.9.23 on release-1.9 (also v1.11.5); #2504", (),
         "deleted"),
    Case("report-2486", "v1.9.23", ["vm3", "-n", "vmns"], "VirtualMachine", "vm3", "vm3.vmns.nad-a.vmns.ovn",
         ("lost", "LOST2"), "Start the VM: Kube-OVN creates vm3.vmns.nad-a.vmns.ovn again when the launcher pod is "
         "added", (), "deleted"),
]  # fmt: skip
EXIT = {"ok": 0, "stale": 0, "lost": 3, "deletion-risk": 5, "degraded": 6, "leaked": 7}


def _json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def _views(sandbox: Sandbox, case: Case, *nb: str) -> tuple[dict, dict, subprocess.CompletedProcess]:
    version = ("--kube-ovn-version", case.release)
    explain = run_plugin(sandbox, "explain", *case.target, *version, "-o", "json", *nb)
    audit = _json(run_plugin(sandbox, "audit", "-A", *version, "-o", "json", *nb))
    item = next(i for i in audit["items"] if (i["target"]["kind"], i["target"]["name"]) == (case.kind, case.name))
    return audit, item, explain


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.scenario}:{c.name}@{c.release}")
def test_report_answer_is_the_same_in_explain_audit_and_triage(sandbox_factory, case: Case) -> None:
    sandbox = sandbox_factory(LOCAL.get(case.scenario, case.scenario))
    audit, item, proc = _views(sandbox, case)
    explained = _json(proc)
    for key in COMPARED:
        assert explained[key] == item[key], key
    port = next(p for p in item["ports"] if p["name"] == case.port)
    assert (port["verdict"], port["reason"]) == case.expected
    assert proc.returncode == EXIT[item["verdict"]], proc.stderr
    shown = [c["kind"] for c in audit.get("cluster", [])]
    assert shown == list(case.cluster)
    words = " ".join(item["advice"]) + " ".join(a for c in audit.get("cluster", []) for a in c["advice"])
    assert case.says in words, words
    if case.triage is None:
        return
    triage = _json(run_plugin(sandbox, "triage", "--kube-ovn-version", case.release, "-o", "json"))
    entry = next(e for e in triage["items"] if e["port"] == case.port)
    assert entry["event"] == case.triage
    assert (entry["verdict"], entry["reason"]) == (case.expected if case.expected[0] != "stale" else ("ok", None))
    kinds = [c["kind"] for c in triage.get("cluster", []) if c["verdict"] != "ok"]
    assert kinds == list(case.cluster)


def test_an_owner_gc_stops_for_sees_the_stall_in_explain(sandbox_factory) -> None:
    """web-lost's port is missing: GC would log it, but the blocking port of another owner stops every cycle
    first (v1.14.22); explain shows the cluster finding, which says the line is not logged. Fixed: none."""
    sandbox = sandbox_factory("gc-stalled-port-without-ls")
    args = ("explain", "web-lost", "-n", "app", "-o", "json")
    proc = run_plugin(sandbox, *args, "--kube-ovn-version", "v1.14.22", "-v")
    stalled = _json(proc)
    reads = [line for line in proc.stderr.splitlines() if " EXEC " in line and "ovsdb-client" in line]
    assert not any('"table":"Logical_Switch_Port","where":[]' in line for line in reads), (
        reads
    )  # the stalled-GC check reads filtered
    [finding] = stalled["cluster"]
    assert finding["kind"] == "gc-stalled" and finding["ports"] == ["acp-app-import-6ql4r.e2eproject"]
    assert any("web-lost.app" in d for d in finding["detail"])
    assert "cluster" not in _json(run_plugin(sandbox, *args, "--kube-ovn-version", "v1.14.24"))


def test_a_stalled_gc_is_expected_to_log_and_delete_nothing(sandbox_factory) -> None:
    """While the stall is named, what GC's next cycle logs and deletes is what a stalled GC does (gc.go returns at
    the failing delete): serve's gc_lost_expected/gc_delete_expected come from this `gc`, so OvnLspGcSilent does not
    fire beside OvnLspGcStalled (a new user's report: 'no lost line is logged', then 'GC logs 1 lost, deletes 2')."""
    sandbox = sandbox_factory("gc-stalled-port-without-ls")
    stalled = run_plugin(sandbox, "audit", "-A", "--kube-ovn-version", "v1.14.22")
    assert stalled.stdout.splitlines()[-1] == (
        "7 owners (degraded 1, lost 1, ok 5); ports: degraded 1, lost 1, ok 2, stale 1; reasons: GC1 1; "
        "GC logs 0 lost, deletes 0 (stalled: see GC STALLED above)"
    )
    document = _json(run_plugin(sandbox, "audit", "-A", "-o", "json", "--kube-ovn-version", "v1.14.22"))
    assert document["gc"] == {"lostLogged": [], "wouldDelete": []}
    web = next(i for i in document["items"] if i["target"]["name"] == "web-lost")
    assert web["gc"]["lostLogged"] == ["web-lost.app"]  # what GC logs for it once its cycles complete
    fixed = _json(run_plugin(sandbox, "audit", "-A", "-o", "json", "--kube-ovn-version", "v1.14.24"))
    assert fixed["gc"] == {
        "lostLogged": ["web-lost.app"],
        "wouldDelete": ["acp-app-import-6ql4r.e2eproject", "old-db-1.app"],
    }


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.release in ("v1.12.0", "v1.13.10", "v1.14.22", "v1.15.10", "v1.16.0", "v1.11.3")],
    ids=lambda c: f"{c.scenario}:{c.name}",
)
def test_report_answer_via_nb_tcp(sandbox_factory, case: Case) -> None:
    """The direct paths (audit's select of every port, explain's of its names, keys and switches) read the same ports
    and switches as exec."""
    sandbox = sandbox_factory(LOCAL.get(case.scenario, case.scenario))
    _, item, proc = _views(sandbox, case, "--nb", sandbox.nb_remotes)
    explained = _json(proc)
    for key in COMPARED:
        assert explained[key] == item[key], key
    port = next(p for p in item["ports"] if p["name"] == case.port)
    assert (port["verdict"], port["reason"]) == case.expected
