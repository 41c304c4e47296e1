"""Triage: the controller's GC log lines, grouped per port name, each resolved to its owner and judged by the
replay (docs/contracts.md, "triage"). Pure: the lines, the replay and the NB ports come in, items go out.

A `lost` line is judged by what the replay says of that port now (and `stillLogged`: whether GC logs it now);
a `deleted` line is history the replay cannot see: when the owner still exists and needs the port, the replay's
verdict for that missing port (the deletion-risk its DEL code names, or lost once the running release expects it
again), ordinary clean-up otherwise. Owner resolution is `explain`'s for port names:
the port's own `external_ids:pod`, else the (owner, namespace) readings of the name that name an existing owner.
A name whose owner could not be judged (an `error` item of the replay), or that no owner fits while a kind that
could own it was unreadable, is `error` whatever its event: never history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.cluster import GC_STALLED, ClusterFinding
from kubectl_ovn_lsp.model.gc_cycle import GC_CODES
from kubectl_ovn_lsp.model.gc_lines import ReleaseRange, logs_at, newest_checked, releases
from kubectl_ovn_lsp.model.inventory import IPS, NODES, PODS, VIPS, VMIS, VMS
from kubectl_ovn_lsp.model.log_events import DELETE_FAILED, DELETED, FILE, GC_ERROR, IP_KEPT, LOST, MIGRATION_SKIPPED
from kubectl_ovn_lsp.model.loglines import GcLine
from kubectl_ovn_lsp.model.owners import NODE, ORPHAN, VIP, Owner
from kubectl_ovn_lsp.model.port_names import node_of_port, owner_candidates
from kubectl_ovn_lsp.model.port_verdict import ALREADY_DELETED
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.replay import Item, Replay
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DELETION_RISK, NO_PORT, OK, STALE, PortFinding
from kubectl_ovn_lsp.model.verdicts import ERROR, severity


@dataclass(frozen=True)
class NameEvents:
    """The lines of one port name: the kind of the latest, how many of that kind, when, and at which lines."""

    name: str
    event: str
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    gc_lines: tuple[int, ...]


@dataclass(frozen=True)
class TriageItem:
    events: NameEvents
    owner: Owner | None
    verdict: str
    reason: str | None
    detail: str
    still_logged: bool
    advice: tuple[str, ...]

    @property
    def releases(self) -> list[ReleaseRange]:
        out: list[ReleaseRange] = []
        for line in self.events.gc_lines:
            out += [r for r in releases(self.events.event, line) if r not in out]
        return out


@dataclass
class _Kind:
    """The lines of one kind (lost or deleted) of one name, summed up as they arrive."""

    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    lines: frozenset[int] = frozenset()
    error: str = ""  # the latest error of a failed delete or a failed cycle

    def add(self, line: GcLine) -> None:
        self.count += 1
        self.error = line.error or self.error
        if line.when is not None:
            self.first = line.when if self.first is None else min(self.first, line.when)
            self.last = line.when if self.last is None else max(self.last, line.when)
        if line.line not in self.lines:
            self.lines = self.lines | {line.line}


class NameGroups:
    """`group` as the lines stream in: per port name, the latest line's kind and stamp and one `_Kind` per kind,
    so memory grows with the distinct names, not with the lines (a 1 GB log of the same few names costs the same
    as one cycle's)."""

    def __init__(self) -> None:
        self._latest: dict[str, tuple[float, int, str]] = {}  # name → (stamp, log order, kind)
        self._kinds: dict[tuple[str, str], _Kind] = {}
        self._order = 0
        self.gc_errors = _Kind()

    def add(self, line: GcLine) -> None:
        if line.event == GC_ERROR:  # `gc lsp error` names no port: counted for the cluster findings only
            self.gc_errors.add(line)
            return
        self._order += 1
        key = (_stamp(line), self._order, line.event)
        if line.name not in self._latest or key[:2] >= self._latest[line.name][:2]:
            self._latest[line.name] = key
        self._kinds.setdefault((line.name, line.event), _Kind()).add(line)

    def __len__(self) -> int:
        return len(self._latest) + self.gc_errors.count

    def failed(self) -> dict[str, _Kind]:
        """The failed deletes per port name (`failed to delete lsp`), for the cluster findings."""
        return {name: kind for (name, event), kind in self._kinds.items() if event == DELETE_FAILED}

    def result(self) -> list[NameEvents]:
        """One entry per port name, sorted by name; `event` is the kind of the latest line (log order breaks
        ties), and the counts, times and line numbers are those of that kind's lines."""
        out = []
        for name in sorted(self._latest):
            kind = self._latest[name][2]
            seen = self._kinds[(name, kind)]
            out.append(NameEvents(name, kind, seen.count, seen.first, seen.last, tuple(sorted(seen.lines))))
        return out


def group(lines: Iterable[GcLine]) -> list[NameEvents]:
    """One entry per port name, sorted by name; `event` is the kind of the latest line (log order breaks ties)."""
    groups = NameGroups()
    for line in lines:
        groups.add(line)
    return groups.result()


def _stamp(line: GcLine) -> float:
    return line.when.timestamp() if line.when is not None else 0.0


class OwnerIndex:
    """Items by the port names they hold and by the owner and pod names they cover."""

    def __init__(self, replay: Replay, nb_by_name: dict[str, NbPort]) -> None:
        self.nb_by_name = nb_by_name
        self.by_port: dict[str, tuple[Item, PortFinding]] = {}
        self.by_owner: dict[tuple[str, str], list[Item]] = {}
        for item in replay.items:
            for finding in item.judgement.ports if item.judgement else ():
                self.by_port.setdefault(finding.name, (item, finding))
            names = {item.owner.name} | {str((p.get("metadata") or {}).get("name")) for p in item.owner.pods}
            for name in names:
                self.by_owner.setdefault((item.owner.namespace, name), []).append(item)

    def resolve(self, port: str) -> tuple[Item | None, PortFinding | None, str]:
        """(owner item, its finding for the port, a note when the name fits several owners)."""
        if port in self.by_port:
            item, finding = self.by_port[port]
            return item, finding, ""
        row = self.nb_by_name.get(port)
        readings: list[tuple[str, str]]
        if row is not None and row.pod_key and "/" in row.pod_key:
            readings = [tuple(row.pod_key.split("/", 1))]  # type: ignore[list-item]
        else:
            node = node_of_port(port)
            if node is not None and ("", node) in self.by_owner:
                return self._only(("", node)), None, ""
            readings = [(c.namespace, c.name) for c in owner_candidates(port)]
        matches = [
            item for key in readings for item in self.by_owner.get(key, ()) if item.owner.kind not in (ORPHAN, NODE)
        ]
        if len(matches) > 1:
            owners = ", ".join(f"{i.owner.kind} {i.owner.namespace}/{i.owner.name}" for i in matches)
            return None, None, f"{port} fits several owners ({owners})"
        return (matches[0] if matches else None), None, ""

    def _only(self, key: tuple[str, str]) -> Item:
        return next(i for i in self.by_owner[key] if i.owner.kind == NODE)


def judge_events(
    events: NameEvents, index: OwnerIndex, replay: Replay, settings: ControllerSettings | None = None
) -> TriageItem:
    """The finding for one name (docs/contracts.md, triage: `lost` and `deleted` events). `settings`: the running
    release, for the advice's fixed releases on its branch."""
    item, finding, ambiguous = index.resolve(events.name)
    owner = item.owner if item is not None else None
    unjudged = None if ambiguous else _unjudged(events, item, replay)
    if unjudged is not None:  # never history: what GC does with the name is not known (exit 1, as audit's item)
        return TriageItem(events, owner, ERROR.name, None, unjudged, False, ())
    logged = events.name in set(replay.lost_logged)
    if events.event == LOST:
        if finding is not None:
            return TriageItem(
                events, owner, finding.verdict, finding.reason, finding.detail, logged, _advice(item, finding, settings)
            )
        if owner is not None:
            return TriageItem(
                events,
                owner,
                OK,
                None,
                "the owner exists, but GC no longer expects this name: the "
                "line is history (the workload changed since)",
                False,
                (),
            )
        detail = ambiguous or "nothing owns this name any more and NB has no such port: the line is history"
        return TriageItem(events, None, OK, None, detail, False, ())
    if finding is not None and (finding.reason or "") in GC_CODES:  # GC's delete of it fails or does nothing
        advice = _advice(item, finding, settings)
        return TriageItem(events, owner, finding.verdict, finding.reason, finding.detail, False, advice)
    if events.event in (MIGRATION_SKIPPED, IP_KEPT):
        if finding is not None and finding.verdict != OK:
            advice = _advice(item, finding, settings)
            return TriageItem(events, owner, finding.verdict, finding.reason, finding.detail, False, advice)
        what = "the migration it names is over" if events.event == MIGRATION_SKIPPED else "the IP CR it kept is gone"
        return TriageItem(events, owner, OK, None, f"{what} now: the line is history", False, ())
    if events.event == DELETE_FAILED:
        detail = (
            "GC's delete of this port failed (each failure ended a GC cycle early); "
            + ("the port exists and this release deletes it now" if finding is not None else "it is gone from NB now")
            + ": the line is history"
        )
        return TriageItem(events, owner, OK, None, detail, False, ())
    if finding is not None and finding.verdict == DELETION_RISK and finding.in_nb:  # re-created, deleted again
        detail = f"GC deleted it before and will again: {finding.detail}"
        advice = _advice(item, finding, settings)
        return TriageItem(events, owner, DELETION_RISK, finding.reason, detail, False, advice)
    if finding is not None and finding.needed and not finding.in_nb and owner is not None and owner.kind != ORPHAN:
        # The replay's verdict for the port as it is now, as explain and audit give it: deletion-risk with the DEL
        # code while the running release still does not expect it, lost when it does (the line predates an upgrade)
        why = finding.detail.removeprefix(f"{ALREADY_DELETED}: ")
        detail = f"GC already deleted a port this {owner.kind} uses: {why}"
        return TriageItem(
            events, owner, finding.verdict, finding.reason, detail, False, _advice(item, finding, settings)
        )
    if finding is not None and finding.needed:
        detail = "GC deleted it, and the port exists again now (re-created since); GC keeps it now"
    elif owner is not None and owner.kind != ORPHAN:
        detail = "ordinary clean-up: the owner exists but does not use this port now"
    else:
        detail = ambiguous or "ordinary clean-up: its owner no longer exists"
    return TriageItem(events, owner, OK, None, detail, False, ())


def _unjudged(events: NameEvents, item: Item | None, replay: Replay) -> str | None:
    """Why the name cannot be judged, or None: its owner is an `error` item of the replay (a kind it depends on
    could not be read, a malformed object: `audit -A` gives the same item), or no owner was found while a kind that
    could own the name could not be read (403; a missing IP CRD for an `ip-kept` line), as the replay's `Unknown`
    items say of NB ports. Either way the line is not history: GC may still log or delete it."""
    if item is not None:
        return None if item.judgement is not None else (item.error or "its owner could not be judged")
    if events.event == DELETE_FAILED:  # NB decides: the port is gone (history) or a judged item holds it
        return None
    if events.event == IP_KEPT:  # the IP CR it kept, and the pod or VM that CR names
        kinds: tuple[str, ...] = (IPS, PODS, VMS, VMIS)
    elif node_of_port(events.name) is not None:
        kinds = (NODES,)
    elif owner_candidates(events.name) or "/" in events.name:  # a port name, or a migration's `<ns>/<pod>`
        kinds = (PODS, VMS, VMIS, VIPS)
    else:
        kinds = ()
    unread = [k for k in kinds if k in replay.unreadable]
    if not unread:
        return None
    return f"cannot tell who owns {events.name}: {', '.join(unread)} could not be read"


def _advice(item: Item | None, finding: PortFinding, settings: ControllerSettings | None) -> tuple[str, ...]:
    """The advice for this port: its code's, else its owner's own advice when the owner is not a workload
    (a node's lost port is not repaired by deleting a pod), else the verdict's generic line."""
    if (
        finding.reason is None
        and item is not None
        and item.judgement is not None
        and item.owner.kind in (NODE, ORPHAN, VIP)
        and item.judgement.verdict == finding.verdict
    ):
        return item.judgement.advice
    return advice_for(finding.verdict, [finding], settings)


def line_notes(items: Iterable[TriageItem], settings: ControllerSettings) -> list[str]:
    """Line numbers no checked release logs there, and ones the running release does not log there."""
    notes = []
    version, master = settings.version, settings.version_text in ("master", "main")
    seen = sorted({(i.events.event, line) for i in items for line in i.events.gc_lines})
    what = {
        LOST: "lsp lost",
        DELETED: "gc logical switch port",
        DELETE_FAILED: "failed to delete lsp",
        MIGRATION_SKIPPED: "migration setup skipped",
        IP_KEPT: "cannot determine subnet",
    }
    for event, line in seen:
        ranges = releases(event, line)
        if not ranges:
            notes.append(
                f"{FILE.get(event, 'gc.go')}:{line} ({what[event]}) is logged there by no checked release: a build "
                "newer than the checked tags, or a patched one"
            )
        elif event not in (LOST, DELETED):
            continue
        elif (version is not None or master) and not logs_at(event, line, version, master=master):
            where = ", ".join(r.as_text() for r in ranges)
            notes.append(
                f"gc.go:{line} ({what[event]}) is logged there by {where}, not by the detected "
                f"{settings.version_text}: the lines predate an upgrade, or the image tag is not what runs"
            )
        elif version is not None and newest_checked(version):
            notes.append(
                f"{settings.version_text} is newer than the newest checked tag {newest_checked(version)} "
                f"of its branch: gc.go:{line} is assumed to be where that tag logs it"
            )
    return notes


def resolve_pod_events(events: Iterable[NameEvents], replay: Replay) -> list[NameEvents]:
    """A `migration setup skipped` line names the migration's target pod: its events become one entry per port of
    that pod's owner a migration check judged (MIG codes), else per port of the owner, so the triage judges the
    port. A pod the replay does not know keeps its `<ns>/<pod>` name (history)."""
    owners: dict[tuple[str, str], Item] = {}
    for owner_item in replay.items:
        for obj in owner_item.owner.pods:
            meta = obj.get("metadata") or {}
            owners[(str(meta.get("namespace") or ""), str(meta.get("name") or ""))] = owner_item
    out: dict[str, NameEvents] = {}
    for entry in events:
        if entry.event != MIGRATION_SKIPPED or "/" not in entry.name:
            out.setdefault(entry.name, entry)
            continue
        namespace, pod_name = entry.name.split("/", 1)
        found = owners.get((namespace, pod_name))
        ports = [p for p in found.judgement.ports if p.in_nb] if found is not None and found.judgement else []
        named = [p.name for p in ports if (p.reason or "").startswith("MIG")] or [p.name for p in ports]
        for name in named or [entry.name]:
            out[name] = replace(entry, name=name)  # the pod's line speaks for the port more than a GC line does
    return [out[name] for name in sorted(out)]


def cluster_with_log(findings: Iterable[ClusterFinding], groups: NameGroups) -> list[ClusterFinding]:
    """The replay's cluster findings with the log lines that show them (`logged`): a stall's failed deletes of its
    ports and every `gc lsp error`. Failures the replay does not explain now (the port is gone, or this release
    deletes it) become a `gc-stalled` finding of verdict ok: history."""
    failed, errors = groups.failed(), groups.gc_errors.count
    out: list[ClusterFinding] = []
    explained: set[str] = set()
    for finding in findings:
        if finding.kind != GC_STALLED:
            out.append(finding)
            continue
        mine = sum(kind.count for name, kind in failed.items() if name in finding.ports)
        explained.update(name for name in failed if name in finding.ports)
        logged = tuple((k, n) for k, n in ((DELETE_FAILED, mine), (GC_ERROR, errors)) if n)
        out.append(replace(finding, logged=logged))
    history = {name: kind for name, kind in failed.items() if name not in explained}
    if history and not any(f.kind == GC_STALLED for f in out):
        names = tuple(sorted(history))
        count = sum(kind.count for kind in history.values())
        error = history[names[-1]].error
        logged = tuple((k, n) for k, n in ((DELETE_FAILED, count), (GC_ERROR, errors)) if n)
        out.insert(
            0,
            ClusterFinding(
                GC_STALLED,
                OK,
                None,
                f"GC's delete of {', '.join(names)} failed {count} time(s) ({error}); nothing in NB makes this "
                "release's delete fail now: the lines are history",
                names,
                ("each failed delete ended that GC cycle before it logged 'lsp lost' or saved its marks",),
                (),
                logged,
            ),
        )
    return out


ROUTINE = (OK, STALE, NO_PORT)  # no finding: history, ordinary clean-up, a port present now


def is_routine(verdict: str) -> bool:
    """A name whose lines need nothing done (431 of 451 rows of a big log): folded into triage's summary line
    unless `-o wide` (docs/contracts.md, "triage")."""
    return verdict in ROUTINE


def severity_key(verdict: str, port: str) -> tuple[int, str]:
    """Triage's text order: most severe first (deletion-risk, lost, degraded, false-positive, the rest), then by
    port name. JSON keeps the contract's order, by port name."""
    return -severity(verdict), port


__all__ = [
    "DELETED",
    "LOST",
    "NameEvents",
    "ROUTINE",
    "OwnerIndex",
    "TriageItem",
    "cluster_with_log",
    "resolve_pod_events",
    "group",
    "is_routine",
    "judge_events",
    "line_notes",
    "severity_key",
]
