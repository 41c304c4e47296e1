"""Every false-positive (FP1–FP9) and silent-deletion (DEL1–DEL3) class of spec §4.9, on both sides of its fix."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from factories import (
    NOW,
    allocated,
    launcher,
    multus_net,
    nad,
    nb_port,
    pod,
    port,
    settings,
    snapshot,
    statefulset,
    sts_owner_ref,
    subnet,
    verdicts,
    vm,
)
from scenarios import tc1, tc2, tc3, tc4, tc5

from kubectl_ovn_lsp.model.lookups import judge
from kubectl_ovn_lsp.model.versions import parse_version


# FP1 is the reported case: see test_examples.py (TC4) for every v1.12.x/v1.13.x/v1.14.0.
def test_fp1_not_before_getvmlsps_existed():
    # v1.8.3–v1.8.6 name ports after the VM but have no getVmLsps: nothing synthesised, nothing logged.
    j = judge(tc4(), settings("v1.9.3", keep_vm_ip=True))
    assert "vm-a.test-ns" not in {p.name for p in j.ports}


def fp2_snapshot(*, template: bool = False, running: bool = True):
    """VM with a macvlan + kube-ovn IPAM secondary network: GC's VM path still appends .ovn."""
    networks = [{"name": "default", "pod": {}}]
    annotations = None
    if template:
        annotations = {"k8s.v1.cni.cncf.io/networks": "macvlan"}
    else:
        networks.append(multus_net("mv", "vmns/macvlan"))
    v = vm("vm2", "vmns", networks, template_annotations=annotations)
    ann = {
        "k8s.v1.cni.cncf.io/networks": json.dumps([{"interface": "net1", "name": "macvlan", "namespace": "vmns"}]),
        **allocated("ovn", "ovn-default"),
        **allocated("macvlan.vmns", None, "172.18.0.7"),
    }
    pods = [launcher("vm2", "vmns", ann)] if running else []
    return snapshot(
        "vmns",
        "VirtualMachine",
        "vm2",
        pods=pods,
        vm_obj=v,
        nads=[nad("macvlan", "vmns", "macvlan", ipam="kube-ovn")],
        subnets=[subnet("macvlan-subnet", "macvlan.vmns", "172.18.0.0/16")],
        nb=[nb_port("vm2.vmns", "vmns", "vm2")],
    )


@pytest.mark.parametrize("version", ["v1.12.0", "v1.13.4", "v1.14.5", "v1.16.2", "master"])
def test_fp2_spec_networks_ipam_nad(version):
    j = judge(fp2_snapshot(), settings(version, keep_vm_ip=True))
    assert port(j, "vm2.vmns.macvlan.vmns.ovn").reason == "FP2"
    assert "(macvlan)" in port(j, "vm2.vmns.macvlan.vmns.ovn").detail  # names what the NAD really is
    assert port(j, "vm2.vmns.macvlan.vmns").verdict == "no-port"
    assert port(j, "vm2.vmns").verdict == "ok"
    assert j.verdict == "false-positive" and j.lost_logged == ("vm2.vmns.macvlan.vmns.ovn",)


@pytest.mark.parametrize(
    "version,affected",
    [
        ("v1.9.22", False),
        ("v1.9.23", True),
        ("v1.10.10", False),
        ("v1.11.4", False),
        ("v1.11.5", True),
        ("v1.12.0", True),
    ],
)
def test_fp2_template_annotation_boundary(version, affected):
    j = judge(fp2_snapshot(template=True), settings(version, keep_vm_ip=True))
    names = {p.name for p in j.ports if p.expected_by_gc}
    assert ("vm2.vmns.macvlan.vmns.ovn" in names) is affected
    if affected:
        assert verdicts(j)["vm2.vmns.macvlan.vmns.ovn"] == ("false-positive", "FP2")


def test_fp3_vm_never_ran():
    v = vm("vm3", "vmns", run_strategy="Halted", ready=False)
    snap = snapshot("vmns", "VirtualMachine", "vm3", vm_obj=v)
    j = judge(snap, settings("v1.14.5", keep_vm_ip=True))
    assert verdicts(j) == {"vm3.vmns": ("false-positive", "FP3")}
    assert j.verdict == "false-positive"
    # without keep-vm-ip GC does not look at VM objects at all
    assert judge(snap, settings("v1.14.5", keep_vm_ip=False)).lost_logged == ()


