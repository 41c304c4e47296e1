"""Node owners: the join-switch port `node-<node>` (and `<node>` for a node with an OvnEip) that GC keeps.

`markAndCleanLSP` adds `node-<name>` for every Node (from v1.8.3/v1.9.0 only those annotated
`ovn.kubernetes.io/allocated=true`) and the node name for every OvnEip named after a node (gc_pods
`node_port_names`). Nothing but `handleAddNode` creates the port, so a missing one is a real loss that GC logs
every cycle (kubeovn/kube-ovn#7322: node port gone after an NB raft recovery).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kubectl_ovn_lsp.model import port_state
from kubectl_ovn_lsp.model.gc_list import LOST_LINE, gc_active, gc_lists, skips_delete
from kubectl_ovn_lsp.model.gc_pods import node_port_names
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import (
    FALSE_POSITIVE,
    LOST,
    NO_PORT,
    OK,
    STALE,
    Decision,
    Judgement,
    PortFinding,
    port_finding,
    worst,
)

NODE_PREFIX = "node-"
NODE_NETWORK = "join"
LOST_ADVICE = (
    "GC logs this node port lost on every cycle and never re-creates it: kube-ovn-controller creates "
    "node-<node> only when it handles the Node (handleAddNode), which it does for every Node when it "
    "starts. Restart kube-ovn-controller (or re-add the Node); do not delete pods for it."
)
STALE_ADVICE = (
    "GC deletes this node port: the Node is not (yet) marked ovn.kubernetes.io/allocated=true, so GC does "
    "not expect it. kube-ovn-controller re-creates it when it allocates the node."
)
OK_ADVICE = "Consistent: GC logs nothing for this node and deletes nothing it needs."


def node_port_name(node_name: str) -> str:
    return NODE_PREFIX + node_name


def judge_node(
    node: Mapping[str, Any],
    ports: Mapping[str, NbPort],
    eip_names: Iterable[str],
    settings: ControllerSettings,
    switches: SwitchView | None = None,
) -> Judgement:
    """The node's port(s): expected by GC?, in NB?, listed? → ok / lost / false-positive (FP6) / stale / no-port;
    a present `node-<n>` that differs from the Node's allocation annotations is PORT1–PORT3 (model/port_state.py:
    no release from v1.12.0 repairs it, kubeovn/kube-ovn#5172)."""
    name = str((node.get("metadata") or {}).get("name") or "")
    eips = set(eip_names)
    expected = set(node_port_names([node], eips, settings.behaviour))
    names = {node_port_name(name)} | ({name} if name in eips else set())
    active = gc_active(settings)
    findings = []
    for port_name in sorted(names):
        port = ports.get(port_name)
        listed = port is not None and gc_lists(port, settings)
        wanted = port_name in expected and active
        decision = _verdict(port, listed, wanted, port_name in expected, active, settings)
        if decision[0] == OK and port is not None and port_name == node_port_name(name):
            decision = _state(node, name, port, settings, switches or SwitchView()) or decision
        findings.append(
            port_finding(
                port_name,
                port,
                decision,
                provider="ovn",
                network=NODE_NETWORK,
                sources=("node",),
                expected_by_gc=wanted,
                listed_by_gc=listed,
                needed=port_name in expected,
            )
        )
    lost = tuple(f.name for f in findings if f.expected_by_gc and not f.listed_by_gc)
    delete = tuple(f.name for f in findings if f.verdict == STALE)
    verdict = worst([f.verdict for f in findings])
    state = [f for f in findings if (f.reason or "").startswith("PORT")]
    advice = (
        state_advice(state[0], settings)
        if state
        else {LOST: LOST_ADVICE, FALSE_POSITIVE: _fp6_advice()}.get(verdict) or (STALE_ADVICE if delete else OK_ADVICE)
    )
    return Judgement(
        port_owner=node_port_name(name),
        target_kind="Node",
        target_name=name,
        pods=(),
        ports=tuple(findings),
        lost_logged=lost,
        would_delete=delete,
        message="\n".join(LOST_LINE.format(n) for n in lost) or None,
        verdict=verdict,
        advice=(advice,),
    )


def _state(
    node: Mapping[str, Any], name: str, port: NbPort, settings: ControllerSettings, switches: SwitchView
) -> Decision | None:
    alloc = port_state.allocation(node, "ovn", f"node {name}")
    if alloc is None:
        return None
    return port_state.judge_state(port, alloc, switches, settings.behaviour, port_state.NODE)


def state_advice(finding: PortFinding, settings: ControllerSettings) -> str:
    """The node port differs from the Node's annotations: what repairs it, and the race #5172 closes."""
    fix = (
        "this release deletes a leftover port before it allocates a Node (#5172), so the race that leaves one "
        "behind is closed; this mismatch is older or has another cause"
        if settings.behaviour.node_stale_port_deleted
        else "the race that leaves it behind (a new leader re-allocates a Node whose annotation patch failed, and "
        "the old port stays) is closed from v1.13.11 and v1.14.0 (kubeovn/kube-ovn#5172)"
    )
    repair = finding.detail.split(port_state.REPAIR_MARK, 1)[-1]
    return f"{finding.name} does not carry the Node's address: {repair} Note that {fix}."


def _verdict(
    port: NbPort | None, listed: bool, wanted: bool, allocated: bool, active: bool, settings: ControllerSettings
) -> tuple[str, str | None, str]:
    if wanted:
        if listed:
            return OK, None, "present"
        if port is not None:
            return (
                FALSE_POSITIVE,
                "FP6",
                (
                    "the port exists but GC's list filter hides it (type "
                    f"{port.type!r} or no external_ids:vendor=kube-ovn), so GC logs it lost"
                ),
            )
        return (
            LOST,
            None,
            "GC expects this node port and NB lacks it; nothing re-creates it until the controller "
            "handles the Node again",
        )
    if port is None:
        if allocated:
            return LOST, None, "missing from NB (GC is not running, so it logs nothing)"
        return NO_PORT, None, "the Node is not allocated yet (no ovn.kubernetes.io/allocated=true): no port expected"
    if listed and active and not skips_delete(port, settings):
        if allocated:  # only when GC is active is `wanted` false for an allocated node: never here
            return OK, None, "present"
        return STALE, None, "the Node is not marked allocated, so GC does not expect its port and deletes it"
    return OK, None, "present; GC does not list it" if not listed else "present"


def _fp6_advice() -> str:
    from kubectl_ovn_lsp.model.advice import ADVICE

    return ADVICE["FP6"]
