"""`serve` carries issue #16's findings and lines as `audit -A` and `triage` give them: a leaked IP CR (verdict
`leaked`, the `ip-leak` cluster finding, `ovn_lsp_ports{verdict="leaked"}`) and the controller's `cannot determine
subnet, gc will clean its ip cr` line; a migration the handler skipped (MIG4) and its `migration setup skipped`
line, counted once with the most severe of its VM's ports. Each scenario is a public report (kubeovn/kube-ovn#6943,
#6823), at the reporter's release; the appended lines are the scenario's own, stamped now (lines logged before
`serve` started are history). Expectations are literals (tests/e2e/test_report_scenarios.py has the same answers
in explain, audit and triage).

A private sandbox each (the tests append to the controller's log).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox
from tests.serving import start_serve, wait_for

pytestmark = pytest.mark.clock  # appended lines are stamped now

CONTROLLER = "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"


@dataclass(frozen=True)
class Case:
    scenario: str
    release: str
    findings: frozenset[tuple[str, str, str, str, str]]  # namespace, kind, name, verdict, reason
    ports: dict[str, float]  # ovn_lsp_ports by verdict, those not 0
    line: str  # after the klog header
    counted: tuple[str, str, str]  # ovn_lsp_gc_log_lines_total's event, verdict, reason


CASES = [
    Case(
        "ipam-only-ip-leak",
        "v1.16.0",
        frozenset(
            {
                ("default", "Orphan", "ipam-test", "leaked", "IP3"),
                ("", "ip-leak", "ipam-test.default.net1.default", "leaked", "IP3"),
            }
        ),
        {"ok": 2, "leaked": 1},
        "E{now}.117730       1 pod.go:1955] deleting pod default/ipam-test net-attach-def net1 not found and cannot "
        "determine subnet, gc will clean its ip cr",
        ("ip-kept", "leaked", "IP3"),
    ),
    Case(
        "migration-setup-skipped",
        "v1.15.10",
        frozenset({("demo", "VirtualMachine", "vmx", "degraded", "MIG4")}),
        {"ok": 2, "degraded": 1},
        "W{now}.204477       1 kubevirt.go:187] VM pod demo/virt-launcher-vmx-bbbbb migration setup skipped, source "
        "node: node1, target node:  (migration job UID: 68236823-0000-4000-8000-000000000019)",
        ("migration-skipped", "degraded", "MIG4"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.scenario}@{c.release}")
def test_issue_16_findings_and_lines_reach_the_metrics(case: Case, tmp_path: Path) -> None:
    from ovn_lsp_sandbox import live, runtime
    from ovn_lsp_sandbox.scenario_load import load_scenario

    directory = tmp_path / "sb"
    sandbox = Sandbox(case.scenario, directory, runtime.start(load_scenario(case.scenario), directory))
    serve = start_serve(sandbox, tmp_path / "serve.log", "--interval", "300ms", "--kube-ovn-version", case.release)
    try:
        wait_for("the first cycle", lambda: serve.cycles() >= 1)
        samples = serve.metrics()
        findings = {
            tuple(dict(labels)[k] for k in ("namespace", "kind", "name", "verdict", "reason"))
            for (name, labels), value in samples.items()
            if name == "ovn_lsp_finding" and value == 1
        }
        assert findings == case.findings
        ports = {dict(labels)["verdict"]: v for (name, labels), v in samples.items() if name == "ovn_lsp_ports" and v}
        assert ports == case.ports
        assert not [key for key in samples if key[0] == "ovn_lsp_gc_log_lines_total"]  # the log so far is history

        live.append_log(directory, CONTROLLER, [case.line.format(now=time.strftime("%m%d %H:%M:%S", time.gmtime()))])

        def counted() -> dict[tuple[str, str, str], float]:
            return {
                (dict(labels)["event"], dict(labels)["verdict"], dict(labels)["reason"]): value
                for (name, labels), value in serve.metrics().items()
                if name == "ovn_lsp_gc_log_lines_total"
            }

        wait_for("the line", lambda: counted() == {case.counted: 1.0})
        seen = serve.cycles()
        wait_for("two more cycles", lambda: serve.cycles() >= seen + 2)
        assert counted() == {case.counted: 1.0}
    finally:
        assert serve.stop() == 0
        runtime.stop(directory)
