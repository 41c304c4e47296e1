"""The spec's §7 examples end to end through `judge`, per release."""

from __future__ import annotations

import pytest
from factories import settings
from scenarios import tc1, tc2, tc4

from kubectl_ovn_lsp.model.lookups import candidate_lookups, judge, nad_references

V12 = [f"v1.12.{n}" for n in range(0, 36)]


def by_name(judgement):
    return {p.name: p for p in judgement.ports}


@pytest.mark.parametrize("version", ["v1.8.0", "v1.9.0", "v1.12.10", "v1.13.4", "v1.14.0", "v1.15.3", "v1.16.2"])
def test_tc1_plain_pod_present_is_ok(version):
    j = judge(tc1(), settings(version))
    assert j.verdict == "ok" and j.target_kind == "Pod" and j.port_owner == "web-5f7c"
    [port] = j.ports
    assert (port.name, port.provider, port.network) == ("web-5f7c.app", "ovn", "default")
    assert port.sources == ("pod-annotation",)
    assert port.expected_by_gc and port.listed_by_gc and port.verdict == "ok"
    assert j.message is None and j.lost_logged == () and j.would_delete == ()


def test_tc1_absent_is_lost_and_logged():
    j = judge(tc1(in_nb=False), settings("v1.13.4"))
    assert j.verdict == "lost" and j.lost_logged == ("web-5f7c.app",)
    assert j.message == "lsp lost for pod web-5f7c.app, please delete the pod and retry"


def test_tc1_completed_pod_port_is_stale():
    j = judge(tc1(phase="Succeeded", restart="Never"), settings("v1.13.4"))
    [port] = j.ports
    assert (port.verdict, port.expected_by_gc, port.listed_by_gc) == ("stale", False, True)
    assert j.would_delete == ("web-5f7c.app",) and j.verdict == "ok"


@pytest.mark.parametrize("networks", ["default/attachnet", "attachnet", '[{"name":"attachnet","namespace":"default"}]'])
@pytest.mark.parametrize("version", ["v1.8.0", "v1.9.0", "v1.11.24", "v1.13.4", "v1.16.0"])
def test_tc2_attachment_ok_outside_del3(networks, version):
    j = judge(tc2(networks=networks), settings(version))
    assert j.verdict == "ok", j.ports
    assert [p.name for p in j.ports] == ["p1.default", "p1.default.attachnet.default.ovn"]
    attach = by_name(j)["p1.default.attachnet.default.ovn"]
    assert attach.network == "default/attachnet" and attach.provider == "attachnet.default.ovn"
    assert set(attach.sources) == {"pod-annotation", "multus-annotation"}


@pytest.mark.parametrize("version", ["v1.8.1", "v1.8.3", "v1.8.18"])
def test_tc2_del3_attachment_deleted(version):
    j = judge(tc2(), settings(version))
    attach = by_name(j)["p1.default.attachnet.default.ovn"]
    assert (attach.verdict, attach.reason, attach.expected_by_gc) == ("deletion-risk", "DEL3", False)
    assert j.verdict == "deletion-risk" and j.would_delete == ("p1.default.attachnet.default.ovn",)


@pytest.mark.parametrize("version", ["v1.13.4", "v1.13.5", *V12])
def test_tc4_false_positive_fp1(version):
    j = judge(tc4(), settings(version, keep_vm_ip=True))
    assert j.verdict == "false-positive"
    assert j.target_kind == "VirtualMachine" and j.port_owner == "vm-a" and j.pods == ("virt-launcher-vm-a-abcde",)
    primary = by_name(j)["vm-a.test-ns"]
    assert (primary.verdict, primary.reason, primary.in_nb) == ("false-positive", "FP1", False)
    assert primary.sources == ("vm-spec",)
    assert by_name(j)["vm-a.test-ns.subnet-a.test-ns.ovn"].verdict == "ok"
    assert j.lost_logged == ("vm-a.test-ns",)
    assert j.message == "lsp lost for pod vm-a.test-ns, please delete the pod and retry"
    assert "#5106" in j.advice[0] and "Do not delete the pod" in j.advice[0]


@pytest.mark.parametrize("version", ["v1.13.6", "v1.13.15", "v1.14.0", "v1.14.5", "v1.15.0", "v1.16.2", "master"])
def test_tc4_fixed(version):
    j = judge(tc4(), settings(version, keep_vm_ip=True))
    assert j.verdict == "ok", j.ports
    assert [p.name for p in j.ports] == ["vm-a.test-ns.subnet-a.test-ns.ovn"]
    assert j.message is None


