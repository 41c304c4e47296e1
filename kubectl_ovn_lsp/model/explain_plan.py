"""explain's plan, as data: which owner to replay, and which NB rows to read for it (a `Selection`), for each kind
of target; and what NB's rows say about a port name before Kubernetes is asked (`PortName`). Pure: the command
(`commands/explain.py`) does the GETs and the reads, in the order this module's functions need them.

Why a plan: NB is read once per selection (`nb/reader.py` answers a selection an earlier read covers), so the
resolution of a port name plans every candidate at once: the name itself and the `external_ids:pod` key of every
owner the name could belong to (`port_selection`), one read, then the owner is resolved from those rows. An
orphan's ports, or a port-name target that resolves to the ports of a gone owner, are then answered from the same
read. A workload, node or Vip owner reads its own selection (its names depend on the objects the GETs return).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.model import gc_delete, lookups, port_state
from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.gc_nodes import node_port_name
from kubectl_ovn_lsp.model.gc_vips import vip_port_name
from kubectl_ovn_lsp.model.inventory import Inventory
from kubectl_ovn_lsp.model.owners import Owner
from kubectl_ovn_lsp.model.port_names import node_of_port, owner_candidates
from kubectl_ovn_lsp.model.records import NbPort, Selection
from kubectl_ovn_lsp.model.replay import owner_snapshot
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import Judgement


@dataclass(frozen=True)
class Plan:
    """What to replay: the inventory read, the owner to report, and the NB rows to read for it."""

    inventory: Inventory
    owner: Owner
    selection: Selection


def workload_selection(owner: Owner, inventory: Inventory, settings: ControllerSettings) -> Selection:
    """A pod's, VM's or VMI's rows: every port name GC or the workload could use, its pod keys, and the Subnets its
    pods are allocated on (their switches' `ports`). Raises ModelError (a malformed annotation, a missing NAD)
    before any NB connection is made."""
    names, keys = lookups.candidate_lookups(owner_snapshot(owner, inventory, settings), settings)
    return Selection.of(names, keys, port_state.allocation_switches(owner.pods))


def node_selection(name: str, inventory: Inventory) -> Selection:
    """A node's join port `node-<n>` (and the OVN EIPs of the inventory), and the switches the Node is allocated
    on."""
    switches = port_state.allocation_switches(inventory.nodes.values())
    return Selection.of([node_port_name(name), *inventory.ovn_eips], [], switches)


def vip_selection(vip: Mapping[str, Any], subnets: Mapping[str, Mapping[str, Any]]) -> Selection:
    """A kubeovn.io Vip's port, named as `handleAddVip` names it."""
    port, _ = vip_port_name(vip, subnets)
    return Selection.of([port], [])


def orphan_selection(namespace: str, name: str) -> Selection:
    """The ports an owner that no longer exists left behind: `external_ids:pod=<ns>/<name>`."""
    return Selection.of([], [f"{namespace}/{name}"])


def port_selection(port: str) -> Selection:
    """The one read that resolves a port name: the port itself and every owner's pod key the name could hold
    (`port_names.owner_candidates`; none for a node's `node-<n>`)."""
    return Selection.of([port], [c.pod_key for c in owner_candidates(port)])


@dataclass(frozen=True)
class PortName:
    """What NB's rows (the answer to `port_selection`) say about a port name, before Kubernetes is asked.

    `row`: the port of that name; `node`: the node a `node-<n>` name names (None when the row names a pod key);
    `readings`: the (namespace, owner) the port can belong to, narrowed to `-n` when given (the row's own
    `external_ids:pod` when it has one, else every split of the name); `elsewhere`: the namespaces `-n` left out;
    `keyed`: the readings whose pod key holds ports in NB."""

    port: str
    row: NbPort | None
    node: str | None
    readings: tuple[tuple[str, str], ...]
    elsewhere: tuple[str, ...]
    keyed: tuple[tuple[str, str], ...]


def port_name(port: str, ports: Iterable[NbPort], given_namespace: str | None) -> PortName:
    """Read a port name against the rows of `port_selection(port)` (docs/contracts.md, explain targets)."""
    ports = tuple(ports)
    row = next((p for p in ports if p.name == port), None)
    readings: list[tuple[str, str]] = []
    node = None
    if row is not None and row.pod_key and "/" in row.pod_key:
        namespace, owner = row.pod_key.split("/", 1)
        readings = [(namespace, owner)]
    else:
        node = node_of_port(port)
        if node is None:
            readings = [(c.namespace, c.name) for c in owner_candidates(port)]
    elsewhere: tuple[str, ...] = ()
    if given_namespace is not None:
        elsewhere = tuple(sorted({ns for ns, _ in readings if ns != given_namespace}))
        readings = [(ns, o) for ns, o in readings if ns == given_namespace]
    # the row of a pod key read by name only (its owner is not a split of the name) still shows the key holds a port
    keys = {p.pod_key for p in ports}
    keyed = tuple((ns, o) for ns, o in readings if f"{ns}/{o}" in keys)
    return PortName(port, row, node, tuple(readings), elsewhere, keyed)


def switches_named(ports: Iterable[NbPort], selection: Selection, b: Behaviour) -> Selection | None:
    """What GC's delete does with a port depends on the switch its `external_ids:ls` names (model/gc_delete.py):
    when a port read names a switch the selection did not read, the selection with those switches too (audit's
    read has every switch); None when nothing is missing or the release's delete does not depend on it
    (before libovsdb, v1.12.0)."""
    if not gc_delete.can_stall(b):
        return None
    named = {p.logical_switch for p in ports if p.logical_switch} - set(selection.switches)
    if not named:
        return None
    return Selection.of(selection.names, selection.pod_keys, set(selection.switches) | named)


def reads_every_port(judgement: Judgement, b: Behaviour) -> bool:
    """Whether explain reads every port to look for a GC stall caused by another port (commands/stall.py): only
    when this release's delete can fail (`gc_delete.can_fail`) and the owner has a line GC should log or a port GC
    should delete."""
    return gc_delete.can_fail(b) and bool(judgement.lost_logged or judgement.would_delete)