def fp4_snapshot(*, running: bool = True):
    v = vm("vm5", "vmns", [{"name": "default", "pod": {}}, multus_net("a", "nad-a"), multus_net("b", "nad-a")])
    base = "nad-a.vmns.ovn"
    ann = {
        "k8s.v1.cni.cncf.io/networks": json.dumps(
            [
                {"interface": "pod1111111111a", "name": "nad-a", "namespace": "vmns"},
                {"interface": "pod2222222222b", "name": "nad-a", "namespace": "vmns"},
            ]
        ),
        **allocated("ovn", "ovn-default"),
        **allocated(f"{base}.pod1111111111a", "subnet-nad-a"),
        **allocated(f"{base}.pod2222222222b", "subnet-nad-a"),
    }
    nb = [
        nb_port("vm5.vmns", "vmns", "vm5"),
        nb_port(f"vm5.vmns.{base}.pod1111111111a", "vmns", "vm5", "subnet-nad-a"),
        nb_port(f"vm5.vmns.{base}.pod2222222222b", "vmns", "vm5", "subnet-nad-a"),
    ]
    return snapshot(
        "vmns",
        "VirtualMachine",
        "vm5",
        pods=[launcher("vm5", "vmns", ann)] if running else [],
        vm_obj=v,
        nads=[nad("nad-a", "vmns")],
        subnets=[subnet("subnet-nad-a", base)],
        nb=nb,
    )


def test_fp4_repeated_nad_running_v1_16():
    j = judge(fp4_snapshot(), settings("v1.16.0", keep_vm_ip=True))
    assert verdicts(j)["vm5.vmns.nad-a.vmns.ovn"] == ("false-positive", "FP4")
    assert verdicts(j)["vm5.vmns.nad-a.vmns.ovn.pod1111111111a"] == ("ok", None)
    assert j.verdict == "false-positive"


def test_fp4_repeated_nad_stopped_v1_16_deletes_suffixed_ports():
    """FP4's other half is a deletion: its own DEL code, so a reason code always names its verdict (#18)."""
    j = judge(fp4_snapshot(running=False), settings("v1.16.2", keep_vm_ip=True))
    assert verdicts(j)["vm5.vmns.nad-a.vmns.ovn.pod2222222222b"] == ("deletion-risk", "DEL11")
    assert j.verdict == "deletion-risk"
    assert set(j.would_delete) == {"vm5.vmns.nad-a.vmns.ovn.pod1111111111a", "vm5.vmns.nad-a.vmns.ovn.pod2222222222b"}


def fp5_snapshot():
    v = vm("vm6", "vmns", [{"name": "default", "pod": {}}, multus_net("a", "nad-a")])
    ann = {
        "k8s.v1.cni.cncf.io/networks": json.dumps([{"interface": "net1", "name": "nad-a", "namespace": "vmns"}]),
        **allocated("nad-a.vmns.ovn", "subnet-nad-a"),
    }
    return snapshot(
        "vmns",
        "VirtualMachine",
        "vm6",
        pods=[launcher("vm6", "vmns", ann)],
        vm_obj=v,
        nads=[nad("nad-a", "vmns")],
        subnets=[subnet("subnet-nad-a", "nad-a.vmns.ovn")],
        nb=[nb_port("vm6.vmns.nad-a.vmns.ovn", "vmns", "vm6", "subnet-nad-a")],
    )


def test_fp5_non_primary_cni_mode():
    j = judge(fp5_snapshot(), settings("v1.15.0", keep_vm_ip=True, non_primary_cni_mode=True))
    assert verdicts(j) == {"vm6.vmns": ("false-positive", "FP5"), "vm6.vmns.nad-a.vmns.ovn": ("ok", None)}


def test_fp5_flag_does_not_exist_before_v1_15():
    s = settings("v1.14.41", keep_vm_ip=True, non_primary_cni_mode=True)
    assert s.non_primary_cni_mode is False
    assert verdicts(judge(fp5_snapshot(), s))["vm6.vmns"][0] == "lost"


