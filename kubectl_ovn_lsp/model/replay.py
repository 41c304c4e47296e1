"""The cluster-wide GC replay: one pass over an inventory and the NB ports, findings grouped by owner.

Kube-OVN's `markAndCleanLSP` builds one keep-set from every pod, VM and node, lists every LSP its filter
passes, logs keep-set ∖ listed (`lsp lost for pod …`) and deletes listed ∖ keep-set. The replay judges each
owner with the per-workload model (`judge`, unchanged: same ports, verdicts, reasons and advice as `explain`
always gave), each Node with `gc_nodes`, and gathers the listed ports no owner claims into `Orphan` items.
`explain` runs it on a few objects and picks its target; `audit` on every object of a scope; `triage` on the
names of a log. Pure: no I/O, no clock (`Inventory.now`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from kubectl_ovn_lsp.model import gc_cycle, ip_crs, lookups, shapes
from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.cluster import GC_STALLED, ClusterFinding
from kubectl_ovn_lsp.model.errors import ModelError
from kubectl_ovn_lsp.model.gc_nodes import NODE_PREFIX, judge_node
from kubectl_ovn_lsp.model.gc_pods import statefulset_owner
from kubectl_ovn_lsp.model.gc_vips import judge_vip, vip_namespace
from kubectl_ovn_lsp.model.inventory import (
    NADS,
    NODES,
    PODS,
    STATEFULSETS,
    SUBNETS,
    VIPS,
    VMIS,
    VMS,
    Inventory,
    key_of,
    owner_name,
)
from kubectl_ovn_lsp.model.judge import judge
from kubectl_ovn_lsp.model.orphans import OrphanKey, is_gc_relevant, judge_orphan, orphan_key
from kubectl_ovn_lsp.model.owners import LAUNCHER_OWNER, NODE, ORPHAN, POD, VIP, VM, VMI, Owner, workload_owners
from kubectl_ovn_lsp.model.port_rows import Collected, collect
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import LEAKED, Judgement, PortFinding, WorkloadSnapshot, worst
from kubectl_ovn_lsp.model.transient import mark_transient
from kubectl_ovn_lsp.model.verdicts import ERROR, severity

UNKNOWN = "Unknown"  # ports whose owner could not be looked for (its kind was unreadable): never called orphans


@dataclass(frozen=True)
class Item:
    """One owner's findings, or why it could not be judged (`error`, one line)."""

    owner: Owner
    judgement: Judgement | None = None
    error: str | None = None

    @property
    def verdict(self) -> str:
        return self.judgement.verdict if self.judgement is not None else ERROR.name


@dataclass(frozen=True)
class Replay:
    """Every item, sorted by (namespace, kind, name), and what GC logs and deletes over all of them on its next
    cycle: nothing while a `gc-stalled` finding names a delete that fails (each item's `gc` still says what GC
    logs and deletes for it once its cycles complete)."""

    items: tuple[Item, ...]
    lost_logged: tuple[str, ...]
    would_delete: tuple[str, ...]
    notes: tuple[str, ...] = ()
    cluster: tuple[ClusterFinding, ...] = ()  # what no single owner explains (model/cluster.py), most urgent first
    unreadable: tuple[str, ...] = ()  # the kinds (plurals) the inventory could not read: who owns what is unknown

    def without_objects(self) -> Replay:
        """The same replay whose owners no longer hold their API objects (pods, VM, VMI): kind, namespace and
        name stay, which is all a document reads of an owner. `audit` builds its document from this, so that a
        cluster-wide read's objects (~60 MB at 10,000 pods) are freed before the document is built beside them."""
        items = tuple(
            replace(i, owner=Owner(i.owner.kind, i.owner.namespace, i.owner.name))
            if i.owner.pods or i.owner.vm is not None or i.owner.vmi is not None
            else i
            for i in self.items
        )
        return replace(self, items=items)


