"""explain's view of the cluster findings that affect its owner (docs/contracts.md, "Cluster findings").

The owner's own scoped replay already carries the findings about its own ports (a blocking or no-op port it
holds, its leaked IP CRs). A GC stall caused by *another* port changes what GC does for this owner too (no `lsp
lost` line, no deletion), so when the running release can fail a delete (`gc_delete.can_fail`: v1.12.x,
v1.13.0–v1.14.23) and the owner has a line GC should log or a port GC should delete, explain reads every port
once more (audit's NB selection) and looks for ports whose delete fails. Whether GC deletes such a port at all
depends on its owner existing; explain checks that owner with a GET (a pod, VM or VMI by the port's
`external_ids:pod`, a Node for `node-<n>`) where audit replays the whole keep-set. No such read otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from kubectl_ovn_lsp.commands.context import CommandContext
from kubectl_ovn_lsp.model.cluster import GC_STALLED, ClusterFinding
from kubectl_ovn_lsp.model.records import NbLookup, Selection, SwitchView
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
    full = nb_read(Selection(every_port=True))  # from the member explain's own read came from (nb/reader.py)
    context.add_notes(full.notes)  # e.g. that member failed in between and another one answered
    switches = SwitchView.of(full)
    blocked = []
    for port in full.ports:
        if port.name in delete or not gc_lists(port, settings):
            continue
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