@pytest.mark.parametrize(
    "version,ext_vpc,verdict",
    [
        ("v1.13.4", None, ("false-positive", "FP6")),  # default true up to v1.14.4
        ("v1.14.4", None, ("false-positive", "FP6")),
        ("v1.14.5", None, ("ok", None)),  # default false from v1.14.5
        ("v1.15.0", None, ("ok", None)),
        ("v1.16.2", "true", ("false-positive", "FP6")),  # flag given explicitly
    ],
)
def test_fp6_missing_vendor(version, ext_vpc, verdict):
    snap = tc1(in_nb=False)
    snap = replace(snap, nb_ports=(nb_port("web-5f7c.app", "app", "web-5f7c", vendor=False),))
    j = judge(snap, settings(version, enable_external_vpc=ext_vpc))
    assert verdicts(j)["web-5f7c.app"] == verdict


def test_fp6_type_not_empty():
    snap = tc1(in_nb=False)
    snap = replace(snap, nb_ports=(nb_port("web-5f7c.app", "app", "web-5f7c", type="virtual"),))
    j = judge(snap, settings("v1.16.2"))
    p = port(j, "web-5f7c.app")
    assert (p.verdict, p.reason, p.in_nb, p.listed_by_gc) == ("false-positive", "FP6", True, False)


@pytest.mark.parametrize("version,verdict", [("v1.14.41", ("false-positive", "FP7")), ("v1.15.0", ("no-port", None))])
def test_fp7_host_network_pod(version, verdict):
    p = pod("node-exporter-x1", "monitoring", allocated("ovn", "ovn-default"), host_network=True)
    j = judge(snapshot("monitoring", "Pod", "node-exporter-x1", pods=[p]), settings(version))
    assert verdicts(j)["node-exporter-x1.monitoring"] == verdict


@pytest.mark.parametrize(
    "version,verdict",
    [
        ("v1.8.0", ("false-positive", "FP8")),  # v1.8.0: every allocated provider
        ("v1.8.1", ("no-port", None)),
        ("v1.9.0", ("false-positive", "FP8")),  # HasSuffix("macvlan.kube-ovn", "ovn")
        ("v1.12.35", ("false-positive", "FP8")),
        ("v1.13.0", ("no-port", None)),  # three-field rule
    ],
)
def test_fp8_ipam_only_in_kube_ovn_namespace(version, verdict):
    j = judge(tc3(with_logical_switch=True, namespace="kube-ovn"), settings(version))
    assert verdicts(j)["p2.kube-ovn.macvlan.kube-ovn"] == verdict
    assert verdicts(j)["p2.kube-ovn"] == ("ok", None)


@pytest.mark.parametrize("version", ["v1.8.0", "v1.9.0", "v1.12.0", "v1.16.2"])
def test_tc3_ipam_only_default_namespace(version):
    # v1.9–v1.11 write <p>.kubernetes.io/logical_switch for IPAM networks too; v1.12+ remove it.
    j = judge(tc3(with_logical_switch=parse_version(version) < parse_version("v1.12.0")), settings(version))
    p = port(j, "p2.default.macvlan.default")
    expected = ("false-positive", "FP8") if version == "v1.8.0" else ("no-port", None)
    assert (p.verdict, p.reason) == expected
    assert p.provider == "macvlan.default" and p.network == "default/macvlan"


def test_fp9_just_allocated_pod():
    j = judge(tc1(in_nb=False, created="2026-11-27T09:59:50Z"), settings("v1.13.4"))
    assert verdicts(j)["web-5f7c.app"] == ("lost", "FP9")


