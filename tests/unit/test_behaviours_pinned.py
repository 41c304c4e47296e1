"""Behaviours that had no test (a change to any of them passed the whole suite): the severity order between port
verdicts of one workload, and the v1.16 interface suffix only for a NAD attached more than once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import nad, pod, settings, verdicts
from scenarios import tc2, tc4, tc5

from kubectl_ovn_lsp.model.bands import behaviour_for
from kubectl_ovn_lsp.model.intent import pod_intended
from kubectl_ovn_lsp.model.lookups import judge
from kubectl_ovn_lsp.model.verdicts import exit_code
from kubectl_ovn_lsp.model.versions import parse_version


def test_lost_outranks_false_positive() -> None:
    """TC4 with its real Multus port gone too: FP1 on <vm>.<ns> and a real loss; the workload is `lost` (exit 3)."""
    j = judge(replace(tc4(), nb_ports=()), settings("v1.13.4", keep_vm_ip=True))
    assert verdicts(j) == {
        "vm-a.test-ns": ("false-positive", "FP1"),
        "vm-a.test-ns.subnet-a.test-ns.ovn": ("lost", None),
    }
    assert j.verdict == "lost" and exit_code(j.verdict) == 3


@pytest.mark.parametrize("version, reason, lost", [("v1.14.2", "DEL2", "LOST2"), ("v1.8.7", "DEL3", None)])
def test_deletion_risk_outranks_lost(version: str, reason: str, lost: str | None) -> None:
    """TC5 without its primary port: `lost` on <vm>.<ns> (LOST2 while the VM is stopped) and a deletion risk on
    the Multus port: exit 5."""
    snap = tc5(running=version == "v1.8.7")
    snap = replace(snap, nb_ports=tuple(p for p in snap.nb_ports if p.name != "vm1.vmns"))
    j = judge(snap, settings(version, keep_vm_ip=True))
    assert verdicts(j) == {"vm1.vmns": ("lost", lost), "vm1.vmns.nad-a.vmns.ovn": ("deletion-risk", reason)}
    assert j.verdict == "deletion-risk" and exit_code(j.verdict) == 5


@pytest.mark.parametrize("verdict", ["ok", "stale", "no-port"])
def test_informational_verdicts_exit_0(verdict: str) -> None:
    assert exit_code(verdict) == 0


@pytest.mark.parametrize("version", ["v1.15.24", "v1.16.2", "master"])
def test_nad_attached_once_with_iface_has_no_suffix(version: str) -> None:
    j = judge(tc2(networks="default/attachnet@eth1"), settings(version))
    assert set(verdicts(j)) == {"p1.default", "p1.default.attachnet.default.ovn"} and j.verdict == "ok"


@pytest.mark.parametrize(
    "version, names",
    [
        ("v1.15.24", ["p1.default.attachnet.default.ovn"]),
        ("v1.16.2", ["p1.default.attachnet.default.ovn", "p1.default.attachnet.default.ovn.eth1"]),
    ],
)
def test_nad_attached_twice_gets_the_suffix_from_v1_16(version: str, names: list[str]) -> None:
    p = pod(
        "p1",
        "default",
        {
            "v1.multus-cni.io/default-network": "default/attachnet",
            "k8s.v1.cni.cncf.io/networks": "default/attachnet@eth1",
        },
    )
    intended = pod_intended(
        p,
        "p1",
        {("default", "attachnet"): nad("attachnet", "default")},
        {},
        behaviour_for(parse_version(version)),
        False,
    )
    assert [i.name for i in intended] == names
