"""IP CRs against their owners and ports (issue #16 item 4; model/ip_crs.py). Literal expectations from the
source (docs/upstream-findings.md §14): gcIP per release, the #6943 shape, duplicates in one Subnet."""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model.inventory import Inventory, IpCr, by_key, by_name, ips_by_name, slim_ip
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.replay import replay
from tests.unit import factories as f


def _ip(name: str, ns: str, owner: str, subnet: str, address: str, kind: str = "", **labels: str) -> dict:
    meta = {"name": name, "labels": {"ovn.kubernetes.io/subnet": subnet, subnet: "", **labels}}
    spec = {"podName": owner, "namespace": ns, "subnet": subnet, "ipAddress": address, "podType": kind}
    return {"apiVersion": "kubeovn.io/v1", "kind": "IP", "metadata": meta, "spec": spec}


def _records(ips: list[dict]) -> dict[str, IpCr]:
    """IP CRs as `audit` lists them (slim_ip), by name."""
    return ips_by_name([slim_ip(ip) for ip in ips])


SUBNETS = by_name([f.subnet("ovn-default"), f.subnet("ipam-net1", "net1.default", "10.1.0.0/16")])


def _leaks(release: str, ips: list[dict], *, scope: str | None = None, pods: tuple = (), vms: tuple = ()) -> dict:
    inventory = Inventory(now=f.NOW, pods=pods, vms=by_key(list(vms)), subnets=SUBNETS, ips=_records(ips), scope=scope)
    result = replay(inventory, [], f.settings(release))
    return {p.name: (i.owner.kind, i.owner.namespace, i.owner.name, p.verdict, p.reason) for i in result.items
            if i.judgement for p in i.judgement.ports if p.verdict == "leaked"}  # fmt: skip


IPAM_ONLY = _ip("ipam-test.default.net1.default", "default", "ipam-test", "ipam-net1", "10.1.0.2")
PLAIN = _ip("web.app", "app", "web", "ovn-default", "10.16.0.9")


@pytest.mark.parametrize(
    "release,ipam_only,plain",
    [
        ("v1.13.4", "IP1", "IP1"),  # no gcIP at all
        ("v1.14.6", "IP1", "IP1"),  # gcIP checks only that the Subnet exists
        ("v1.14.7", "IP2", "IP2"),  # checkIPOwnerExists, at controller start
        ("v1.14.16", "IP3", "IP2"),  # the NAD-gone cleanup that misses IPAM-only Subnets (#6943)
        ("v1.16.0", "IP3", "IP2"),
        ("v1.15.20", "IP2", "IP2"),  # #7034
        ("master", "IP2", "IP2"),
    ],
)
def test_an_ip_cr_whose_pod_is_gone_is_leaked_per_release(release, ipam_only, plain) -> None:
    found = _leaks(release, [IPAM_ONLY, PLAIN])
    assert found["ipam-test.default.net1.default"] == ("Orphan", "default", "ipam-test", "leaked", ipam_only)
    assert found["web.app"] == ("Orphan", "app", "web", "leaked", plain)


def test_owned_reserved_out_of_scope_and_vm_ip_crs_are_not_leaks() -> None:
    reserved = _ip("kept.app", "app", "kept", "ovn-default", "10.16.0.8", **{"ovn.kubernetes.io/ip_reserved": "true"})
    owned = _ip("live.app", "app", "live", "ovn-default", "10.16.0.7")
    vm_ip = _ip("vm1.app", "app", "vm1", "ovn-default", "10.16.0.6", kind="VirtualMachine")
    other = _ip("web.other", "other", "web", "ovn-default", "10.16.0.5")
    pods = (f.pod("live", "app"),)
    vms = (f.vm("vm1", "app", [{"name": "default", "pod": {}}]),)
    assert _leaks("v1.16.2", [reserved, owned, vm_ip, other], scope="app", pods=pods, vms=vms) == {}


def test_an_unreadable_kind_judges_nothing() -> None:
    inventory = Inventory(now=f.NOW, subnets=SUBNETS, ips=_records([PLAIN]), unreadable={"pods": "forbidden"})
    assert replay(inventory, [], f.settings("v1.16.2")).cluster == ()


def test_a_port_gc_deletes_takes_its_ip_cr_along() -> None:
    port = NbPort("web.app", "", {"pod": "app/web", "ls": "ovn-default", "vendor": "kube-ovn"}, (), {}, "u1")
    inventory = Inventory(now=f.NOW, subnets=SUBNETS, ips=_records([PLAIN]))
    result = replay(inventory, [port], f.settings("v1.16.2"), switches=SwitchView({"ovn-default": frozenset({"u1"})}))
    assert [c.kind for c in result.cluster] == [] and result.would_delete == ("web.app",)