@pytest.mark.parametrize(
    "version,verdict",
    [
        ("v1.12.0", ("deletion-risk", "DEL1")),
        ("v1.12.3", ("deletion-risk", "DEL1")),
        ("v1.12.4", ("ok", None)),
        ("v1.13.0", ("ok", None)),
        ("v1.13.15", ("ok", None)),
        ("v1.14.0", ("deletion-risk", "DEL2")),
        ("v1.14.4", ("deletion-risk", "DEL2")),
        ("v1.14.5", ("ok", None)),
        ("v1.15.0", ("ok", None)),
        ("master", ("ok", None)),
    ],
)
def test_tc5_stopped_vm_del1_del2(version, verdict):
    j = judge(tc5(running=False), settings(version, keep_vm_ip=True))
    assert verdicts(j)["vm1.vmns.nad-a.vmns.ovn"] == verdict
    assert verdicts(j)["vm1.vmns"] == ("ok", None)
    assert j.verdict == ("deletion-risk" if verdict[0] == "deletion-risk" else "ok")


def test_del1_avoided_with_namespaced_network_name():
    j = judge(tc5(running=False, network_name="vmns/nad-a"), settings("v1.12.0", keep_vm_ip=True))
    assert j.verdict == "ok"


def test_del2_avoided_with_template_annotation():
    j = judge(tc5(running=False, template_annotation="nad-a"), settings("v1.14.0", keep_vm_ip=True))
    assert j.verdict == "ok"


def test_del2_already_deleted_is_the_deletion_risk_del2_names():
    """One verdict per state (#18): the port GC already deleted is deletion-risk DEL2 in explain and audit, as in
    triage and in `reasons`, not lost DEL2; the advice says that upgrading does not bring it back."""
    j = judge(tc5(running=False, nb_multus=False), settings("v1.14.2", keep_vm_ip=True))
    assert verdicts(j)["vm1.vmns.nad-a.vmns.ovn"] == ("deletion-risk", "DEL2")
    assert j.verdict == "deletion-risk"
    assert j.would_delete == ()  # nothing left to delete
    assert any(
        a.startswith("Already deleted: vm1.vmns.nad-a.vmns.ovn is gone from NB; no release re-creates it")
        for a in j.advice
    )


@pytest.mark.parametrize("version", ["v1.8.7", "v1.8.18"])
def test_del3_running_vm_attachment(version):
    # upstream-findings: TC5 "running OK in all versions" does not hold for v1.8.1–v1.8.18.
    j = judge(tc5(), settings(version, keep_vm_ip=True))
    assert verdicts(j)["vm1.vmns.nad-a.vmns.ovn"] == ("deletion-risk", "DEL3")


@pytest.mark.parametrize("version", ["v1.9.1", "v1.12.3", "v1.13.4", "v1.14.0", "v1.16.2"])
def test_tc5_running_ok(version):
    assert judge(tc5(), settings(version, keep_vm_ip=True)).verdict == "ok"


def test_dotted_nad_name_fails_three_field_rule():
    """A NAD named with a dot (JSON form) gets a 4-field provider: v1.13+ GC never expects its port."""
    provider = "my.net.default.ovn"
    ann = {
        "k8s.v1.cni.cncf.io/networks": '[{"name":"my.net","namespace":"default"}]',
        **allocated("ovn", "ovn-default"),
        **allocated(provider, "dotted"),
    }
    snap = snapshot(
        "default",
        "Pod",
        "p9",
        pods=[pod("p9", "default", ann)],
        nads=[nad("my.net", "default")],
        subnets=[subnet("dotted", provider)],
        nb=[nb_port("p9.default", "default", "p9"), nb_port(f"p9.default.{provider}", "default", "p9", "dotted")],
    )
    assert verdicts(judge(snap, settings("v1.12.35")))[f"p9.default.{provider}"] == ("ok", None)
    p = port(judge(snap, settings("v1.13.0")), f"p9.default.{provider}")
    assert p.verdict == "deletion-risk" and "three-field" in p.detail


def test_stale_port_reserved_ip_note():
    snap = tc2(nb_names=("p1.default", "p1.default.attachnet.default.ovn", "p1.default.old.default.ovn"))
    j = judge(snap, settings("v1.13.4"))
    p = port(j, "p1.default.old.default.ovn")
    assert (p.verdict, p.sources, p.network) == ("stale", ("nb",), "default/old")
    assert "ip_reserved" in p.detail and j.verdict == "ok"
    assert "ip_reserved" not in port(judge(snap, settings("v1.12.35")), "p1.default.old.default.ovn").detail