class NbIndex:
    """NB ports by name and by `external_ids:pod` key, and which switch holds which: built once, read per owner."""

    def __init__(self, ports: Iterable[NbPort], switches: SwitchView | None = None) -> None:
        self.ports = tuple(ports)
        self.switches = switches or SwitchView()
        self.by_name = {p.name: p for p in self.ports}
        self.by_key: dict[str, list[NbPort]] = {}
        for port in self.ports:
            if port.pod_key:
                self.by_key.setdefault(port.pod_key, []).append(port)

    def select(self, names: Iterable[str], keys: Iterable[str]) -> tuple[NbPort, ...]:
        """The ports named `names` or keyed by `keys`, each once (what the NB query by names/keys returns)."""
        found = {n: self.by_name[n] for n in names if n in self.by_name}
        for key in keys:
            for port in self.by_key.get(key, ()):
                found.setdefault(port.name, port)
        return tuple(found.values())


def owner_snapshot(owner: Owner, inventory: Inventory, settings: ControllerSettings) -> WorkloadSnapshot:
    """The per-workload model's input for one Pod/VM/VMI owner, without NB ports.

    Raises ModelError (malformed Multus annotation on a pod) before any port is looked at.
    """
    nad_keys = lookups.nad_references(owner.pods, owner.vm, owner.namespace, settings)
    statefulsets = {}
    if STATEFULSETS not in inventory.unreadable:  # unreadable: unknown, so assumed to want its pods back
        for pod in owner.pods:
            sts = statefulset_owner(pod)
            if sts is not None:
                statefulsets[(owner.namespace, sts[0])] = inventory.statefulsets.get((owner.namespace, sts[0]))
    snapshot = WorkloadSnapshot(
        namespace=owner.namespace,
        target_kind=owner.kind,
        target_name=owner.name,
        pods=owner.pods,
        vm=owner.vm,
        vmi=owner.vmi,
        nads={key: inventory.nads.get(key) for key in nad_keys},
        subnets=inventory.subnets,
        statefulsets=statefulsets,
        nb_ports=(),
        now=inventory.now,
    )
    return snapshot


def snapshot_with_ports(
    owner: Owner, inventory: Inventory, settings: ControllerSettings, nb: NbIndex
) -> tuple[WorkloadSnapshot, Collected]:
    """The owner's snapshot with the NB ports explain's query would select, and the rows collected for it."""
    snapshot = owner_snapshot(owner, inventory, settings)
    collected = collect(snapshot, settings)
    names, keys = lookups.candidates_of(snapshot, collected)
    return replace(snapshot, nb_ports=nb.select(names, keys), switches=nb.switches), collected


def _unreadable_dependency(owner: Owner, inventory: Inventory, settings: ControllerSettings) -> str | None:
    """The kind this owner's verdict depends on that could not be read, if any (then it is an `error` item)."""
    kubevirt = [k for k in (VMS, VMIS) if k in inventory.unreadable]
    if kubevirt and any(owner_name(p, LAUNCHER_OWNER) for p in owner.pods):
        return ", ".join(kubevirt)
    if NADS in inventory.unreadable and lookups.nad_references(owner.pods, owner.vm, owner.namespace, settings):
        return NADS
    if SUBNETS in inventory.unreadable:  # whether GC expects a port depends on its Subnet's provider
        return SUBNETS
    return None


def judge_owner(owner: Owner, inventory: Inventory, settings: ControllerSettings, nb: NbIndex) -> Item:
    """One workload owner judged, or an `error` item naming what could not be judged."""
    try:
        for kind, objects in (
            (POD, owner.pods),
            (VM, (owner.vm,) if owner.vm else ()),
            (VMI, (owner.vmi,) if owner.vmi else ()),
        ):
            shapes.check_objects(kind, objects)  # MalformedObject names the object and the field
        missing = _unreadable_dependency(owner, inventory, settings) if inventory.unreadable else None
        if missing:
            return Item(
                owner,
                error=f"{owner.kind.lower()} {owner.namespace}/{owner.name}: cannot be judged: "
                f"{missing} could not be read",
            )
        snapshot, collected = snapshot_with_ports(owner, inventory, settings, nb)
        labelled: list[tuple[str, dict[str, Any] | None]] = [
            (f"pod {owner.namespace}/{key_of(p)[1]}", p) for p in owner.pods
        ]
        labelled += [
            (f"{kind} {owner.namespace}/{owner.name}", o) for kind, o in (("vm", owner.vm), ("vmi", owner.vmi))
        ]
        return Item(owner, mark_transient(judge(snapshot, settings, collected), labelled, inventory.now))
    except ModelError as exc:
        return Item(owner, error=str(exc))
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # a malformed object in a dump: judge the rest
        return Item(
            owner,
            error=f"{owner.kind.lower()} {owner.namespace}/{owner.name}: malformed object "
            f"({type(exc).__name__}: {' '.join(str(exc).split())})",
        )