def test_one_address_held_twice_in_one_subnet() -> None:
    twin = _ip("twin.app", "app", "twin", "ovn-default", "10.16.0.9")
    port = NbPort("old.app", "", {"pod": "app/old", "ls": "ovn-default", "vendor": "kube-ovn"},
                  ("00:00:00:00:00:09 10.16.0.9",), {}, "u9")  # fmt: skip
    other_subnet = _ip("far.app", "app", "far", "ipam-net1", "10.16.0.9")
    inventory = Inventory(now=f.NOW, pods=(f.pod("twin", "app"),), subnets=SUBNETS, ips=_records([twin, other_subnet]))
    result = replay(inventory, [port], f.settings("v1.16.2"), switches=SwitchView({"ovn-default": frozenset({"u9"})}))
    [dup] = [c for c in result.cluster if c.kind == "duplicate-address"]
    assert dup.ports == ("old.app", "twin.app") and dup.detail == ("10.16.0.9 in ovn-default: old.app, twin.app",)
    assert dup.namespaces == ("app",)


def test_an_address_held_three_times_and_a_port_beside_its_own_ip_cr() -> None:
    """Three holders of one address (two IP CRs, a port of another namespace) and a port beside the IP CR of its
    own name (one holder): the namespaces come from the IP CRs' spec and the port's `external_ids:pod`."""
    a, b = _ip("a.app", "app", "a", "ovn-default", "10.16.0.7"), _ip("b.web", "web", "b", "ovn-default", "10.16.0.7")
    own = _ip("own.app", "app", "own", "ovn-default", "10.16.0.8")
    ports = [
        NbPort("c.db", "", {"pod": "db/c", "ls": "ovn-default"}, ("00:00:00:00:00:07 10.16.0.7",), {}, "u7"),
        NbPort("own.app", "", {"pod": "app/own", "ls": "ovn-default"}, ("00:00:00:00:00:08 10.16.0.8",), {}, "u8"),
    ]
    pods = tuple(f.pod(n, ns) for n, ns in (("a", "app"), ("b", "web"), ("c", "db"), ("own", "app")))
    inventory = Inventory(now=f.NOW, pods=pods, subnets=SUBNETS, ips=_records([a, b, own]))
    result = replay(inventory, ports, f.settings("v1.16.2"), switches=SwitchView({}))
    [dup] = [c for c in result.cluster if c.kind == "duplicate-address"]
    assert dup.ports == ("a.app", "b.web", "c.db") and dup.detail == ("10.16.0.7 in ovn-default: a.app, b.web, c.db",)
    assert dup.namespaces == ("app", "db", "web")


def test_a_listed_ip_cr_is_the_record_the_checks_read() -> None:
    """`audit` turns IP CRs into records as pages arrive (slim_ip): the name, the ip_reserved label as a flag, the
    owners and the spec fields as listed (absent: None); a reserved IP CR is still no leak."""
    from kubectl_ovn_lsp.model.inventory import SharedValues

    shared = SharedValues()
    reserved = _ip("kept.app", "app", "kept", "ovn-default", "10.16.0.8", **{"ovn.kubernetes.io/ip_reserved": "true"})
    plain = _ip("gone.app", "app", "gone", "ovn-default", "10.16.0.7")
    plain["spec"] |= {"macAddress": "00:00:00:00:00:07", "attachIps": [], "containerID": "c1"}
    plain["metadata"] |= {"ownerReferences": [{"kind": "Node", "name": "n1"}], "uid": "u1"}
    slimmed = [slim_ip(ip, shared) for ip in (reserved, plain)]
    assert slimmed[0] == IpCr("kept.app", True, None, "kept", "app", "ovn-default", "10.16.0.8", None, "", None)
    assert slimmed[1] == IpCr(
        "gone.app", False, [{"kind": "Node", "name": "n1"}], "gone", "app", "ovn-default", "10.16.0.7",
        "00:00:00:00:00:07", "", None,
    )  # fmt: skip
    assert slim_ip({"metadata": "x", "spec": ["y"]}) == IpCr("")
    assert _leaks("v1.16.2", [reserved, _ip("gone.app", "app", "gone", "ovn-default", "10.16.0.7")]) == {
        "gone.app": ("Orphan", "app", "gone", "leaked", "IP2")
    }