def test_gc_interval_zero_disables_gc():
    s = settings("v1.13.4", keep_vm_ip=True, gc_interval=0)
    j = judge(tc4(), s)
    assert j.verdict == "ok" and j.lost_logged == () and j.notes
    # before #5005 an interval of 0 did not switch GC off
    assert judge(tc4(), settings("v1.13.3", keep_vm_ip=True, gc_interval=0)).verdict == "false-positive"


def test_now_is_used_for_deletion_grace():
    dying = tc1(deletion="2026-11-27T09:58:00Z", grace=30)
    assert port(judge(dying, settings("v1.13.4")), "web-5f7c.app").verdict == "stale"
    in_grace = tc1(deletion="2026-11-27T09:59:50Z", grace=30)
    assert port(judge(in_grace, settings("v1.13.4")), "web-5f7c.app").verdict == "ok"
    assert NOW.isoformat().startswith("2026-11-27")


def test_keep_vm_ip_flag_absent_in_v1_9_0():
    s = settings("v1.9.0", keep_vm_ip=True)
    assert s.keep_vm_ip is False and any("keep-vm-ip" in n for n in s.notes)
    j = judge(tc5(), s)
    assert j.port_owner == "virt-launcher-vm1-abcde"


@pytest.mark.parametrize("version", ["v1.8.7", "v1.8.18"])
def test_tc4_on_v1_8_real_port_deleted_and_primary_logged(version):
    """upstream-findings §5/§6: from v1.8.2 a kube-ovn default NAD has its own provider, which v1.8.x GC rejects."""
    j = judge(tc4(), settings(version, keep_vm_ip=True))
    assert verdicts(j) == {
        "vm-a.test-ns": ("false-positive", "FP1"),
        "vm-a.test-ns.subnet-a.test-ns.ovn": ("deletion-risk", "DEL3"),
    }
    assert j.verdict == "deletion-risk" and j.lost_logged == ("vm-a.test-ns",)
    assert [a[:4] for a in j.advice] == ["GC i", "Harm"]  # DEL3 advice first, then FP1


def test_a_lost_port_keeps_its_advice_beside_a_coded_false_positive():
    """A new user's run: tc4 with the VM's only real port missing from NB was `lost` with FP1's advice alone
    ("Harmless: the VM's network is intact … Do not delete the pod"), the lost port's own advice dropped because
    it has no code. Each port that needs action has its line, most severe first, and FP1 no longer calls the
    network intact."""
    j = judge(replace(tc4(), nb_ports=()), settings("v1.13.4", keep_vm_ip=True))
    assert verdicts(j) == {
        "vm-a.test-ns": ("false-positive", "FP1"),
        "vm-a.test-ns.subnet-a.test-ns.ovn": ("lost", None),
    }
    assert j.verdict == "lost"
    assert j.advice == (
        "A port the workload needs is missing from NB. For a live pod, inspectPod re-creates it within about 20 s "
        "(v1.8.2+); if it stays missing, check the kube-ovn-controller log for inspection or allocation errors, "
        "then delete the pod so it is re-allocated.",
        "vm-a.test-ns is a false positive: GC adds <vm>.<ns> for every VM, even one whose only network is a Multus "
        "default network. Upgrade: fixed in v1.13.6 on release-1.13 (also v1.14.0); #5106. The VM's other ports "
        "are not intact: see the advice for them.",
    )
    # with the real port present, FP1 is the whole story, as before
    assert [a[:8] for a in judge(tc4(), settings("v1.13.4", keep_vm_ip=True)).advice] == ["Harmless"]


def test_malformed_template_annotation_in_band_h_is_not_del2():
    j = judge(tc5(running=False, template_annotation="a@b@c"), settings("v1.14.2", keep_vm_ip=True))
    p = port(j, "vm1.vmns.nad-a.vmns.ovn")
    assert (p.verdict, p.reason) == ("deletion-risk", "DEL6") and "a@b@c" not in p.detail and "parse" in p.detail


