"""The upgrade preflight through the real `kubectl ovn-lsp` against the shipped tc5 (a stopped VM vmns/vm2 at
Kube-OVN v1.13.4 whose ports are retained): issue #18's acceptance."""

from __future__ import annotations

import json

import pytest

from tests.sandboxes import Sandbox, run_plugin

VM2 = {
    "namespace": "vmns",
    "kind": "VirtualMachine",
    "name": "vm2",
    "before": {"verdict": "ok", "reasons": []},
    "after": {"verdict": "deletion-risk", "reasons": ["DEL2"]},
    "ports": [
        {
            "name": "vm2.vmns.nad-a.vmns.ovn",
            "before": {"verdict": "ok", "reasons": []},
            "after": {"verdict": "deletion-risk", "reasons": ["DEL2"]},
        }
    ],
}


@pytest.fixture(scope="module")
def tc5(sandbox_factory) -> Sandbox:
    return sandbox_factory("tc5")


def test_upgrading_to_v1_14_2_puts_the_stopped_vms_port_at_risk(tc5: Sandbox) -> None:
    proc = run_plugin(tc5, "audit", "-A", "--upgrade-to", "v1.14.2", "-o", "json")
    assert proc.returncode == 5, proc.stderr
    document = json.loads(proc.stdout)
    upgrade = document["upgrade"]
    assert (upgrade["from"], upgrade["to"], upgrade["verdict"], upgrade["changes"]) == (
        "v1.13.4",
        "v1.14.2",
        "deletion-risk",
        [VM2],
    )
    assert upgrade["newWouldDelete"] == ["vm2.vmns.nad-a.vmns.ovn"] and upgrade["newLostLogged"] == []
    assert upgrade["firstStart"]["startupDoubleRun"] is False
    assert upgrade["firstStart"]["deletesAfterInterval"] == ["vm2.vmns.nad-a.vmns.ovn"]
    assert (upgrade["kubeOvn"]["band"], upgrade["kubeOvn"]["enableExternalVpc"]) == ("H", True)
    assert document["verdict"] == "ok"  # the running release's audit is unchanged: nothing at risk today
    text = run_plugin(tc5, "audit", "-A", "--upgrade-to", "v1.14.2")
    assert text.returncode == 5
    rows = [line.split() for line in text.stdout.splitlines()]
    assert ["vmns", "VirtualMachine", "vm2", "ok", "deletion-risk(DEL2)"] in rows
    assert run_plugin(tc5, "audit", "-A", "--upgrade-to", "v1.14.2", "--no-headers").stdout.split() == [
        "vmns",
        "VirtualMachine",
        "vm2",
        "ok",
        "deletion-risk(DEL2)",
    ]


def test_upgrading_to_v1_14_5_lists_no_deletion_risk(tc5: Sandbox) -> None:
    proc = run_plugin(tc5, "audit", "-A", "--upgrade-to", "v1.14.5", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    upgrade = json.loads(proc.stdout)["upgrade"]
    assert (upgrade["changes"], upgrade["verdict"], upgrade["newWouldDelete"]) == ([], "ok", [])
    text = run_plugin(tc5, "audit", "-A", "--upgrade-to", "v1.14.5")
    assert text.returncode == 0 and "No owner's verdict or reason codes change at v1.14.5." in text.stdout


def test_upgrading_to_every_branch_names_a_first_safe_release(tc5: Sandbox) -> None:
    proc = run_plugin(tc5, "audit", "-A", "--upgrade-to", "all", "-o", "json")
    assert proc.returncode == 0, proc.stderr  # the running release's exit code, as --kube-ovn-version all keeps it
    upgrade = json.loads(proc.stdout)["upgrade"]
    assert upgrade["firstSafe"] == "v1.13.5"
    releases = {r["release"]: r for r in upgrade["releases"]}
    assert list(releases)[-3:] == ["v1.15.24", "v1.16.2", "master"]
    assert releases["v1.14.41"]["firstSafeOnBranch"] == "v1.14.5" and releases["v1.14.41"]["verdict"] == "ok"
    text = run_plugin(tc5, "audit", "-A", "--upgrade-to", "all").stdout
    assert "First release after v1.13.4 with no deletion-risk owner: v1.13.5." in text


def test_explain_says_what_the_upgrade_does_to_one_vm(tc5: Sandbox) -> None:
    proc = run_plugin(tc5, "explain", "vm2", "-n", "vmns", "--upgrade-to", "v1.14.2", "-o", "json")
    assert proc.returncode == 5, proc.stderr
    document = json.loads(proc.stdout)
    assert document["verdict"] == "ok" and document["upgrade"]["changes"] == [VM2]
    assert document["upgrade"]["owners"] == 1
    same = run_plugin(tc5, "explain", "vm1", "-n", "vmns", "--upgrade-to", "v1.14.2", "-o", "json")
    assert same.returncode == 0 and json.loads(same.stdout)["upgrade"]["changes"] == []  # a running VM is kept
    text = run_plugin(tc5, "explain", "vm2", "-n", "vmns", "--upgrade-to", "v1.14.2").stdout
    assert "vm2.vmns.nad-a.vmns.ovn=ok->deletion-risk(DEL2)" in text


@pytest.mark.parametrize(
    "argv,message",
    [
        (["explain", "vm2", "-n", "vmns", "--upgrade-to", "all"], "'all' (one row per release branch) is audit's"),
        (["audit", "-A", "--upgrade-to", "v1.6.0"], "v1.6.0 is older than every release this plugin checked"),
        (["audit", "-A", "--upgrade-to", "latest"], "expected a release such as v1.13.4"),
    ],
)
def test_targets_nothing_stands_for_are_usage_errors(tc5: Sandbox, argv: list[str], message: str) -> None:
    proc = run_plugin(tc5, *argv)
    assert proc.returncode == 2 and message in proc.stderr and proc.stdout == ""
