"""A port that exists but is wrong: its switch, addresses and port security against what the controller allocated
for its owner (docs/kube-ovn-facts.md, "Port state"; evidence in docs/upstream-findings.md §13).

The controller writes a pod's port from the pod's allocation annotations (`buildLogicalSwitchPort`): the port sits
in the switch of `<p>.kubernetes.io/logical_switch` with `external_ids:ls` naming it, `addresses` is
`"<mac_address> <ip_address…>"`, and `port_security` is the same string (plus VIPs) when
`<p>.kubernetes.io/port_security` is `"true"`, else empty. A Node's join port `node-<n>` is written from the Node's
`ovn.kubernetes.io/{logical_switch,ip_address,mac_address}`. A port GC keeps but that differs is never `ok`:

- PORT1 (lost): another switch holds it (or its `ls` names another switch): on its Subnet the owner has no port;
- PORT2 (lost): its MAC differs: OVN delivers the owner's frames to no port;
- PORT3 (degraded): its IP addresses differ (OVN answers ARP/ND for the wrong address, DHCP hands it out);
- PORT4 (lost): `port_security` lists other addresses: OVN drops the owner's traffic;
- PORT5 (degraded): no `port_security` although the owner asks for it;
- PORT6 (degraded): `external_ids:ls` does not name the switch that holds it (GC's delete and the allocation's
  update act on the switch `ls` names).

What repairs it depends on the release and the owner (`repair`): nothing rewrites a port of a live pod
(inspectPod re-creates only a missing port); a VM's or StatefulSet pod's port outlives the pod and the next
allocation rewrites it (addresses from v1.12.15/v1.13.0, the switch from v1.12.18/v1.13.0); a node port is
never rewritten from v1.12.0. Pure: no I/O.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.snapshot import DEGRADED, LOST, Decision
from kubectl_ovn_lsp.model.verdicts import severity

REPAIR_MARK = "What repairs it: "  # the detail's last sentence, which advice.py repeats as the advice
POD, VM, STATEFULSET, NODE = "pod", "vm", "statefulset", "node"  # who the port belongs to (what repairs it)


@dataclass(frozen=True)
class Allocation:
    """What the controller allocated for one network of an owner: the values it wrote on the port."""

    logical_switch: str | None
    ips: tuple[str, ...]
    mac: str | None
    port_security: bool
    source: str  # where the values come from, for the detail: "pod app/web-1" | "node node2"
    annotation: str  # the annotation prefix: "<provider>.kubernetes.io" (the Node's: ovn.kubernetes.io)


def allocation(obj: Mapping[str, Any], provider: str, source: str) -> Allocation | None:
    """The allocation of `provider` on a pod (or `ovn` on a Node): None when it is not allocated or carries no
    address (nothing to compare with)."""
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    if not isinstance(ann, Mapping):
        return None
    prefix = f"{provider}.kubernetes.io"
    if ann.get(f"{prefix}/allocated") != "true":
        return None
    ips = tuple(normal_ip(a) for a in str(ann.get(f"{prefix}/ip_address") or "").split(",") if a.strip())
    mac = str(ann.get(f"{prefix}/mac_address") or "").strip().lower() or None
    if not ips and mac is None:
        return None
    switch = str(ann.get(f"{prefix}/logical_switch") or "") or None
    return Allocation(switch, ips, mac, ann.get(f"{prefix}/port_security") == "true", source, prefix)


def allocation_switches(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    """The Subnets (= logical switches) pods or Nodes are allocated on (`<p>.kubernetes.io/logical_switch` of every
    allocated provider): the switches whose `ports` explain reads beside the owner's ports."""
    out: set[str] = set()
    for obj in objects:
        ann = (obj.get("metadata") or {}).get("annotations") or {}
        if not isinstance(ann, Mapping):
            continue
        for key, value in ann.items():
            if key.endswith(".kubernetes.io/allocated") and value == "true":
                switch = ann.get(key[: -len("allocated")] + "logical_switch")
                if switch:
                    out.add(str(switch))
    return sorted(out)


