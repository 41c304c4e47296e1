"""The records that enter and leave `judge`: one workload's objects in, per-port findings and a verdict out."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kubectl_ovn_lsp.model import verdicts
from kubectl_ovn_lsp.model.records import NbPort, SwitchView

# Port verdict words (model/verdicts.py holds their severity, exit code and colour).
OK, LOST, FALSE_POSITIVE, STALE, DELETION_RISK, NO_PORT, DEGRADED, LEAKED = (
    verdicts.OK.name,
    verdicts.LOST.name,
    verdicts.FALSE_POSITIVE.name,
    verdicts.STALE.name,
    verdicts.DELETION_RISK.name,
    verdicts.NO_PORT.name,
    verdicts.DEGRADED.name,
    verdicts.LEAKED.name,
)
worst = verdicts.worst


@dataclass(frozen=True)
class WorkloadSnapshot:
    """One workload's objects as the collector read them: everything `judge` needs, nothing else."""

    namespace: str
    target_kind: str  # "VirtualMachine" | "VirtualMachineInstance" | "Pod" as named / resolved
    target_name: str
    pods: tuple[dict[str, Any], ...]  # the workload's pods (launcher pods incl. migration target, or the one pod)
    vm: dict[str, Any] | None
    vmi: dict[str, Any] | None
    nads: Mapping[tuple[str, str], dict[str, Any] | None]  # (ns, name) -> NAD; None = looked up and missing
    subnets: Mapping[str, dict[str, Any]]  # every Subnet by name
    statefulsets: Mapping[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)  # None = not found
    nb_ports: tuple[NbPort, ...] = ()  # NB rows found by candidate name or external_ids:pod
    switches: SwitchView = field(default_factory=SwitchView)  # which switch holds which port, as far as read
    now: datetime = field(default_factory=lambda: datetime.now().astimezone())


@dataclass(frozen=True, slots=True)  # one per port: 50,000 in an audit of 10,000 pods
class PortFinding:
    """One port name: what GC thinks of it, whether NB has it, whether the workload needs it, and the verdict."""

    name: str
    provider: str
    network: str  # "default" or "ns/nad"
    sources: tuple[str, ...]  # ⊆ pod-annotation, multus-annotation, vm-spec, vm-template-annotation, nb
    expected_by_gc: bool
    in_nb: bool
    listed_by_gc: bool
    logical_switch: str | None
    addresses: tuple[str, ...]
    verdict: str
    reason: str | None
    detail: str
    needed: bool = False  # the workload has or will use this port (Kube-OVN naming, not GC)


Decision = tuple[str, "str | None", str]  # (verdict word, reason code or None, detail): what each judge returns


# One copy of each value that repeats across the findings of a cluster-wide replay (50,000 at 10,000 pods): the
# port name NB already holds, the provider and network (a few per cluster), the sources (a few combinations).
# Each finding otherwise held its own: ~12 MB at 10,000 pods, alive until the audit's document is built.
_SOURCES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared(value: str) -> str:
    return sys.intern(value) if type(value) is str else value  # sys.intern takes exact str only


def port_finding(
    name: str,
    port: NbPort | None,
    decision: Decision,
    *,
    provider: str,
    network: str,
    sources: tuple[str, ...],
    expected_by_gc: bool,
    listed_by_gc: bool,
    needed: bool = False,
    logical_switch: str | None = None,
) -> PortFinding:
    """The one place a `PortFinding` is built (workloads, nodes, Vips, orphans): what NB says (`in_nb`,
    `addresses`, the switch) comes from `port` (None: not in NB), the verdict from `decision`.
    `logical_switch`: the switch the owner names (a pod's annotation, a Vip's subnet); None takes NB's
    `external_ids:ls`."""
    verdict, reason, detail = decision
    return PortFinding(
        name=port.name if port is not None and port.name == name else name,  # NB's copy: one string per port
        provider=_shared(provider),
        network=_shared(network),
        sources=_SOURCES.setdefault(sources, sources) if len(_SOURCES) < 64 else sources,
        expected_by_gc=expected_by_gc,
        in_nb=port is not None,
        listed_by_gc=listed_by_gc,
        logical_switch=logical_switch if logical_switch is not None else port.logical_switch if port else None,
        addresses=tuple(port.addresses) if port else (),
        verdict=verdict,
        reason=reason,
        detail=detail,
        needed=needed,
    )


@dataclass(frozen=True)
class Judgement:
    """The answer for one workload: per-port findings, GC's log lines and deletions, the top verdict, advice."""

    port_owner: str
    target_kind: str
    target_name: str
    pods: tuple[str, ...]
    ports: tuple[PortFinding, ...]  # sorted by name, each name once
    lost_logged: tuple[str, ...]
    would_delete: tuple[str, ...]
    message: str | None  # the exact GC log line(s), newline-separated
    verdict: str
    advice: tuple[str, ...]
    notes: tuple[str, ...] = ()