def replay(
    inventory: Inventory,
    nb_ports: Iterable[NbPort],
    settings: ControllerSettings,
    *,
    owners: Iterable[Owner] | None = None,
    switches: SwitchView | None = None,
) -> Replay:
    """Judge `owners` (default: every workload owner of the inventory), every Vip and Node, and the unclaimed
    ports (orphans). `switches`: which Logical_Switch holds which port, as far as NB was read."""
    nb = NbIndex(nb_ports, switches)
    items = [
        judge_owner(o, inventory, settings, nb) for o in (workload_owners(inventory) if owners is None else owners)
    ]
    items += _vips(inventory, nb, settings)
    items += _nodes(inventory, nb, settings)
    items += _orphans(nb, _claimed(items, nb), inventory, settings)
    items, blocked = _settle_gc(items, nb, settings)
    delete = sorted({n for i in items if i.judgement for n in i.judgement.would_delete})
    leaked = ip_crs.leaks(inventory, nb.by_name, delete, settings)
    items = _with_leaks(items, leaked, settings)
    items.sort(key=lambda i: i.owner.sort_key)
    lost = sorted({n for i in items if i.judgement for n in i.judgement.lost_logged})
    cluster = gc_cycle.cluster_findings(blocked, lost, delete, settings)
    if any(c.kind == GC_STALLED for c in cluster):
        # gc.go markAndCleanLSP returns at the failing delete (`return err`): the `lsp lost` loop after it never
        # runs and lastNoPodLSP is never saved, so this cycle logs no lost line and deletes no port marked since
        # the stall began (the finding's detail keeps what GC would log and delete once it completes)
        lost, delete = [], []
    cluster += [
        c for c in (ip_crs.leak_finding(leaked, inventory), ip_crs.duplicates(inventory, nb.ports, nb.switches)) if c
    ]
    return Replay(
        tuple(items),
        tuple(lost),
        tuple(delete),
        cluster=tuple(sorted(cluster, key=lambda c: c.sort_key)),
        unreadable=tuple(sorted(inventory.unreadable)),
    )


def _with_leaks(items: list[Item], leaked: list[ip_crs.Leak], settings: ControllerSettings) -> list[Item]:
    """Leaked IP CRs join the Orphan item of their owner's key (with its ports, if any), or make one."""
    if not leaked:
        return items
    by_key: dict[tuple[str, str], list[PortFinding]] = {}
    for leak in leaked:
        by_key.setdefault((leak.key.namespace, leak.key.name), []).append(leak.finding)
    out = []
    for item in items:
        entries = by_key.pop((item.owner.namespace, item.owner.name), None) if item.owner.kind == ORPHAN else None
        if entries is None or item.judgement is None:
            out.append(item)
            continue
        out.append(replace(item, judgement=_leaked_judgement(item.judgement, entries, settings)))
    for (namespace, name), entries in by_key.items():
        empty = Judgement(name, ORPHAN, name, (), (), (), (), None, LEAKED, ())
        out.append(Item(Owner(ORPHAN, namespace, name), _leaked_judgement(empty, entries, settings)))
    return out


def _leaked_judgement(judgement: Judgement, entries: list[PortFinding], settings: ControllerSettings) -> Judgement:
    ports = tuple(sorted((*judgement.ports, *entries), key=lambda p: p.name))
    verdict = worst([p.verdict for p in ports])
    ranked = sorted(ports, key=lambda p: -severity(p.verdict))
    return replace(judgement, ports=ports, verdict=verdict, advice=advice_for(verdict, ranked, settings))