_CANONICAL_V4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)")


def normal_ip(text: str) -> str:
    """An address as one spelling (`fd00::05` and `fd00::5` are one address); text that is no IP stays as it is.
    An IPv4 address already in its one spelling (no leading zeros, no prefix) is returned at once: an audit of
    50,000 ports normalises ~200,000 addresses, and `ipaddress` took ~1 s of it."""
    if _CANONICAL_V4.fullmatch(text):
        return text
    try:
        return ipaddress.ip_address(text.strip().split("/")[0]).compressed
    except ValueError:
        return text.strip()


def address_entry(values: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]] | None:
    """(MAC, IPs) of the first `"<mac> <ip>…"` entry of an addresses or port_security column (`unknown`, `router`
    and `dynamic` are OVN keywords, not an entry)."""
    for value in values:
        words = value.split()
        if words and words[0] not in ("unknown", "router", "dynamic"):
            return words[0].lower(), tuple(normal_ip(w) for w in words[1:])
    return None


@dataclass(frozen=True)
class Mismatch:
    """One way the port differs from the allocation."""

    reason: str
    verdict: str
    what: str  # one clause: "MAC 00:00:00:aa:bb:01 where the pod has 00:00:00:aa:bb:02"


def mismatches(port: NbPort, alloc: Allocation, switches: SwitchView) -> list[Mismatch]:
    """Every difference between the port and the allocation, most severe first (empty: the port is as set)."""
    out = _switch_mismatches(port, alloc, switches)
    entry = address_entry(port.addresses)
    mac, ips = entry if entry else (None, ())
    if alloc.mac and mac != alloc.mac:
        out.append(Mismatch("PORT2", LOST, f"MAC {mac or '(none)'} where {alloc.source} has {alloc.mac}"))
    secured = address_entry(port.port_security)
    if secured is not None:
        smac, sips = secured
        if (alloc.mac and smac != alloc.mac) or not set(alloc.ips) <= set(sips):
            allowed = " ".join(filter(None, (smac, *sips)))
            out.append(Mismatch("PORT4", LOST, f"port_security allows {allowed}, not {_text(alloc)}"))
    elif alloc.port_security:
        out.append(
            Mismatch(
                "PORT5", DEGRADED, f"no port_security although {alloc.source} sets {alloc.annotation}/port_security"
            )
        )
    if alloc.ips and set(ips) != set(alloc.ips):
        out.append(
            Mismatch("PORT3", DEGRADED, f"addresses {' '.join(ips) or '(none)'} where {alloc.source} has {_ips(alloc)}")
        )
    return sorted(out, key=lambda m: -severity(m.verdict))


def _switch_mismatches(port: NbPort, alloc: Allocation, switches: SwitchView) -> list[Mismatch]:
    """PORT1 (the port is not in the allocation's switch), else PORT6 (its `ls` names another switch)."""
    want, ls = alloc.logical_switch, port.logical_switch
    if not want:
        return []
    held = switches.holds(want, port.uuid) if port.uuid else None
    label = f"its external_ids:ls names {ls}" if ls else "it has no external_ids:ls"
    if held is False or (held is None and ls is not None and ls != want):
        what = f"switch {want}, where {alloc.source} is allocated, does not hold it ({label})"
        return [Mismatch("PORT1", LOST, what)]
    if ls != want:
        label = f"external_ids:ls={ls}" if ls is not None else "no external_ids:ls"
        return [Mismatch("PORT6", DEGRADED, f"{label} although switch {want} holds it")]
    return []


def _text(alloc: Allocation) -> str:
    return " ".join(filter(None, (alloc.mac, *alloc.ips)))


def _ips(alloc: Allocation) -> str:
    return " ".join(alloc.ips) or "(none)"


