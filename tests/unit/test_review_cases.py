"""Cases an independent review found unmodelled: never-started VMs, VM specs edited while running, and the
StatefulSet rules as each release applies them. Expectations are worked out from spec §4 and the upstream
findings (docs/upstream-findings.md), not read off the model."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import (
    address,
    allocated,
    launcher,
    multus_net,
    nad,
    nb_port,
    pod,
    settings,
    snapshot,
    statefulset,
    sts_owner_ref,
    subnet,
    verdicts,
    vm,
)

from kubectl_ovn_lsp.model.lookups import judge


def never_started(networks):
    """A VM created with runStrategy Halted: no VMI, no launcher pod, no ports in NB."""
    v = vm("vm9", "vmns", networks, run_strategy="Halted", ready=False)
    return snapshot(
        "vmns",
        "VirtualMachine",
        "vm9",
        vm_obj=v,
        nads=[nad("nad-a", "vmns")],
        subnets=[subnet("vmns-nad-a", "nad-a.vmns.ovn")],
    )


@pytest.mark.parametrize("version,gc_interval", [("v1.8.5", None), ("v1.10.0", None), ("v1.16.2", 0)])
def test_never_started_vm_without_gc_vm_path_is_ok(version, gc_interval):
    """No getVmLsps yet (or GC off): nothing expects the ports, and nothing is missing: it never ran."""
    extra = {} if gc_interval is None else {"gc_interval": gc_interval}
    j = judge(never_started([{"name": "default", "pod": {}}]), settings(version, keep_vm_ip=True, **extra))
    assert verdicts(j) == {"vm9.vmns": ("ok", None)}
    assert j.verdict == "ok" and j.lost_logged == ()


@pytest.mark.parametrize(
    "version,nad_port",
    [
        ("v1.13.4", ("false-positive", "FP3")),  # both names synthesised by getVMLsps, neither exists yet
        ("v1.14.2", ("ok", None)),  # the empty template annotation makes getVMLsps skip spec.networks (DEL2 shape)
        ("v1.12.2", ("ok", None)),  # a bare networkName is ignored before v1.12.4
    ],
)
def test_never_started_vm_with_a_multus_network_is_fp3_not_lost(version, nad_port):
    networks = [{"name": "default", "pod": {}}, multus_net("m", "nad-a")]
    v = vm("vm9", "vmns", networks, run_strategy="Halted", ready=False, template_annotations={})
    snap = replace(never_started(networks), vm=v)
    j = judge(snap, settings(version, keep_vm_ip=True))
    assert verdicts(j) == {"vm9.vmns": ("false-positive", "FP3"), "vm9.vmns.nad-a.vmns.ovn": nad_port}
    assert j.verdict == "false-positive" and j.would_delete == ()


def test_running_vm_whose_spec_now_names_another_nad():
    """The launcher pod still uses nad-a; the edited spec names nad-b. GC's VM path logs nad-b as lost until the
    VM restarts: a harmless line, not a loss, and nad-a is still expected through the pod loop."""
    networks = [{"name": "default", "pod": {}}, multus_net("m", "nad-b")]
    ann = {
        **allocated("ovn", "ovn-default", "10.16.0.20"),
        "k8s.v1.cni.cncf.io/networks": '[{"interface":"pod7e0055a6880","name":"nad-a","namespace":"vmns"}]',
        **allocated("nad-a.vmns.ovn", "vmns-nad-a", "172.21.0.10"),
    }
    snap = snapshot(
        "vmns",
        "VirtualMachine",
        "vm1",
        pods=[launcher("vm1", "vmns", ann)],
        vm_obj=vm("vm1", "vmns", networks),
        nads=[nad("nad-a", "vmns"), nad("nad-b", "vmns")],
        subnets=[subnet("vmns-nad-a", "nad-a.vmns.ovn"), subnet("vmns-nad-b", "nad-b.vmns.ovn")],
        nb=[
            nb_port("vm1.vmns", "vmns", "vm1", address=address("10.16.0.20")),
            nb_port("vm1.vmns.nad-a.vmns.ovn", "vmns", "vm1", "vmns-nad-a", address=address("172.21.0.10")),
        ],
    )
    j = judge(snap, settings("v1.14.5", keep_vm_ip=True))
    found = verdicts(j)
    assert found["vm1.vmns"] == ("ok", None)
    assert found["vm1.vmns.nad-a.vmns.ovn"] == ("ok", None)
    assert found["vm1.vmns.nad-b.vmns.ovn"] == ("false-positive", None)
    assert "restarts" in next(p.detail for p in j.ports if p.name == "vm1.vmns.nad-b.vmns.ovn")
    assert j.verdict == "false-positive" and j.lost_logged == ("vm1.vmns.nad-b.vmns.ovn",)


def sts_snapshot(name, sts):
    p = pod(name, "db", allocated("ovn", "ovn-default"), owners=[sts_owner_ref("web")])
    return snapshot(
        "db", "Pod", name, pods=[p], statefulsets={("db", "web"): sts}, nb=[nb_port(f"{name}.db", "db", name)]
    )


@pytest.mark.parametrize(
    "version,verdict",
    [
        ("v1.10.10", "deletion-risk"),  # no branch of v1.10 honours ordinals.start: index 5 >= replicas 3
        ("v1.12.30", "deletion-risk"),
        ("v1.12.31", "ok"),
        ("v1.13.2", "deletion-risk"),
        ("v1.13.3", "ok"),
        ("v1.14.0", "ok"),
    ],
)
def test_statefulset_ordinals_start_per_release(version, verdict):
    """web-5 of a StatefulSet with replicas 3 starting at ordinal 5 is wanted; older GC thinks it scaled down."""
    j = judge(sts_snapshot("web-5", statefulset("web", "db", 3, start=5)), settings(version))
    assert verdicts(j) == {"web-5.db": (verdict, "DEL7" if verdict == "deletion-risk" else None)}


@pytest.mark.parametrize("version,verdict", [("v1.13.6", "deletion-risk"), ("v1.13.7", "ok"), ("v1.14.0", "ok")])
def test_alive_pod_of_a_scaled_down_statefulset(version, verdict):
    """#5122: before isStatefulSetPodToGC, a still-running pod beyond replicas loses its port."""
    j = judge(sts_snapshot("web-2", statefulset("web", "db", 2)), settings(version))
    assert verdicts(j) == {"web-2.db": (verdict, "DEL7" if verdict == "deletion-risk" else None)}


