"""The `Triage` document (docs/contracts.md, "triage"): one entry per port name the controller's GC lines name,
with the shapes it shares with `Explanation` and `Audit` (`KubeOvn`, `Nb`, `Cluster`) from `commands/documents.py`.

Split from `commands/documents.py`, which keeps the per-owner shapes and the explain and audit documents: triage's
entries are about log lines (kind, count, when, where, which releases log there), not owners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict

from kubectl_ovn_lsp.commands.documents import Cluster, KubeOvn, Nb

if TYPE_CHECKING:  # the shapes are imported by the renderer; the model records they are built from are not
    from datetime import datetime

    from kubectl_ovn_lsp.model.triage import TriageItem


class TriageSource(TypedDict, total=False):
    file: str  # a saved log ("-": standard input), or
    pods: list[str]  # the controller pods whose logs were read


# the releases whose GC writes that line: `from`-`to`, `andNewer` when the range runs past the newest checked tag
LineReleases = TypedDict("LineReleases", {"from": str, "to": str, "andNewer": bool}, total=False)


class OwnerRef(TypedDict):
    kind: str
    namespace: str | None
    name: str


class TriageEntry(TypedDict):
    port: str
    event: str  # lost | deleted
    count: int
    firstSeen: str | None  # RFC 3339, UTC
    lastSeen: str | None
    gcLines: list[str]
    releases: list[LineReleases]
    owner: OwnerRef | None
    verdict: str
    reason: str | None
    detail: str
    stillLogged: bool
    advice: list[str]


class _TriageSummary(TypedDict):
    beforeSince: int
    lines: int
    skipped: int
    ports: int
    verdicts: dict[str, int]


class _Triage(TypedDict):
    apiVersion: str
    kind: Literal["Triage"]
    source: TriageSource
    kubeOvn: KubeOvn
    nb: Nb | None  # None when no GC line matched (NB was not read)
    summary: _TriageSummary
    only: list[str] | None  # the --only filter applied to items (the summary and verdict count every name)
    items: list[TriageEntry]
    verdict: str
    notes: list[str]


class Triage(_Triage, total=False):
    cluster: list[Cluster]  # as audit's, with the matching log lines counted in `logged`; when any


def _stamp(when: datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else None


def _file(event: str) -> str:
    """The source file a line kind is logged from (gc.go, controller.go, kubevirt.go, pod.go)."""
    from kubectl_ovn_lsp.model.log_events import FILE

    return FILE.get(event, "gc.go")


def triage_entry(item: TriageItem) -> TriageEntry:
    """One port name of `triage`: its lines (kind of the latest, count, when, where) and its finding."""
    owner = item.owner
    releases: list[LineReleases] = []
    for r in item.releases:
        entry: LineReleases = {"from": r.first, "to": r.last}
        if r.and_newer:
            entry["andNewer"] = True
        releases.append(entry)
    return {
        "port": item.events.name,
        "event": item.events.event,
        "count": item.events.count,
        "firstSeen": _stamp(item.events.first_seen),
        "lastSeen": _stamp(item.events.last_seen),
        "gcLines": [f"{_file(item.events.event)}:{n}" for n in item.events.gc_lines],
        "releases": releases,
        "owner": None if owner is None else {"kind": owner.kind, "namespace": owner.namespace, "name": owner.name},
        "verdict": item.verdict,
        "reason": item.reason,
        "detail": item.detail,
        "stillLogged": item.still_logged,
        "advice": list(item.advice),
    }