def judge_state(
    port: NbPort, alloc: Allocation, switches: SwitchView, behaviour: Behaviour, owner: str
) -> Decision | None:
    """(verdict, reason, detail) for a present port that differs from its allocation; None when it is as set.
    `owner`: POD, VM, STATEFULSET or NODE (what repairs it, `repair`)."""
    found = mismatches(port, alloc, switches)
    if not found:
        return None
    worst = found[0]
    ls = port.logical_switch
    label = "none" if ls is None else "want" if ls == alloc.logical_switch else "other"
    detail = "present but not as the controller set it: " + "; ".join(m.what for m in found)
    return worst.verdict, worst.reason, f"{detail}. {REPAIR_MARK}{repair(worst.reason, owner, behaviour, label)}"


def repair(reason: str, owner: str, b: Behaviour, label: str = "want") -> str:
    """What rewrites the port in this release, and when (docs/upstream-findings.md §13). `label`: the port's
    `external_ids:ls` names the allocation's switch ("want"), another one ("other"), or is absent ("none")."""
    if owner == NODE:
        if not b.libovsdb_port_create:
            return "This release rewrites the node port's addresses whenever it handles the Node (every start)."
        return (
            "Nothing repairs it: handleAddNode leaves an existing node port as it is (v1.12.0 on); delete the port "
            "(kubectl ko nbctl lsp-del <port>) and restart kube-ovn-controller to re-create it from the annotations."
        )
    if owner == POD:
        return (
            "Nothing rewrites it while the pod lives (inspectPod re-creates only a missing port); delete the pod: its "
            "port goes with it and the new pod gets a new one."
        )
    kept = "the VM's" if owner == VM else "the StatefulSet pod's"
    again = "restart the VM" if owner == VM else "delete the pod"
    by_hand = f"delete the port (kubectl ko nbctl lsp-del <port>), then {again}"
    if not b.libovsdb_port_create:  # ovn-nbctl --may-exist lsp-add <ls> <port>: rewrites, refuses another switch
        if reason == "PORT1":
            return f"This release's allocation cannot move {kept} port to another switch (lsp-add refuses): {by_hand}."
        return f"The next allocation rewrites {kept} port (ovn-nbctl): {again}."
    if not b.port_update_in_place:
        return f"This release's allocation leaves {kept} existing port as it is (v1.12.0–v1.12.4): {by_hand}."
    if reason in ("PORT1", "PORT6"):
        return _switch_repair(reason, kept, again, by_hand, b, label)
    if reason in ("PORT2", "PORT3") and not b.port_update_sets_addresses:
        return (
            f"This release's allocation does not rewrite the addresses of {kept} existing port (from v1.12.15 and "
            f"v1.13.0 it does, #4011): {by_hand}."
        )
    return f"The next allocation rewrites {kept} port: {again}."


def _switch_repair(reason: str, kept: str, again: str, by_hand: str, b: Behaviour, label: str) -> str:
    """Before #4199 (v1.12.18, v1.13.0) the allocation updates the port where it is; from #4199 it moves a port
    whose `ls` names another switch: out of the switch `ls` names, into its Subnet's, in one transaction that
    OVSDB refuses when the port stays referenced (a second port of that name: the name is a unique index)."""
    if not b.port_update_moves_switch:
        if reason == "PORT6":
            return f"The next allocation rewrites {kept} port's external_ids where it is: {again}."
        return (
            f"This release's allocation updates {kept} port where it is, on the wrong switch (the move arrives in "
            f"v1.12.18 and v1.13.0, #4015/#4199): {by_hand}."
        )
    if reason == "PORT1" and label == "other":
        return f"The next allocation of {kept} port moves it to its Subnet's switch (#4199): {again}."
    if reason == "PORT6" and label == "none":
        return f"The next allocation finds the switch by the port and re-creates it in place: {again}."
    if reason == "PORT6":
        return (
            f"The next allocation of {kept} port fails: it removes the port from the switch external_ids:ls names, "
            f"which does not hold it, and OVSDB refuses a second port of the same name; {by_hand}."
        )
    return (
        f"The allocation updates {kept} port where it is, on the wrong switch, because its ls already names the "
        f"Subnet: {by_hand}."
    )
