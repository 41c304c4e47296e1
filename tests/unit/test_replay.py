"""The cluster-wide GC replay: owners, nodes, orphans, foreign ports, unreadable kinds, malformed objects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubectl_ovn_lsp.model import lookups
from kubectl_ovn_lsp.model.inventory import NADS, VMS, Inventory, by_key, by_name
from kubectl_ovn_lsp.model.naming import port_name
from kubectl_ovn_lsp.model.owners import workload_owners
from kubectl_ovn_lsp.model.port_names import PortOwnerCandidate, node_of_port, owner_candidates
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.replay import UNKNOWN, replay
from kubectl_ovn_lsp.model.snapshot import WorkloadSnapshot
from tests.unit import scenarios
from tests.unit.factories import NOW, allocated, launcher, nb_port, pod, settings, subnet, vm, vmi

S134 = settings("v1.13.4", keep_vm_ip=True, enable_external_vpc=True)


def inventory_of(snapshot: WorkloadSnapshot, **extra: object) -> Inventory:
    """The inventory `audit` would list for a cluster holding exactly this workload."""
    return Inventory(
        now=snapshot.now,
        pods=snapshot.pods,
        vms={(snapshot.namespace, snapshot.vm["metadata"]["name"]): snapshot.vm} if snapshot.vm else {},
        vmis={(snapshot.namespace, snapshot.vmi["metadata"]["name"]): snapshot.vmi} if snapshot.vmi else {},
        nads={k: v for k, v in snapshot.nads.items() if v is not None},
        subnets=snapshot.subnets,
        statefulsets={k: v for k, v in snapshot.statefulsets.items() if v is not None},
        **extra,
    )  # type: ignore[arg-type]


def _ports(item) -> dict[str, tuple[str, str | None]]:
    return {p.name: (p.verdict, p.reason) for p in item.judgement.ports}


def _item(result, kind: str, namespace: str, name: str):
    return next(i for i in result.items if (i.owner.kind, i.owner.namespace, i.owner.name) == (kind, namespace, name))


@pytest.mark.parametrize(
    "make", [scenarios.tc1, scenarios.tc2, scenarios.tc3, scenarios.tc4, scenarios.tc5, scenarios.tc8]
)
def test_replay_judges_each_owner_as_explain_always_did(make) -> None:
    snapshot = make()
    result = replay(inventory_of(snapshot), snapshot.nb_ports, S134)
    [item] = [i for i in result.items if i.owner.kind != "Orphan"]
    expected = lookups.judge(snapshot, S134)
    assert item.judgement.ports == expected.ports and item.judgement.verdict == expected.verdict
    assert result.lost_logged == expected.lost_logged and result.would_delete == expected.would_delete


def test_tc4_is_fp1_through_the_replay() -> None:
    snapshot = scenarios.tc4()
    item = _item(replay(inventory_of(snapshot), snapshot.nb_ports, S134), "VirtualMachine", "test-ns", "vm-a")
    assert _ports(item) == {
        "vm-a.test-ns": ("false-positive", "FP1"),
        "vm-a.test-ns.subnet-a.test-ns.ovn": ("ok", None),
    }
    assert item.judgement.lost_logged == ("vm-a.test-ns",)


def test_grouping_vm_vmi_launchers_and_pods() -> None:
    src, dst = launcher("vm4", "ns", suffix="aaaaa"), launcher("vm4", "ns", suffix="bbbbb")
    lone = launcher("gone", "ns", suffix="ccccc")  # its VMI and VM no longer exist
    inv = Inventory(
        now=NOW,
        pods=(dst, src, lone, pod("web", "ns"), launcher("only-vmi", "ns", suffix="ddddd")),
        vms=by_key([vm("vm4", "ns")]),
        vmis=by_key([vmi("vm4", "ns"), vmi("only-vmi", "ns")]),
    )
    owners = {(o.kind, o.name): [p["metadata"]["name"] for p in o.pods] for o in workload_owners(inv)}
    assert owners == {
        ("VirtualMachine", "vm4"): ["virt-launcher-vm4-aaaaa", "virt-launcher-vm4-bbbbb"],
        ("VirtualMachineInstance", "only-vmi"): ["virt-launcher-only-vmi-ddddd"],
        ("Pod", "virt-launcher-gone-ccccc"): ["virt-launcher-gone-ccccc"],
        ("Pod", "web"): ["web"],
    }


def test_ports_of_a_deleted_vm_are_one_orphan_gc_deletes() -> None:
    ports = [nb_port("vmd.fns", "fns", "vmd"), nb_port("vmd.fns.net-b.fns.ovn", "fns", "vmd", "sub-b")]
    result = replay(Inventory(now=NOW), ports, S134)
    [item] = result.items
    assert (item.owner.kind, item.owner.namespace, item.owner.name) == ("Orphan", "fns", "vmd")
    assert _ports(item) == {"vmd.fns": ("stale", None), "vmd.fns.net-b.fns.ovn": ("stale", None)}
    assert item.verdict == "ok" and result.would_delete == ("vmd.fns", "vmd.fns.net-b.fns.ovn")
    assert {p.name: p.network for p in item.judgement.ports} == {
        "vmd.fns": "default",
        "vmd.fns.net-b.fns.ovn": "fns/net-b",
    }


def test_orphans_are_left_alone_when_gc_is_off() -> None:
    off = replace(S134, gc_interval=0)
    [item] = replay(Inventory(now=NOW), [nb_port("vmd.fns", "fns", "vmd")], off).items
    assert _ports(item) == {"vmd.fns": ("ok", None)} and item.judgement.would_delete == ()


def test_foreign_port_is_a_deletion_risk_only_without_the_vendor_filter() -> None:
    foreign = NbPort(name="openstack-port-1", external_ids={"neutron:port_name": "x"}, addresses=("unknown",))
    without_filter = settings("v1.14.5", keep_vm_ip=True, enable_external_vpc=False)
    [item] = replay(Inventory(now=NOW), [foreign], without_filter).items
    assert (item.owner.kind, item.owner.namespace, item.owner.name) == ("Orphan", "", "openstack-port-1")
    assert _ports(item) == {"openstack-port-1": ("deletion-risk", "DEL4")} and item.verdict == "deletion-risk"
    assert replay(Inventory(now=NOW), [foreign], S134).items == ()  # GC lists only vendor=kube-ovn ports: not ours


def test_ports_of_other_types_are_never_orphans() -> None:
    router = NbPort(name="ovn-default-ovn-cluster", type="router", external_ids={"vendor": "kube-ovn"})
    assert replay(Inventory(now=NOW), [router], S134).items == ()


def _node(name: str, allocated: bool = True) -> dict:
    ann = {"ovn.kubernetes.io/allocated": "true"} if allocated else {}
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "annotations": ann}}


def _node_port(name: str, vendor: bool = True) -> NbPort:
    ids = {"ls": "join", **({"vendor": "kube-ovn"} if vendor else {})}
    return NbPort(name=f"node-{name}", external_ids=ids, addresses=("00:00:00:aa:bb:cc 100.64.0.2",))


def test_node_ports_present_missing_hidden_unallocated_and_orphaned() -> None:
    nodes = by_name([_node("node1"), _node("node2"), _node("node3", allocated=False), _node("node4")])
    ports = [_node_port("node1"), _node_port("node3"), _node_port("node4", vendor=False), _node_port("node9")]
    result = replay(Inventory(now=NOW, nodes=nodes), ports, S134)
    verdicts = {(i.owner.kind, i.owner.name): _ports(i) for i in result.items}
    assert verdicts == {
        ("Node", "node1"): {"node-node1": ("ok", None)},
        ("Node", "node2"): {"node-node2": ("lost", None)},  # GC logs it every cycle; nothing re-creates it
        ("Node", "node3"): {"node-node3": ("stale", None)},  # not allocated: GC does not expect it and deletes it
        ("Node", "node4"): {"node-node4": ("false-positive", "FP6")},  # hidden by the vendor filter
        ("Orphan", "node-node9"): {"node-node9": ("stale", None)},  # its Node is gone
    }
    assert result.lost_logged == ("node-node2", "node-node4")
    assert result.would_delete == ("node-node3", "node-node9")
    node2 = _item(result, "Node", "", "node2")
    assert node2.judgement.message == "lsp lost for pod node-node2, please delete the pod and retry"
    assert "Restart kube-ovn-controller" in node2.judgement.advice[0]


def test_unreadable_kinds_make_error_items_never_orphans() -> None:
    snapshot = scenarios.tc4()
    inv = replace(inventory_of(snapshot), vms={}, vmis={}, unreadable={VMS: "forbidden"})
    result = replay(inv, [*snapshot.nb_ports, nb_port("vmd.fns", "fns", "vmd")], S134)
    kinds = {(i.owner.kind, i.owner.name): (i.verdict, i.error) for i in result.items}
    launcher_name = snapshot.pods[0]["metadata"]["name"]
    assert kinds[("Pod", launcher_name)][0] == "error" and "virtualmachines" in kinds[("Pod", launcher_name)][1]
    assert kinds[(UNKNOWN, "vmd")][0] == "error" and "vmd.fns" in kinds[(UNKNOWN, "vmd")][1]
    assert not any(kind == "Orphan" for kind, _ in kinds)


def test_unreadable_nads_only_affect_owners_that_reference_one() -> None:
    tc2, tc1 = scenarios.tc2(), scenarios.tc1()
    inv = replace(inventory_of(tc2), pods=tc2.pods + tc1.pods, nads={}, unreadable={NADS: "forbidden"})
    result = replay(inv, tc2.nb_ports + tc1.nb_ports, S134)
    # p1's ports stay p1's: an owner that could not be judged never turns its ports into orphans
    assert {(i.owner.kind, i.owner.name): i.verdict for i in result.items} == {
        ("Pod", "p1"): "error",
        ("Pod", "web-5f7c"): "ok",
    }


def test_a_malformed_owner_is_an_error_item_and_the_rest_is_judged() -> None:
    bad = pod("bad", "app", {"k8s.v1.cni.cncf.io/networks": "[{not json"})
    weird = pod("weird", "app")
    weird["metadata"]["annotations"] = "not-a-map"
    tc1 = scenarios.tc1()
    inv = replace(inventory_of(tc1), pods=tc1.pods + (bad, weird))
    result = replay(inv, tc1.nb_ports, S134)
    by_owner = {i.owner.name: i for i in result.items}
    assert by_owner["web-5f7c"].verdict == "ok"
    assert by_owner["bad"].verdict == "error" and "malformed" in by_owner["bad"].error
    assert by_owner["weird"].verdict == "error"
    assert by_owner["weird"].error == (
        'Pod app/weird: metadata.annotations must be a mapping of strings to strings, got a string ("not-a-map")'
    )


def test_owner_candidates_of_port_names() -> None:
    assert owner_candidates("vm-a.test-ns")[0] == PortOwnerCandidate("test-ns", "vm-a", "ovn")
    assert owner_candidates("vm-a.test-ns.subnet-a.test-ns.ovn")[0] == PortOwnerCandidate(
        "test-ns", "vm-a", "subnet-a.test-ns.ovn"
    )
    assert PortOwnerCandidate("apps", "web.v2", "ovn") in owner_candidates("web.v2.apps")  # dotted pod names
    assert owner_candidates("Not.A_NS") == [] and owner_candidates("plain") == []
    assert node_of_port("node-node2") == "node2" and node_of_port("node-x.ns") is None and node_of_port("node-") is None


_label = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True)
_owner = st.lists(_label, min_size=1, max_size=3).map(".".join)
_provider = st.one_of(st.just("ovn"), st.tuples(_label, _label).map(lambda t: f"{t[0]}.{t[1]}.ovn"))


@given(owner=_owner, namespace=_label, provider=_provider)
def test_every_kube_ovn_port_name_reads_back_to_its_owner(owner: str, namespace: str, provider: str) -> None:
    """Whatever the owner (dots allowed) and provider, the split that formed the name is among the readings."""
    name = port_name(owner, namespace, provider)
    assert PortOwnerCandidate(namespace, owner, provider) in owner_candidates(name)


def _vip(name: str, vip_type: str = "", subnet: str = "ovn-default") -> dict:
    return {
        "apiVersion": "kubeovn.io/v1",
        "kind": "Vip",
        "metadata": {"name": name},
        "spec": {"namespace": "app", "subnet": subnet, "type": vip_type},
    }


@pytest.mark.parametrize(
    "version, typed, arp_proxy, verdict",
    [
        ("v1.13.4", True, False, "deletion-risk"),
        ("v1.13.4", False, True, "ok"),  # before v1.14: arp_proxy keeps
        ("v1.14.0", True, False, "ok"),
        ("v1.14.0", False, True, "deletion-risk"),  # from v1.14.0: a type keeps
    ],
)
def test_vip_ports_are_kept_by_the_rule_of_the_release(
    version: str, typed: bool, arp_proxy: bool, verdict: str
) -> None:
    port = nb_port("v1.app", "app", "v1", options={"arp_proxy": "true"} if arp_proxy else {})
    s = settings(version, keep_vm_ip=True, enable_external_vpc=True)
    inventory = Inventory(
        now=NOW,
        vips={"v1": _vip("v1", "switch_lb_vip" if typed else "")},
        subnets={"ovn-default": {"metadata": {"name": "ovn-default"}, "spec": {"provider": "ovn"}}},
    )
    [item] = replay(inventory, [port], s).items
    assert (item.owner.kind, item.owner.namespace, item.owner.name) == ("Vip", "app", "v1")
    assert _ports(item) == {"v1.app": (verdict, "DEL10" if verdict == "deletion-risk" else None)}


def test_a_vip_on_an_attachment_subnet_names_its_port_with_the_provider() -> None:
    from kubectl_ovn_lsp.model.gc_vips import vip_port_name

    subnets = {"sub-b": {"metadata": {"name": "sub-b"}, "spec": {"provider": "net-b.fns.ovn"}}}
    assert vip_port_name(_vip("v2", subnet="sub-b"), subnets) == ("v2.app.net-b.fns.ovn", "net-b.fns.ovn")
    assert vip_port_name(_vip("v3", subnet="gone"), subnets) == ("v3.app", "ovn")


def test_findings_on_objects_younger_than_a_minute_are_transient() -> None:
    young = "2026-11-27T09:59:30Z"  # 30 s before NOW
    tc1 = scenarios.tc1(in_nb=False, created=young)
    [item] = [i for i in replay(inventory_of(tc1), tc1.nb_ports, S134).items if i.owner.kind == "Pod"]
    [port] = item.judgement.ports
    assert port.verdict == "lost" and port.reason == "FP9"  # the young pod's own class already says it
    assert "transient" not in port.detail
    node = {
        "metadata": {"name": "n9", "creationTimestamp": young, "annotations": {"ovn.kubernetes.io/allocated": "true"}}
    }
    [node_item] = replay(Inventory(now=NOW, nodes={"n9": node}), [], S134).items
    [node_port] = node_item.judgement.ports
    assert node_port.verdict == "lost"
    assert node_port.detail.endswith(
        "transient: node n9 was created 30 s before the read, the controller may not have handled it yet; check again"
    )
    old = dict(node, metadata={**node["metadata"], "creationTimestamp": "2026-11-27T09:58:00Z"})
    [old_item] = replay(Inventory(now=NOW, nodes={"n9": old}), [], S134).items
    assert "transient" not in old_item.judgement.ports[0].detail


def test_repeated_pod_values_are_kept_once_and_unchanged() -> None:
    """A list keeps one copy of each repeated annotation/label value (memory of a large audit), changes no value,
    and stops tracking a key whose values are all different (addresses), so the memo stays small."""
    from kubectl_ovn_lsp.model.inventory import SharedValues, slim_pod

    shared = SharedValues(per_key=3)

    def pod(i: int) -> dict:
        return {
            "metadata": {
                "name": f"p{i}",
                "annotations": {"ovn.kubernetes.io/cidr": "".join(["10.16.0.0", "/16"]), "ip": f"10.16.0.{i}", "n": 7},
                "labels": {"app": "".join(["we", "b"])},
            },
            "spec": {"nodeName": "n1", "containers": [{"name": "c"}]},
        }

    pods = [slim_pod(pod(i), shared) for i in range(6)]
    assert [p["metadata"]["annotations"] for p in pods] == [
        {"ovn.kubernetes.io/cidr": "10.16.0.0/16", "ip": f"10.16.0.{i}", "n": 7} for i in range(6)
    ]
    assert all(p["metadata"]["labels"] == {"app": "web"} for p in pods) and pods[0]["spec"] == {"nodeName": "n1"}
    cidrs = {id(p["metadata"]["annotations"]["ovn.kubernetes.io/cidr"]) for p in pods}
    assert len(cidrs) == 1 and len({id(p["metadata"]["labels"]["app"]) for p in pods}) == 1
    assert shared._by_key["ip"] is None  # four distinct values with per_key=3: no longer tracked


def test_a_listed_vm_and_vmi_lose_only_what_nothing_reads() -> None:
    """The machine (domain) and volumes of a VM and a VMI are dropped as pages arrive; networks, template metadata,
    run strategy and the VMI's status (migration) stay."""
    from kubectl_ovn_lsp.model.inventory import slim_vm, slim_vmi

    networks = [{"name": "default", "pod": {}}, {"name": "net1", "multus": {"networkName": "ns/a"}}]
    vm = {
        "metadata": {"name": "vm1", "namespace": "ns", "managedFields": [{}]},
        "spec": {
            "runStrategy": "Always",
            "dataVolumeTemplates": [{"metadata": {"name": "dv"}}],
            "template": {
                "metadata": {"annotations": {"k8s.v1.cni.cncf.io/networks": "ns/b"}},
                "spec": {"domain": {"devices": {}}, "networks": networks, "volumes": [{"name": "disk"}]},
            },
        },
        "status": {"printableStatus": "Running"},
    }
    assert slim_vm(vm) == {
        "metadata": {"name": "vm1", "namespace": "ns"},
        "spec": {
            "runStrategy": "Always",
            "template": {
                "metadata": {"annotations": {"k8s.v1.cni.cncf.io/networks": "ns/b"}},
                "spec": {"networks": networks},
            },
        },
        "status": {"printableStatus": "Running"},
    }
    vmi = {
        "metadata": {"name": "vm1", "namespace": "ns"},
        "spec": {"domain": {"devices": {}}, "networks": networks, "volumes": []},
        "status": {"migrationState": {"targetNode": "n2"}, "nodeName": "n1"},
    }
    assert slim_vmi(vmi) == {
        "metadata": {"name": "vm1", "namespace": "ns"},
        "spec": {"networks": networks},
        "status": {"migrationState": {"targetNode": "n2"}, "nodeName": "n1"},
    }
    assert slim_vm({"metadata": {"name": "x"}, "spec": "not a map"}) == {"metadata": {"name": "x"}, "spec": "not a map"}