@pytest.mark.parametrize("version", ["v1.9.0", "v1.12.3", "v1.13.4", "v1.13.5", "v1.13.6", "v1.14.0", "v1.16.2"])
def test_tc4_without_keep_vm_ip_ok_everywhere(version):
    j = judge(tc4(keep_vm_ip=False), settings(version, keep_vm_ip=False))
    assert j.verdict == "ok"
    assert [p.name for p in j.ports] == ["virt-launcher-vm-a-abcde.test-ns.subnet-a.test-ns.ovn"]
    assert j.port_owner == "virt-launcher-vm-a-abcde"


def test_tc4_via_launcher_pod_resolves_to_vm():
    j = judge(tc4(target="Pod"), settings("v1.13.4", keep_vm_ip=True))
    assert (j.target_kind, j.port_owner, j.verdict) == ("VirtualMachine", "vm-a", "false-positive")


def test_candidate_lookups_and_nad_references_tc4():
    s = settings("v1.13.4", keep_vm_ip=True)
    snap = tc4()
    assert nad_references(snap.pods, snap.vm, "test-ns", s) == [("test-ns", "subnet-a")]
    names, keys = candidate_lookups(snap, s)
    assert names == ["vm-a.test-ns", "vm-a.test-ns.subnet-a.test-ns.ovn"]
    assert keys == ["test-ns/virt-launcher-vm-a-abcde", "test-ns/vm-a"]


def test_candidate_lookups_tc2():
    s = settings("v1.13.4")
    snap = tc2()
    assert nad_references(snap.pods, None, "default", s) == [("default", "attachnet")]
    assert candidate_lookups(snap, s) == (["p1.default", "p1.default.attachnet.default.ovn"], ["default/p1"])


@pytest.mark.parametrize(
    "version,logged",
    [
        ("v1.8.6", False),
        ("v1.8.7", True),
        ("v1.8.18", True),
        ("v1.9.3", False),
        ("v1.9.4", True),
        ("v1.10.0", False),
        ("v1.10.1", True),
        ("v1.11.0", True),
        ("v1.11.24", True),
        ("v1.13.5", True),
        ("v1.13.6", False),
        ("v1.14.0", False),
    ],
)
def test_tc4_lost_line_per_release(version, logged):
    """Spec TC4: 'Lost vm-a.test-ns: v1.8.7–v1.8.18, v1.9.4+, v1.10.1+, v1.11.x, v1.12.x, v1.13.0–v1.13.5'."""
    j = judge(tc4(), settings(version, keep_vm_ip=True))
    assert ("vm-a.test-ns" in j.lost_logged) is logged


def test_default_network_provider_before_and_after_v1_8_2():
    from factories import nad, pod, snapshot

    p = pod("p", "ns", {"v1.multus-cni.io/default-network": "ns/net"})
    snap = snapshot("ns", "Pod", "p", pods=[p], nads=[nad("net", "ns")])
    assert candidate_lookups(snap, settings("v1.8.1"))[0] == ["p.ns"]
    assert candidate_lookups(snap, settings("v1.8.2"))[0] == ["p.ns.net.ns.ovn"]


@pytest.mark.parametrize(
    "api_version,version,owner",
    [
        ("kubevirt.io/v1", "v1.15.0", "vm-a"),
        ("kubevirt.io", "v1.14.41", "vm-a"),
        ("kubevirt.io", "v1.15.0", "virt-launcher-vm-a-abcde"),  # v1.15+ requires "kubevirt.io/"
    ],
)
def test_vmi_owner_prefix_per_release(api_version, version, owner):
    snap = tc4()
    pod = dict(
        snap.pods[0],
        metadata={
            **snap.pods[0]["metadata"],
            "ownerReferences": [{"apiVersion": api_version, "kind": "VirtualMachineInstance", "name": "vm-a"}],
        },
    )
    from dataclasses import replace

    assert judge(replace(snap, pods=(pod,)), settings(version, keep_vm_ip=True)).port_owner == owner


def test_startup_double_run_note():
    j = judge(tc1(phase="Succeeded", restart="Never"), settings("v1.12.35"))
    assert any("twice at controller start" in n for n in j.notes)
    j = judge(tc1(phase="Succeeded", restart="Never"), settings("v1.11.11"))
    assert not any("twice" in n for n in j.notes)
