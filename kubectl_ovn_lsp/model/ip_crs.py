"""IP CRs (`ips.kubeovn.io`) against their owners and the NB ports (docs/kube-ovn-facts.md, "IP CRs"; evidence in
docs/upstream-findings.md §14).

An IP CR is named like the port of its network (`<owner>.<ns>[.<provider>]`) and holds the address IPAM gave it;
a Subnet's `v4usingIPs` is the count of its IP CRs. Kube-OVN removes one when the pod is deleted
(`handleDeletePod`), when GC deletes the port of the same name (`markAndCleanLSP`, not an `ip_reserved` one), or
in `gcIP`, which runs once at controller start: from v1.13.15/v1.14.0 for a Subnet that is gone, from
v1.14.7/v1.15.0 for any owner that is gone (`checkIPOwnerExists`). So an IP CR whose owner is gone and that no
deleted port takes along is `leaked` until the next controller start, or forever before v1.14.7:

- IP1: no GC of the running release collects it;
- IP2: only `gcIP` at the next controller start collects it;
- IP3: kubeovn/kube-ovn#6943: an IPAM-only attachment's IP CR the pod deletion left behind because its NAD was
  gone (v1.14.16–v1.14.41, v1.15.0–v1.15.19, v1.16.0–v1.16.2; fixed by #7034).

Two ports or IP CRs of different names holding one address in one Subnet are a `duplicate-address` cluster
finding (IP4). The owner tests follow `checkIPOwnerExists`: a Node for `namespace == ""` and `nodeName ==
podName`, the VM for podType VirtualMachine, the StatefulSet (the pod name without `-<n>`) for podType
StatefulSet, Node/Subnet ownerReferences, else the pod. An owner whose kind was not read, or that lies outside
the listed scope, is unknown: its IP CRs are not judged. Pure; one pass over the IP CRs and the ports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kubectl_ovn_lsp.model.cluster import DUPLICATE, IP_LEAK, ClusterFinding
from kubectl_ovn_lsp.model.inventory import NODES, PODS, STATEFULSETS, SUBNETS, VMS, Inventory, IpCr, key_of
from kubectl_ovn_lsp.model.nad import is_ovn_provider, network_of_provider, subnet_provider
from kubectl_ovn_lsp.model.orphans import OrphanKey
from kubectl_ovn_lsp.model.port_state import address_entry, normal_ip
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DEGRADED, LEAKED, PortFinding, port_finding

SOURCE = "ip-cr"
SHOWN = 10


@dataclass(frozen=True)
class Leak:
    """One leaked IP CR: the orphan key its entry joins (the owner's namespace and name) and the entry."""

    key: OrphanKey
    finding: PortFinding
    subnet: str


class _Owners:
    """The owner tests of `checkIPOwnerExists` against the inventory, built once (pods by key)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.pods = {key_of(p): p for p in inventory.pods}

    def gone(self, ip: IpCr) -> tuple[bool, str] | None:
        """(owner gone?, "kind ns/name"), or None when the owner cannot be told (out of scope, unreadable)."""
        inv = self.inventory
        ns, name, kind = str(ip.namespace or ""), str(ip.pod_name or ""), str(ip.pod_type or "")
        subnet = str(ip.subnet or "")
        if SUBNETS in inv.unreadable:
            return None
        if subnet and subnet not in inv.subnets:
            return True, f"Subnet {subnet}"
        if not ns and ip.node_name == name:
            return self._cluster_scoped(NODES, name in inv.nodes, f"Node {name}")
        if inv.scope is not None and ns != inv.scope:
            return None
        if kind == "VirtualMachine":
            return None if VMS in inv.unreadable else ((ns, name) not in inv.vms, f"VirtualMachine {ns}/{name}")
        if kind == "StatefulSet":
            sts = name.rsplit("-", 1)[0]
            found = inv.statefulsets.get((ns, sts)) is not None
            return None if STATEFULSETS in inv.unreadable else (not found, f"StatefulSet {ns}/{sts}")
        refs = ip.owner_refs or []
        if refs:
            return self._owner_refs(refs)
        return None if PODS in inv.unreadable else ((ns, name) not in self.pods, f"pod {ns}/{name}")

    def _cluster_scoped(self, kind: str, found: bool, what: str) -> tuple[bool, str] | None:
        if self.inventory.scope is not None or kind in self.inventory.unreadable:
            return None
        return not found, what

    def _owner_refs(self, refs: list[Any]) -> tuple[bool, str] | None:
        """Node/Subnet owners (a Subnet's u2o or multicast-querier IP); any that exists keeps it."""
        what = ", ".join(f"{r.get('kind')} {r.get('name')}" for r in refs if isinstance(r, Mapping))
        for ref in refs:
            if not isinstance(ref, Mapping):
                continue
            if ref.get("kind") == "Subnet" and ref.get("name") in self.inventory.subnets:
                return False, what
            if ref.get("kind") == "Node":
                if self.inventory.scope is not None or NODES in self.inventory.unreadable:
                    return None
                if ref.get("name") in self.inventory.nodes:
                    return False, what
        return True, what


def _provider(name: str, ip: IpCr) -> str:
    """The provider part of `<owner>.<ns>[.<provider>]` (`PodNameToPortName`): "ovn" without one."""
    prefix = f"{ip.pod_name or ''}.{ip.namespace or ''}"
    if name == prefix or not ip.namespace:
        return "ovn"
    return name[len(prefix) + 1 :] if name.startswith(prefix + ".") else ""


def leaks(
    inventory: Inventory, ports: Mapping[str, NbPort], deleted: Iterable[str], settings: ControllerSettings
) -> list[Leak]:
    """Every IP CR whose owner is gone, that is not reserved, and whose name is no port in NB (a port's own
    finding covers it: GC deletes the IP CR with a stale port), sorted by name. `deleted`: the ports GC deletes."""
    owners, gone_ports = _Owners(inventory), set(deleted)
    out = []
    for name in sorted(inventory.ips):
        ip = inventory.ips[name]
        if ip.reserved or name in ports or name in gone_ports:
            continue
        found = owners.gone(ip)
        if found is None or not found[0]:
            continue
        out.append(_leak(name, ip, found[1], inventory, settings))
    return out


def _leak(name: str, ip: IpCr, owner: str, inventory: Inventory, settings: ControllerSettings) -> Leak:
    subnet = str(ip.subnet or "")
    address = " ".join(filter(None, (str(ip.mac_address or ""), *str(ip.ip_address or "").split(","))))
    reason, detail = _reason(subnet, owner, inventory, settings)
    provider = _provider(name, ip)
    ns = str(ip.namespace or "")
    key = OrphanKey(ns, str(ip.pod_name or name)) if ns else OrphanKey("", name)
    decision = (LEAKED, reason, f"IP CR {name} ({ip.ip_address or '-'} in Subnet {subnet or '-'}): {detail}")
    finding = port_finding(
        name,
        None,
        decision,
        provider=provider,
        network=network_of_provider(provider) if provider else "",
        sources=(SOURCE,),
        expected_by_gc=False,
        listed_by_gc=False,
        logical_switch=subnet or None,
    )
    return Leak(key, replace(finding, addresses=(address,) if address else ()), subnet)


def _reason(subnet: str, owner: str, inventory: Inventory, settings: ControllerSettings) -> tuple[str, str]:
    b = settings.behaviour
    found = inventory.subnets.get(subnet)
    ipam_only = found is not None and not is_ovn_provider(subnet_provider(found), "three-field")
    at_start = b.gc_ip_owner_check or (b.gc_ip and subnet not in inventory.subnets)
    start = (
        "gcIP collects it at the next kube-ovn-controller start (it runs once at start, never periodically)"
        if at_start
        else "no GC of this release collects it (gcIP arrives in v1.13.15/v1.14.0 for Subnets that are gone and "
        "checks owners from v1.14.7/v1.15.0)"
    )
    if ipam_only and b.nad_gone_cleanup and not b.ipam_only_released:
        return "IP3", (
            f"its owner ({owner}) is gone; an IPAM-only attachment's IP CR that the pod deletion did not release "
            "when the NAD was already gone (kubeovn/kube-ovn#6943: the cleanup looked for a '<nad>.<ns>.ovn' "
            "Subnet only and logged 'net-attach-def … not found and cannot determine subnet, gc will clean its ip "
            f"cr'); the periodic GC never collects it; {start}"
        )
    if at_start:
        return "IP2", f"its owner ({owner}) is gone; the periodic GC never collects it; {start}"
    return "IP1", f"its owner ({owner}) is gone; {start}"


def leak_finding(found: list[Leak], inventory: Inventory) -> ClusterFinding | None:
    """The `ip-leak` cluster finding: how many, where, and each Subnet's usage status against its IP CRs."""
    if not found:
        return None
    per_subnet: dict[str, int] = {}
    for leak in found:
        per_subnet[leak.subnet] = per_subnet.get(leak.subnet, 0) + 1
    ip_count: dict[str, int] = {}
    for ip in inventory.ips.values():
        sub = str(ip.subnet or "")
        if sub in per_subnet:
            ip_count[sub] = ip_count.get(sub, 0) + 1
    lines = []
    for sub in sorted(per_subnet):
        status = (inventory.subnets.get(sub) or {}).get("status") or {}
        using = status.get("v4usingIPs", status.get("v6usingIPs"))
        usage = f"; its status says {using} in use" if using is not None else ""
        lines.append(f"Subnet {sub or '-'}: {per_subnet[sub]} leaked of {ip_count.get(sub, 0)} IP CRs{usage}")
    names = [leak.finding.name for leak in found]
    reasons = sorted({leak.finding.reason or "" for leak in found})
    shown = ", ".join(names[:SHOWN]) + (f" … and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
    summary = f"{len(found)} IP CR(s) outlived their owner and no periodic GC collects them: {shown}"
    advice = (
        "Each leaked IP CR keeps an address taken: restart the kube-ovn-controller leader where gcIP collects them "
        "(v1.14.7+, v1.15.0+), or delete them (kubectl delete ip <name>); see each owner's advice (audit "
        "--only leaked).",
    )
    namespaces = tuple(sorted({leak.key.namespace for leak in found if leak.key.namespace}))
    return ClusterFinding(IP_LEAK, LEAKED, reasons[0], summary, tuple(names), tuple(lines), advice, (), namespaces)


def duplicates(inventory: Inventory, ports: Sequence[NbPort], switches: SwitchView) -> ClusterFinding | None:
    """Addresses held by two names in one Subnet: IP CRs (by `spec.subnet`) and ports (type "", by
    `external_ids:ls`, else the switch holding them); a port and the IP CR of its own name count once.

    Memory: one entry per address of the cluster (~100,000 at 10,000 pods), built beside every IP CR and NB row at
    the audit's peak; an address with one holder keeps its name alone (a set only from the second holder), and the
    namespaces are looked up for the names shown only."""
    holders: dict[str, dict[str, str | set[str]]] = {}  # subnet -> address -> holder(s): no key tuple per address

    def hold(subnet: str, address: str, name: str) -> None:
        in_subnet = holders.setdefault(subnet, {})
        held = in_subnet.setdefault(address, name)
        if isinstance(held, set):
            held.add(name)
        elif held != name:
            in_subnet[address] = {held, name}

    for name, ip in inventory.ips.items():
        subnet = str(ip.subnet or "")
        for address in str(ip.ip_address or "").split(","):
            if address.strip() and subnet:
                hold(subnet, normal_ip(address), name)
    for port in ports:
        if port.type != "":
            continue
        entry = address_entry(port.addresses)
        switch = port.logical_switch or next(iter(switches.holders(port.uuid) or ()), "")
        if entry is None or not switch:
            continue
        for address in entry[1]:
            hold(switch, address, port.name)
    shared = {(sub, ip): sorted(v) for sub, held in holders.items() for ip, v in held.items() if isinstance(v, set)}
    if not shared:
        return None
    lines = tuple(f"{ip} in {subnet}: {', '.join(names)}" for (subnet, ip), names in sorted(shared.items()))
    names = tuple(sorted({n for v in shared.values() for n in v}))
    summary = f"{len(shared)} address(es) held twice in one Subnet: {lines[0]}" + (
        f" … and {len(shared) - 1} more" if len(shared) > 1 else ""
    )
    advice = (
        "Two owners answer for one address: traffic to it reaches either. Find which holder is stale (an orphan, "
        "a port GC 'deleted' without effect, a leaked IP CR), delete it, and restart the other owner's pod if its "
        "traffic is affected.",
    )
    namespaces = tuple(sorted({ns for ns in _namespaces(inventory, ports, switches, set(names)).values() if ns}))
    return ClusterFinding(DUPLICATE, DEGRADED, "IP4", summary, names, lines[: SHOWN * 2], advice, (), namespaces)


def _namespaces(inventory: Inventory, ports: Sequence[NbPort], switches: SwitchView, names: set[str]) -> dict[str, str]:
    """The namespace of each of `names` as `duplicates` counted them: an IP CR's `spec.namespace`, else the
    `external_ids:pod` namespace of the first port of that name that holds an address in a switch."""
    spaces = {n: str(inventory.ips[n].namespace or "") for n in names if n in inventory.ips}
    for port in ports:
        if port.name not in names or port.name in spaces or port.type != "" or address_entry(port.addresses) is None:
            continue
        if port.logical_switch or next(iter(switches.holders(port.uuid) or ()), ""):
            spaces[port.name] = (port.pod_key or "/").split("/", 1)[0]
    return spaces


__all__ = ["Leak", "duplicates", "leak_finding", "leaks"]
