"""Cluster-level findings: what no single owner explains, shown first in `audit` and `triage` and, when it affects
the owner, in `explain` (docs/contracts.md, "Cluster findings").

- `gc-stalled`: GC's delete of a port fails on every cycle, so `markAndCleanLSP` never completes: no `lsp lost`
  line, no deletion of a port marked after the stall began (model/gc_delete.py; kubeovn/kube-ovn#5735, #6103).
- `gc-delete-no-op`: GC "deletes" ports every second cycle without effect, and frees their IP CRs and addresses.
- `ip-leak`: IP CRs whose owner is gone and that no periodic GC collects (model/ip_crs.py; #6943).
- `duplicate-address`: two ports or IP CRs hold one address in one Subnet.

Each finding keeps the per-owner document shape's vocabulary: a verdict word, a reason code, the ports (or IP
CRs) it is about, detail lines and advice. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

GC_STALLED, GC_NOOP, IP_LEAK, DUPLICATE = "gc-stalled", "gc-delete-no-op", "ip-leak", "duplicate-address"
ORDER = {GC_STALLED: 0, GC_NOOP: 1, IP_LEAK: 2, DUPLICATE: 3}


@dataclass(frozen=True)
class ClusterFinding:
    """One cluster-level finding. `ports`: the port or IP CR names it is about; `stops`: what GC no longer does
    because of it (GC findings), or what it costs (IP findings); `logged`: matching controller log lines
    (triage only): kind -> count. A GC finding is cluster-wide by nature; IP findings name their namespaces."""

    kind: str
    verdict: str
    reason: str | None
    summary: str
    ports: tuple[str, ...]
    detail: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    logged: tuple[tuple[str, int], ...] = ()
    namespaces: tuple[str, ...] = ()  # the namespaces it is about (`audit -n` shows it there); () = cluster-wide

    @property
    def sort_key(self) -> tuple[int, str]:
        return ORDER.get(self.kind, 9), self.summary
