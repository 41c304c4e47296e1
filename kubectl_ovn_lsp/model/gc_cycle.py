"""GC cycles that cannot complete: the replay's last step (docs/kube-ovn-facts.md, "GC cycles that cannot
complete"; kubeovn/kube-ovn#5735, #6103).

Every port GC would delete (`stale` after the per-owner judgement) is run through the release's delete
(`gc_delete.delete_result`). A delete that fails makes the port a blocker: its finding becomes `degraded` GC1/GC4
and a `gc-stalled` cluster finding says what stops (every `lsp lost` line, every deletion of a port marked after
the stall began) and the way out; a delete that does nothing makes it `degraded` GC2/GC3 and a `gc-delete-no-op`
finding says that its IP CR and address are released while the port stays. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from kubectl_ovn_lsp.model import gc_delete
from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.cluster import GC_NOOP, GC_STALLED, ClusterFinding
from kubectl_ovn_lsp.model.fixes import fixed_text
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DEGRADED, STALE, Judgement, PortFinding, worst
from kubectl_ovn_lsp.model.verdicts import severity

GC_CODES = ("GC1", "GC2", "GC3", "GC4")
SHOWN = 10  # names listed in a detail line before "… and N more"


@dataclass(frozen=True)
class Blocked:
    """A port whose delete fails or does nothing, with the owner whose item holds it."""

    owner: str  # "Orphan ns/name", as the documents name items
    name: str  # the port
    result: gc_delete.DeleteResult


def settle(
    judgement: Judgement, ports: Mapping[str, NbPort], switches: SwitchView, settings: ControllerSettings
) -> tuple[Judgement, list[tuple[PortFinding, gc_delete.DeleteResult]]]:
    """The judgement with every stale port whose delete fails or does nothing re-judged (GC1–GC4), and those
    findings with their delete results (in the order of `judgement.ports`)."""
    b = settings.behaviour
    if not gc_delete.can_stall(b):
        return judgement, []
    findings: list[PortFinding] = []
    results: list[tuple[PortFinding, gc_delete.DeleteResult]] = []
    for finding in judgement.ports:
        port = ports.get(finding.name)
        if finding.verdict != STALE or port is None:
            findings.append(finding)
            continue
        result = gc_delete.delete_result(port, switches, b)
        if result.outcome is gc_delete.Outcome.DELETED:
            findings.append(finding)
            continue
        changed = replace(finding, verdict=DEGRADED, reason=result.reason, detail=_detail(finding, result))
        results.append((changed, result))
        findings.append(changed)
    if not results:
        return judgement, []
    verdict = worst([f.verdict for f in findings])
    ranked = sorted(findings, key=lambda f: -severity(f.verdict))
    advice = advice_for(verdict, ranked, settings)
    return replace(judgement, ports=tuple(findings), verdict=verdict, advice=advice), results


def _detail(finding: PortFinding, result: gc_delete.DeleteResult) -> str:
    if result.outcome is gc_delete.Outcome.FAILS:
        return (
            f"GC deletes nothing here: its delete of this port fails on every cycle ({result.why}; it logs "
            f"'failed to delete lsp {finding.name}: {result.error}'), which ends markAndCleanLSP before it saves its "
            "marks and logs 'lsp lost', cluster-wide"
        )
    return (
        f"GC's delete of this port does nothing ({result.why}): the port stays, while GC deletes its IP CR and "
        "releases its address every second cycle, so IPAM can hand the address to another pod"
    )


def cluster_findings(
    blocked: Sequence[Blocked],
    lost_logged: Sequence[str],
    would_delete: Sequence[str],
    settings: ControllerSettings,
) -> list[ClusterFinding]:
    """`gc-stalled` for failing deletes, `gc-delete-no-op` for deletes without effect."""
    out = []
    fails = [b for b in blocked if b.result.outcome is gc_delete.Outcome.FAILS]
    noops = [b for b in blocked if b.result.outcome is gc_delete.Outcome.NOOP]
    if fails:
        out.append(_stalled(fails, lost_logged, would_delete, settings))
    if noops:
        out.append(_noop(noops, settings))
    return out


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SHOWN])
    return shown + (f" … and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _stalled(
    fails: Sequence[Blocked], lost_logged: Sequence[str], would_delete: Sequence[str], settings: ControllerSettings
) -> ClusterFinding:
    first = fails[0]
    ports = tuple(b.name for b in fails)
    others = [n for n in would_delete if n not in ports]
    version = settings.version_text or "this release"
    fix = fixed_text(first.result.reason or "GC1", settings)
    detail = (
        f"blocking: {', '.join(f'{b.name} ({b.owner}; {b.result.why})' for b in fails)}",
        f"since: the delete fails this way in {first.result.releases}; {version} is one of them"
        + (f" ({fix})" if fix else ""),
        "stops: every cycle returns at the first of these ports before it saves its marks or logs 'lsp lost': "
        f"no 'lsp lost' line is logged ({len(lost_logged)} name(s) GC would log now"
        + (f": {_names(list(lost_logged))}" if lost_logged else "")
        + "), and no port marked after the stall began is deleted ("
        + f"{len(others)} other stale port(s) now"
        + (f": {_names(others)}" if others else "")
        + ")",
        f"logs instead, every cycle: 'gc logical switch port {first.name}', 'failed to delete lsp "
        f"{first.name}: {first.result.error}' (gc.go) and 'gc lsp error: {first.result.error}' "
        "(controller.go); a controller restart does not help (the marks start again, the delete fails again)",
    )
    advice = (
        f"Delete the blocking port by hand: kubectl ko nbctl lsp-del {first.name}"
        + (f" (and {len(ports) - 1} more: {_names(list(ports[1:]))})" if len(ports) > 1 else "")
        + ", or set external_ids:ls to the switch that holds it; the next cycles complete."
        + (f" Upgrade: {fix}." if fix else ""),
    )
    summary = (
        f"GC of logical switch ports cannot complete: its delete of {first.name} fails on every cycle "
        f"({first.result.error})"
    )
    return ClusterFinding(GC_STALLED, DEGRADED, first.result.reason, summary, ports, detail, advice)


def _noop(noops: Sequence[Blocked], settings: ControllerSettings) -> ClusterFinding:
    first = noops[0]
    ports = tuple(b.name for b in noops)
    fix = fixed_text(first.result.reason or "GC2", settings)
    detail = (
        f"ports: {', '.join(f'{b.name} ({b.owner}; {b.result.why})' for b in noops)}",
        "effect: GC logs 'gc logical switch port <name>' every second cycle, deletes the IP CR of that name and "
        "releases the address while the port keeps it: the address can be allocated again (duplicate addresses)",
        f"releases: {first.result.releases}" + (f"; {fix}" if fix else "; no release handles it"),
    )
    advice = (
        f"Delete these ports by hand (kubectl ko nbctl lsp-del {first.name}"
        + (f", and {len(ports) - 1} more" if len(ports) > 1 else "")
        + "), then check the Subnets for addresses held twice.",
    )
    summary = f"GC's delete of {len(ports)} port(s) does nothing: they stay while their addresses are released"
    return ClusterFinding(GC_NOOP, DEGRADED, first.result.reason, summary, ports, detail, advice)


__all__ = ["GC_CODES", "Blocked", "cluster_findings", "settle"]