def test_items_are_sorted_by_namespace_kind_and_name_alphabetically() -> None:
    """The audit-triage contract's order, (namespace, kind, name): #18 found Pod before VirtualMachine before Orphan
    (a kind order of the code's own) instead."""
    tc1 = scenarios.tc1()
    stopped = vm("z-vm", "app", run_strategy="Halted", ready=False)
    inventory = replace(inventory_of(tc1), vms={("app", "z-vm"): stopped})
    ports = [*tc1.nb_ports, nb_port("gone.app", "app", "gone")]
    keys = [(i.owner.namespace, i.owner.kind, i.owner.name) for i in replay(inventory, ports, S134).items]
    assert keys == [("app", "Orphan", "gone"), ("app", "Pod", "web-5f7c"), ("app", "VirtualMachine", "z-vm")]


def test_an_audit_document_needs_no_owner_objects() -> None:
    """`audit` frees the API objects before its document is built (Replay.without_objects): the owners keep only
    kind, namespace and name, and every item's document is what it was with the objects."""
    from kubectl_ovn_lsp.commands.documents import item_doc

    src, dst = launcher("vm4", "ns", suffix="aaaaa"), launcher("vm4", "ns", suffix="bbbbb")
    bad = pod("bad", "app", {"k8s.v1.cni.cncf.io/networks": "[{not json"})
    inv = Inventory(
        now=NOW,
        pods=(dst, src, pod("web", "ns"), bad),
        vms=by_key([vm("vm4", "ns")]),
        vmis=by_key([vmi("vm4", "ns"), vmi("only-vmi", "ns")]),
    )
    result = replay(inv, [nb_port("vmd.fns", "fns", "vmd")], S134)
    bare = result.without_objects()
    assert [(i.owner.kind, i.owner.namespace, i.owner.name) for i in bare.items] == [
        ("Pod", "app", "bad"),
        ("Orphan", "fns", "vmd"),
        ("Pod", "ns", "web"),
        ("VirtualMachine", "ns", "vm4"),
        ("VirtualMachineInstance", "ns", "only-vmi"),
    ]
    assert all(not i.owner.pods and i.owner.vm is None and i.owner.vmi is None for i in bare.items)
    assert [item_doc(i) for i in bare.items] == [item_doc(i) for i in result.items]
    assert bare.cluster == result.cluster and bare.would_delete == result.would_delete == ("vmd.fns",)


def test_findings_share_repeated_values() -> None:
    """Each finding of a cluster-wide replay holds NB's copy of its port name and one shared copy of each provider,
    network and sources tuple (port_finding), with the values unchanged."""
    names = [f"web{i}" for i in range(3)]
    ports = [nb_port(f"{n}.ns", "ns", n) for n in names]
    pods = tuple(pod(n, "ns", allocated("ovn", "ovn-default")) for n in names)
    result = replay(Inventory(now=NOW, pods=pods, subnets=by_name([subnet("ovn-default")])), ports, S134)
    findings = [f for i in result.items if i.judgement for f in i.judgement.ports]
    assert [(f.name, f.provider, f.network, f.sources, f.verdict) for f in findings] == [
        (f"{n}.ns", "ovn", "default", ("pod-annotation",), "ok") for n in names
    ]
    assert all(f.name is p.name for f, p in zip(findings, ports))
    assert len({id(f.provider) for f in findings}) == len({id(f.network) for f in findings}) == 1
    assert len({id(f.sources) for f in findings}) == 1