@pytest.mark.parametrize("version,verdict", [("v1.12.18", "ok"), ("v1.12.19", "deletion-risk")])
def test_statefulset_uid_check_per_release(version, verdict):
    """A StatefulSet re-created under the same name (other UID): only v1.12.19+ stops expecting the pod."""
    j = judge(sts_snapshot("web-0", statefulset("web", "db", 3, uid="re-created")), settings(version))
    assert verdicts(j) == {"web-0.db": (verdict, "DEL7" if verdict == "deletion-risk" else None)}


@pytest.mark.parametrize("config_provider,noted", [("nad-a.vmns.ovn", False), ("", True), ("nad-a.vmns", True)])
def test_nad_provider_that_the_cni_would_not_match(config_provider, noted):
    """The CNI reads the NAD's own provider (empty means "ovn"); it must equal what the controller derives."""
    import json

    config = json.dumps(
        {
            "cniVersion": "0.3.1",
            "type": "kube-ovn",
            "server_socket": "/run/openvswitch/kube-ovn-daemon.sock",
            **({"provider": config_provider} if config_provider else {}),
        }
    )
    ann = {
        **allocated("ovn", "ovn-default"),
        "k8s.v1.cni.cncf.io/networks": "nad-a",
        **allocated("nad-a.vmns.ovn", "vmns-nad-a", "172.21.0.10"),
    }
    snap = snapshot(
        "vmns",
        "Pod",
        "p",
        pods=[pod("p", "vmns", ann)],
        nads=[nad("nad-a", "vmns", config=config)],
        subnets=[subnet("vmns-nad-a", "nad-a.vmns.ovn")],
        nb=[
            nb_port("p.vmns", "vmns", "p"),
            nb_port("p.vmns.nad-a.vmns.ovn", "vmns", "p", "vmns-nad-a", address=address("172.21.0.10")),
        ],
    )
    notes = judge(snap, settings("v1.13.4")).notes
    assert any("NAD vmns/nad-a" in n and "wait forever" in n for n in notes) is noted
