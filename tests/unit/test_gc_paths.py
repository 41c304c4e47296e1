"""GC's pod loop (alive, StatefulSet, hostNetwork, subnet test), node names (TC14) and getVMLsps per band."""

from __future__ import annotations

import pytest
from factories import NOW, allocated, multus_net, pod, statefulset, sts_owner_ref, subnet, vm

from kubectl_ovn_lsp.model.bands import behaviour_for
from kubectl_ovn_lsp.model.gc_pods import gc_pod_entries, is_pod_alive, node_port_names, pod_skip_reason
from kubectl_ovn_lsp.model.gc_vms import gc_vm_entries
from kubectl_ovn_lsp.model.versions import parse_version


def b(version):
    return behaviour_for(parse_version(version))


@pytest.mark.parametrize(
    "kw,alive",
    [
        ({}, True),
        ({"phase": "Pending"}, True),
        ({"phase": "Succeeded", "restart": "Never"}, False),
        ({"phase": "Succeeded", "restart": "OnFailure"}, False),
        ({"phase": "Succeeded", "restart": "Always"}, True),
        ({"phase": "Failed", "restart": "Never"}, False),
        ({"phase": "Failed", "restart": "OnFailure"}, True),
        ({"phase": "Failed", "restart": "Always", "reason": "Evicted"}, False),
        ({"deletion": "2026-11-27T09:00:00Z", "grace": 30}, False),
        ({"deletion": "2026-11-27T09:59:45Z", "grace": 30}, True),
    ],
)
def test_is_pod_alive(kw, alive):
    assert is_pod_alive(pod("p", "ns", **kw), NOW) is alive


def test_deletion_without_grace_is_not_dead():
    p = pod("p", "ns", deletion="2026-11-27T09:00:00Z")
    del p["metadata"]["deletionGracePeriodSeconds"]
    assert is_pod_alive(p, NOW)


def sts_pod(name="db-3", **kw):
    return pod(name, "ns", allocated("ovn", "ovn-default"), owners=[sts_owner_ref("db")], **kw)


@pytest.mark.parametrize(
    "sts,version,kw,skipped",
    [
        (statefulset("db", "ns", 5), "v1.13.4", {}, False),
        (None, "v1.13.4", {}, True),  # StatefulSet deleted
        (statefulset("db", "ns", 5, deleting=True), "v1.13.4", {}, True),
        (statefulset("db", "ns", 5, uid="other"), "v1.13.4", {}, True),  # re-created
        (statefulset("db", "ns", 3), "v1.13.6", {}, True),  # scaled down: …ToDel drops it even alive
        (statefulset("db", "ns", 3), "v1.13.7", {}, False),  # …ToGC keeps an alive one
        (statefulset("db", "ns", 3), "v1.14.0", {"phase": "Failed", "restart": "Never"}, True),
        (
            statefulset("db", "ns", 3, start=1),
            "v1.14.0",
            {"phase": "Failed", "restart": "Never"},
            False,
        ),  # ordinals.start
        (
            statefulset("db", "ns", 5),
            "v1.13.4",
            {"phase": "Failed", "restart": "Never"},
            False,
        ),  # sts pods skip isPodAlive
    ],
)
def test_statefulset_rules(sts, version, kw, skipped):
    p = sts_pod(**kw)
    reason = pod_skip_reason(p, {("ns", "db"): sts}, b(version), NOW)
    assert (reason is not None) is skipped


def test_statefulset_not_collected_is_assumed_wanted_and_v1_8_0_has_no_sts_rule():
    p = sts_pod(phase="Failed", restart="Never")
    assert pod_skip_reason(p, {}, b("v1.13.4"), NOW) is None
    assert pod_skip_reason(p, {("ns", "db"): None}, b("v1.8.0"), NOW) is not None  # plain isPodAlive


def test_pod_entries_subnet_test_and_missing_annotation():
    ann = {
        **allocated("ovn", "ovn-default"),
        **allocated("gone.ns.ovn", "no-such-subnet"),
        **allocated("macvlan.ns", None),
    }
    entries = {
        e.provider: e
        for e in gc_pod_entries(pod("p", "ns", ann), "p", {"ovn-default": subnet("ovn-default")}, {}, b("v1.13.4"), NOW)
    }
    assert entries["ovn"].expected and entries["ovn"].name == "p.ns"
    assert not entries["gone.ns.ovn"].expected and "does not exist" in entries["gone.ns.ovn"].why
    assert not entries["macvlan.ns"].expected and "no logical_switch" in entries["macvlan.ns"].why
    # v1.8.0 expects every allocated provider, no subnet test
    assert all(e.expected for e in gc_pod_entries(pod("p", "ns", ann), "p", {}, {}, b("v1.8.0"), NOW))