def test_arp_proxy_port_not_deleted_before_v1_14():
    snap = tc2(nb_names=("p1.default", "p1.default.attachnet.default.ovn"))
    extra = snap.nb_ports + (nb_port("p1.default.vip.default.ovn", "default", "p1", options={"arp_proxy": "true"}),)
    snap = replace(snap, nb_ports=extra)
    assert verdicts(judge(snap, settings("v1.13.15")))["p1.default.vip.default.ovn"] == ("ok", None)
    assert judge(snap, settings("v1.13.15")).would_delete == ()
    assert verdicts(judge(snap, settings("v1.14.0")))["p1.default.vip.default.ovn"] == ("stale", None)


def test_stale_allocated_annotation_after_nad_removed():
    ann = {**allocated("ovn", "ovn-default"), **allocated("attachnet.default.ovn", "attach-subnet")}
    snap = snapshot(
        "default",
        "Pod",
        "p1",
        pods=[pod("p1", "default", ann)],
        subnets=[subnet("attach-subnet", "attachnet.default.ovn")],
        nb=[nb_port("p1.default", "default", "p1")],
    )
    p = port(judge(snap, settings("v1.13.4")), "p1.default.attachnet.default.ovn")
    assert (p.verdict, p.reason) == ("false-positive", None) and "no longer ask" in p.detail


def test_fp6_before_v1_12_mentions_reallocation_loop():
    snap = tc1(in_nb=False)
    snap = replace(snap, nb_ports=(nb_port("web-5f7c.app", "app", "web-5f7c", vendor=False),))
    assert "re-allocates" in port(judge(snap, settings("v1.11.24")), "web-5f7c.app").detail
    assert "re-allocates" not in port(judge(snap, settings("v1.12.0")), "web-5f7c.app").detail


def test_fp3_vm_pending_scheduling():
    """A launcher pod that is Pending and not yet allocated: GC's VM names are false alarms, pod names wait."""
    v = vm("vm7", "vmns", [{"name": "default", "pod": {}}, multus_net("a", "nad-a")], ready=False)
    ann = {"k8s.v1.cni.cncf.io/networks": json.dumps([{"interface": "net1", "name": "nad-a", "namespace": "vmns"}])}
    snap = snapshot(
        "vmns",
        "VirtualMachine",
        "vm7",
        pods=[launcher("vm7", "vmns", ann, phase="Pending")],
        vm_obj=v,
        nads=[nad("nad-a", "vmns")],
        subnets=[subnet("subnet-nad-a", "nad-a.vmns.ovn")],
    )
    j = judge(snap, settings("v1.13.6", keep_vm_ip=True))
    assert verdicts(j) == {"vm7.vmns": ("false-positive", "FP3"), "vm7.vmns.nad-a.vmns.ovn": ("false-positive", "FP3")}


def test_pod_not_yet_allocated_is_not_lost():
    p = pod("new-1", "app", {"k8s.v1.cni.cncf.io/networks": "attachnet"}, phase="Pending")
    snap = snapshot("app", "Pod", "new-1", pods=[p], nads=[nad("attachnet", "app")])
    j = judge(snap, settings("v1.16.2"))
    assert j.verdict == "ok" and {x.verdict for x in j.ports} == {"ok"}
    assert [x.name for x in j.ports] == ["new-1.app", "new-1.app.attachnet.app.ovn"]


def test_v1_7_lists_only_vendor_ports_and_v1_8_0_follows_the_flag():
    snap = replace(tc1(in_nb=False), nb_ports=(nb_port("web-5f7c.app", "app", "web-5f7c", vendor=False),))
    assert verdicts(judge(snap, settings("v1.7.2", enable_external_vpc=False)))["web-5f7c.app"][1] == "FP6"
    assert verdicts(judge(snap, settings("v1.8.0", enable_external_vpc=False)))["web-5f7c.app"] == ("ok", None)


def test_lost_detail_mentions_inspect_pod_only_where_it_exists():
    assert "inspectPod" not in judge(tc1(in_nb=False), settings("v1.8.1")).ports[0].detail
    assert "inspectPod" in judge(tc1(in_nb=False), settings("v1.8.2")).ports[0].detail


