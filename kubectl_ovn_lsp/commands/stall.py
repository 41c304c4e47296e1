"""explain's view of the cluster findings that affect its owner (docs/contracts.md, "Cluster findings").

The owner's own scoped replay already carries the findings about its own ports (a blocking or no-op port it
holds, its leaked IP CRs). A GC stall caused by *another* port changes what GC does for this owner too (no `lsp
lost` line, no deletion), so when the running release can fail a delete (`gc_delete.can_fail`: v1.12.x,
v1.13.0–v1.14.23) and the owner has a line GC should log or a port GC should delete, explain reads NB
once more, filtered on the server (`_candidates`: the ports whose `external_ids:ls` names no existing switch,
and the switches holding them), and looks for ports whose delete fails. Whether GC deletes such a port at all
depends on its owner existing; explain checks that owner with a GET (a pod, VM or VMI by the port's
`external_ids:pod`, a Node for `node-<n>`) where audit replays the whole keep-set. No such read otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from kubectl_ovn_lsp.commands.context import CommandContext
from kubectl_ovn_lsp.model.cluster import GC_STALLED, ClusterFinding
from kubectl_ovn_lsp.model.records import NbLookup, NbPort, Selection, SwitchView
from kubectl_ovn_lsp.model.replay import Item, Replay


def affecting(
    context: CommandContext, item: Item, result: Replay, nb_read: Callable[[Selection], NbLookup]
) -> tuple[ClusterFinding, ...]:
    """The cluster findings to show in this owner's explanation, most urgent first."""
    names = {p.name for p in item.judgement.ports} if item.judgement else set()
    own = [c for c in result.cluster if names & set(c.ports)]
    if any(c.kind == GC_STALLED for c in own) or item.judgement is None:
        return tuple(own)
    judgement = item.judgement
    from kubectl_ovn_lsp.model.explain_plan import reads_every_port

    if not reads_every_port(judgement, context.settings.behaviour):
        return tuple(own)
    stalled = _stall(context, judgement.lost_logged, judgement.would_delete, nb_read)
    return tuple(sorted([*stalled, *own], key=lambda c: c.sort_key))


def _stall(
    context: CommandContext,
    lost: tuple[str, ...],
    delete: tuple[str, ...],
    nb_read: Callable[[Selection], NbLookup],
) -> list[ClusterFinding]:
    from kubectl_ovn_lsp.kube.client import NODES
    from kubectl_ovn_lsp.kube.resolve import exists
    from kubectl_ovn_lsp.model import gc_cycle, gc_delete
    from kubectl_ovn_lsp.model.gc_list import gc_lists

    settings = context.settings
    ports, switches = _candidates(context, nb_read, lambda p: p.name not in delete and gc_lists(p, settings))
    blocked = []
    for port in ports:
        result = gc_delete.delete_result(port, switches, settings.behaviour)
        if result.outcome is not gc_delete.Outcome.FAILS:
            continue
        key = port.pod_key or ""
        if "/" in key:
            namespace, name = key.split("/", 1)
            if exists(context.client, namespace, name):
                continue  # its owner exists: GC expects the port and never deletes it
            owner = f"Orphan {namespace}/{name}"
        elif port.name.startswith("node-") and context.client.find(NODES, port.name[len("node-") :]) is not None:
            continue
        else:
            owner = f"Orphan {port.name}"
        blocked.append(gc_cycle.Blocked(owner, port.name, result))
    return gc_cycle.cluster_findings(blocked, lost, delete, settings)


MAX_SWITCH_CONDITIONS = 256  # switches: above this many, one read of every port instead of a where-clause per switch


def _candidates(
    context: CommandContext, nb_read: Callable[[Selection], NbLookup], wanted: Callable[[NbPort], bool]
) -> tuple[tuple[NbPort, ...], SwitchView]:
    """The ports whose delete can fail, with the switches that hold them, read filtered on the server.

    A delete fails only for a port whose `external_ids:ls` is absent, empty or names a switch that does not exist
    (model/gc_delete.py: a switch that exists leads to "deleted" or "no-op"), and then by which switches hold it.
    No filter on names or pod keys selects those, so the reads are: every switch's name (not its ports); the ports
    whose `ls` is none of those names (one `excludes` clause per switch, AND-ed); the switches holding any of those
    ports, with their ports. At 50,000 ports that is a few rows instead of every port and switch (the every-port
    read took ~2.7 s of explain's 10 s). The view is complete for those ports: every switch is known, and each
    holder of theirs is read. `wanted`: the ports worth a look (GC lists them, explain's owner does not hold
    them). With more than MAX_SWITCH_CONDITIONS switches or such ports (one clause or select each, and an exec
    argv travels in the URL), every port is read instead, as before. Every read goes to the member of explain's
    own read (nb/reader.py); their notes (that member failed in between and another answered) are added."""
    names = nb_read(Selection(switch_names=True))
    context.add_notes(names.notes)
    ports: tuple[NbPort, ...] = ()
    if len(names.switches) <= MAX_SWITCH_CONDITIONS:
        outside = nb_read(Selection(ls_outside=tuple(sorted(names.switches))))
        context.add_notes(outside.notes)
        ports = tuple(p for p in outside.ports if wanted(p))
    if len(names.switches) > MAX_SWITCH_CONDITIONS or len(ports) > MAX_SWITCH_CONDITIONS:
        full = nb_read(Selection(every_port=True))
        context.add_notes(full.notes)
        return tuple(p for p in full.ports if wanted(p)), SwitchView.of(full)
    ports_of = dict.fromkeys(names.switches, frozenset[str]())
    if ports:
        held = nb_read(Selection(held=tuple(sorted({p.uuid for p in ports}))))
        context.add_notes(held.notes)
        ports_of.update(held.switches)
    return ports, SwitchView(ports_of, complete=True)