def _settle_gc(
    items: list[Item], nb: NbIndex, settings: ControllerSettings
) -> tuple[list[Item], list[gc_cycle.Blocked]]:
    """GC's delete of every port it would delete, as the release runs it (model/gc_cycle.py): a delete that
    fails or does nothing re-judges the port and is gathered for the cluster findings."""
    out, blocked = [], []
    for item in items:
        if item.judgement is None or not item.judgement.would_delete:
            out.append(item)
            continue
        judgement, results = gc_cycle.settle(item.judgement, nb.by_name, nb.switches, settings)
        label = f"{item.owner.kind} {item.owner.namespace}/{item.owner.name}".replace(" /", " ")
        blocked += [gc_cycle.Blocked(label, finding.name, result) for finding, result in results]
        out.append(replace(item, judgement=judgement) if results else item)
    return out, blocked


def _vips(inventory: Inventory, nb: NbIndex, settings: ControllerSettings) -> list[Item]:
    items = []
    for name in sorted(inventory.vips):
        vip = inventory.vips[name]
        vip_owner = Owner(VIP, vip_namespace(vip), name)
        try:
            judged = judge_vip(vip, nb.by_name, inventory.subnets, settings)
            items.append(Item(vip_owner, mark_transient(judged, [(f"vip {name}", vip)], inventory.now)))
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            items.append(Item(vip_owner, error=f"vip {name}: malformed object ({type(exc).__name__}: {exc})"))
    return items


def _nodes(inventory: Inventory, nb: NbIndex, settings: ControllerSettings) -> list[Item]:
    eips = set(inventory.ovn_eips)
    items = []
    for name in sorted(inventory.nodes):
        node_owner = Owner(NODE, "", name)
        try:
            node = inventory.nodes[name]
            judged_node = judge_node(node, nb.by_name, eips, settings, nb.switches)
            items.append(Item(node_owner, mark_transient(judged_node, [(f"node {name}", node)], inventory.now)))
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            items.append(Item(node_owner, error=f"node {name}: malformed object ({type(exc).__name__}: {exc})"))
    return items


def _claimed(items: list[Item], nb: NbIndex) -> set[str]:
    """The NB ports some owner holds. An owner that could not be judged still owns its ports: not orphans."""
    claimed = {f.name for item in items if item.judgement for f in item.judgement.ports if f.in_nb}
    for item in items:
        if item.judgement is None and item.owner.namespace:
            names = {item.owner.name} | {str((p.get("metadata") or {}).get("name")) for p in item.owner.pods}
            claimed.update(p.name for p in nb.select((), [f"{item.owner.namespace}/{n}" for n in names]))
    return claimed


def _orphans(nb: NbIndex, claimed: set[str], inventory: Inventory, settings: ControllerSettings) -> list[Item]:
    groups: dict[OrphanKey, list[NbPort]] = {}
    for port in nb.ports:
        if port.name not in claimed and is_gc_relevant(port, settings):
            groups.setdefault(orphan_key(port), []).append(port)
    workload_kinds = [k for k in (PODS, VMS, VMIS, VIPS) if k in inventory.unreadable]
    out = []
    for key, ports in sorted(groups.items(), key=lambda kv: (kv[0].namespace, kv[0].name)):
        unknown = (
            workload_kinds
            if key.namespace
            else ([NODES] if NODES in inventory.unreadable and key.name.startswith(NODE_PREFIX) else [])
        )
        if unknown:
            owner = Owner(UNKNOWN, key.namespace, key.name)
            out.append(
                Item(
                    owner,
                    error=f"cannot tell who owns {', '.join(p.name for p in ports)}: "
                    f"{', '.join(unknown)} could not be read",
                )
            )
        else:
            out.append(Item(Owner(ORPHAN, key.namespace, key.name), judge_orphan(key, ports, settings)))
    return out