def test_gc_disabled_still_reports_real_loss_and_no_port():
    assert verdicts(judge(tc1(in_nb=False), settings("v1.13.4", gc_interval=0)))["web-5f7c.app"][0] == "lost"
    assert verdicts(judge(tc3(), settings("v1.13.4", gc_interval="0")))["p2.default.macvlan.default"] == (
        "no-port",
        None,
    )


def test_unneeded_port_hidden_by_filter_is_left_alone():
    snap = replace(
        tc1(phase="Succeeded", restart="Never"), nb_ports=(nb_port("web-5f7c.app", "app", "web-5f7c", vendor=False),)
    )
    p = port(judge(snap, settings("v1.13.4")), "web-5f7c.app")
    assert (p.verdict, p.in_nb, p.listed_by_gc) == ("ok", True, False) and "neither logs nor deletes" in p.detail


def test_stopped_vm_before_getvmlsps_existed_loses_its_ports():
    """v1.8.3–v1.8.6 keep a stopped VM's ports (keep-vm-ip) but GC has no VM path yet: they are deleted."""
    j = judge(tc5(running=False), settings("v1.8.6", keep_vm_ip=True))
    assert verdicts(j)["vm1.vmns"] == ("deletion-risk", "DEL5")
    assert "no VM path" in port(j, "vm1.vmns").detail


def test_standalone_vmi_pod_named_after_vmi():
    p = launcher("solo", "vmns", allocated("ovn", "ovn-default"))
    j = judge(
        snapshot("vmns", "Pod", p["metadata"]["name"], pods=[p], nb=[nb_port("solo.vmns", "vmns", "solo")]),
        settings("v1.13.4", keep_vm_ip=True),
    )
    assert (j.port_owner, j.target_kind, j.verdict) == ("solo", "Pod", "ok")  # GC lists VMs only, never VMIs


def test_failed_statefulset_pod_keeps_its_port():
    p = pod(
        "db-0", "ns", allocated("ovn", "ovn-default"), owners=[sts_owner_ref("db")], phase="Failed", restart="Never"
    )
    snap = snapshot(
        "ns",
        "Pod",
        "db-0",
        pods=[p],
        statefulsets={("ns", "db"): statefulset("db", "ns", 1)},
        nb=[nb_port("db-0.ns", "ns", "db-0")],
    )
    assert verdicts(judge(snap, settings("v1.14.0"))) == {"db-0.ns": ("ok", None)}
    gone = replace(snap, statefulsets={("ns", "db"): None})
    assert verdicts(judge(gone, settings("v1.14.0"))) == {"db-0.ns": ("stale", None)}


def test_stopped_vm_port_gc_expects_and_nb_lacks_is_lost2():
    """#16's port-state gap: a stopped VM's port an earlier release deleted (or a hand) is one GC now expects. Only
    handleAddPod creates a workload's port and inspectPod looks at live pods only (pod.go, inspection.go, v1.9.23
    … v1.16.2), so it stays missing until the VM starts: LOST2 with that advice, never 'delete the pod'."""
    j = judge(tc5(running=False, nb_multus=False), settings("v1.13.4", keep_vm_ip=True))
    assert verdicts(j) == {"vm1.vmns": ("ok", None), "vm1.vmns.nad-a.vmns.ovn": ("lost", "LOST2")}
    assert j.advice == (
        "vm1.vmns.nad-a.vmns.ovn is missing from NB while the VM is stopped (an earlier release's GC, or a hand, "
        "deleted it), and this release's GC expects it, so it logs 'lsp lost' for it on every cycle; nothing "
        "creates a VM's port while it is stopped. Start the VM: Kube-OVN creates vm1.vmns.nad-a.vmns.ovn again "
        "when the launcher pod is added, with a new address if its IP CR went with it (GC deletes both). Nothing "
        "to delete: the VM has no pod, so the line's 'delete the pod' does not apply.",
    )
    # running, the launcher pod's allocation names the port: inspectPod's case, no code (unchanged)
    running = judge(tc5(running=True, nb_multus=False), settings("v1.13.4", keep_vm_ip=True))
    assert verdicts(running)["vm1.vmns.nad-a.vmns.ovn"] == ("lost", None)
    assert running.advice[0].startswith("A port the workload needs is missing from NB. For a live pod, inspectPod")