def test_pod_entries_empty_subnet_provider():
    """gc.go before v1.13 uses HasSuffix(provider, "ovn") itself, so an empty provider is not OVN."""
    subnets = {"ovn-default": subnet("ovn-default", provider="")}
    p = pod("p", "ns", allocated("ovn", "ovn-default"))
    assert not gc_pod_entries(p, "p", subnets, {}, b("v1.12.35"), NOW)[0].expected
    assert gc_pod_entries(p, "p", subnets, {}, b("v1.13.0"), NOW)[0].expected


def node(name, allocated_=True):
    ann = {"ovn.kubernetes.io/allocated": "true"} if allocated_ else {}
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "annotations": ann}}


def test_tc14_node_ports():
    nodes = [node("n1"), node("n2", allocated_=False)]
    assert node_port_names(nodes, [], b("v1.13.4")) == ["node-n1"]
    assert node_port_names(nodes, [], b("v1.8.0")) == ["node-n1", "node-n2"]  # all nodes in v1.8.0
    assert node_port_names(nodes, ["n1"], b("v1.13.4")) == ["node-n1", "n1"]  # OvnEip node-gateway port


def names(vm_obj, version, keep=True):
    return [e.name for e in gc_vm_entries(vm_obj, b(version), keep).entries]


def test_get_vm_lsps_master_test_cases():
    """Upstream master gc_test.go TestGetVMLsps (#6824), case (d)."""
    assert names(vm("vm-primary", "ns1"), "master") == ["vm-primary.ns1"]
    v = vm("vm-default-multus", "ns2", [multus_net("default", "ns2/net2", default=True)])
    assert names(v, "master") == ["vm-default-multus.ns2.net2.ns2.ovn"]
    v = vm("vm-nad", "ns3", template_annotations={"k8s.v1.cni.cncf.io/networks": "netx"})
    assert names(v, "master") == ["vm-nad.ns3", "vm-nad.ns3.netx.ns3.ovn"]
    assert names(vm("vm-primary", "ns1"), "master", keep=False) == []  # (a) keep-vm-ip disabled


@pytest.mark.parametrize(
    "version,expected",
    [
        ("v1.8.6", []),
        ("v1.8.7", ["v.ns"]),
        ("v1.11.4", ["v.ns"]),
        ("v1.11.5", ["v.ns", "v.ns.t.ns.ovn"]),
        ("v1.12.3", ["v.ns", "v.ns.t.ns.ovn", "v.ns.q.other.ovn"]),  # bare "b" skipped
        ("v1.12.4", ["v.ns", "v.ns.t.ns.ovn", "v.ns.b.ns.ovn", "v.ns.q.other.ovn"]),
        ("v1.14.0", ["v.ns", "v.ns.t.ns.ovn", "v.ns.b.ns.ovn", "v.ns.q.other.ovn"]),
    ],
)
def test_get_vm_lsps_per_band(version, expected):
    v = vm(
        "v",
        "ns",
        [{"name": "default", "pod": {}}, multus_net("n1", "b"), multus_net("n2", "other/q")],
        template_annotations={"k8s.v1.cni.cncf.io/networks": "t"},
    )
    assert names(v, version) == expected


def test_get_vm_lsps_template_parse_error_skips_spec_networks():
    v = vm("v", "ns", [multus_net("n1", "ns/b")])
    result = gc_vm_entries(v, b("v1.14.0"), True)  # no template annotation: nadutils errors on ""
    assert [e.name for e in result.entries] == ["v.ns"] and "network" in result.template_error
    assert [e.name for e in gc_vm_entries(v, b("v1.14.5"), True).entries] == ["v.ns", "v.ns.b.ns.ovn"]
    assert [e.name for e in gc_vm_entries(v, b("v1.13.15"), True).entries] == ["v.ns", "v.ns.b.ns.ovn"]
    bad = vm("v", "ns", [multus_net("n1", "ns/b")], template_annotations={"k8s.v1.cni.cncf.io/networks": "a/b/c"})
    assert gc_vm_entries(bad, b("v1.16.2"), True).template_error  # malformed: skipped in every version


def test_get_vm_lsps_multi_slash_network_name():
    v = vm("v", "ns", [multus_net("n1", "a/b/c")])
    assert names(v, "v1.12.3") == ["v.ns"]
    assert names(v, "v1.12.4") == ["v.ns", "v.ns.a.ns.ovn"]
