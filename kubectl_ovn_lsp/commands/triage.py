"""`triage`: read the controller's GC lines (its pods' logs, a file, or stdin), group them per port name, and
explain each with the same replay `audit` runs (docs/contracts.md, "triage")."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.commands.context import CommandContext, connect
from kubectl_ovn_lsp.commands.documents import Nb
from kubectl_ovn_lsp.commands.errors import NotALog
from kubectl_ovn_lsp.commands.triage_document import Triage, TriageSource
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.options import CommonOptions, TriageOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.model.cluster import ClusterFinding
    from kubectl_ovn_lsp.model.loglines import LineSplit, LogScan
    from kubectl_ovn_lsp.model.triage import NameEvents, NameGroups, TriageItem


NOT_A_LOG_BYTES = 64 << 20  # an input without one klog line in its first 64 MiB is not a controller log


def _scan_file(
    options: TriageOptions, env: Environment, deadline: Deadline, now: datetime, since: datetime | None
) -> tuple[LogScan, NameGroups, list[str]]:
    """`-f FILE|-`: read and scan as it streams (`--tail` keeps the last N lines, then `--limit-bytes` counts from
    them, as the kubelet applies them); notes say where reading stopped. An input whose first 64 MiB hold no klog
    line (`/dev/zero`, a binary, the wrong file) is NotALog there, with or without a time limit."""
    from kubectl_ovn_lsp.commands import log_input
    from kubectl_ovn_lsp.model import loglines, triage

    file = str(options.file)
    source = log_input.label(file)
    groups = triage.NameGroups()
    first = loglines.LineSplit()
    seen = _KlogSeen(now)
    raw = seen.lines(first.lines(seen.chunks(log_input.chunks(file, env, deadline), first, source)))
    if options.tail is not None and options.tail >= 0:
        kept = deque(raw, maxlen=options.tail)
        split = loglines.LineSplit(limit=options.limit_bytes)
        lines = split.lines(line.encode() + b"\n" for line in kept)
    else:
        split = first
        split.limit = options.limit_bytes
        lines = raw
    scan = loglines.scan(lines, now, since, sink=groups.add)
    notes = _split_notes(split, source, first.long_lines if split is not first else 0)
    if scan.klog_lines == 0:
        raise NotALog(source=source)
    return scan, groups, notes


class _KlogSeen:
    """Whether a klog line has gone by yet (each line is parsed until the first one is found), so reading can
    stop once NOT_A_LOG_BYTES have been read without one (the lines may never come: /dev/zero has no line end)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.seen = False

    def lines(self, lines: Iterator[str]) -> Iterator[str]:
        from kubectl_ovn_lsp.model.loglines import parse_line

        for line in lines:
            if not self.seen:
                self.seen = parse_line(line, self.now)[1]
            yield line

    def chunks(self, chunks: Iterator[bytes], split: LineSplit, source: str) -> Iterator[bytes]:
        for chunk in chunks:
            if not self.seen and split.bytes_read >= NOT_A_LOG_BYTES:
                raise NotALog(source=f"{source} (its first {NOT_A_LOG_BYTES >> 20} MiB)")
            yield chunk


def _split_notes(split: LineSplit, source: str, long_lines: int = 0) -> list[str]:
    notes = []
    if split.reached:
        cut = "; its last line was cut there and is not read" if split.cut_line else ""
        notes.append(f"read the first {split.limit} bytes of {source} (--limit-bytes): later lines were not read{cut}")
    long_lines += split.long_lines
    if long_lines:
        lines = "line" if long_lines == 1 else "lines"
        notes.append(f"{long_lines} {lines} of {source} longer than {split.max_line} bytes skipped (no GC line is)")
    return notes


def run(options: TriageOptions, env: Environment) -> Triage:
    """The `Triage` document; `document["summary"]["lines"] == 0` means no GC line matched."""
    from kubectl_ovn_lsp.commands.documents import API_VERSION, cluster_doc, kube_ovn_doc
    from kubectl_ovn_lsp.commands.triage_document import triage_entry
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.model import loglines, triage

    common = options.common
    deadline = Deadline.of(common.kube.request_timeout)
    now = env.now()
    since = now - timedelta(seconds=options.since_seconds) if options.since_seconds is not None else None
    read_notes: list[str] = []
    if options.file is not None:  # the file first: a file that is not a log needs no cluster
        source: TriageSource = {"file": options.file}
        scan, groups, read_notes = _scan_file(options, env, deadline, now, since)
        context = connect(replace(common, kube=replace(common.kube, request_timeout=deadline)))
    else:
        from kubectl_ovn_lsp.kube.logs import read_controller_logs

        context = connect(replace(common, kube=replace(common.kube, request_timeout=deadline)))
        groups = triage.NameGroups()
        scans: list[loglines.LogScan] = []

        def consume(label: str, chunks: Iterator[bytes]) -> None:
            split = loglines.LineSplit(limit=options.limit_bytes)
            scans.append(loglines.scan(split.lines(chunks), now, since, sink=groups.add))
            read_notes.extend(_split_notes(split, f"the log of {label}"))

        logs = read_controller_logs(
            context.client,
            common.nb.ovn_namespace,
            since_seconds=options.since_seconds,
            tail=options.tail,
            limit_bytes=options.limit_bytes,
            consume=consume,
        )
        source = {"pods": logs.sources}
        context.add_notes(logs.notes)
        scan = _sum(scans)
    context.add_notes(read_notes)
    named = groups.result()
    items: list[triage.TriageItem] = []
    nb: Nb | None = None
    cluster: list[ClusterFinding] = []
    if named or groups.gc_errors.count:
        items, nb, replayed = _judge(named, context, common, env)
        cluster = triage.cluster_with_log(replayed, groups)
        context.add_notes(triage.line_notes(items, context.settings))
    if scan.year_assumed:
        context.add_notes(
            [
                f"klog lines carry no year or zone; {now.year} and UTC assumed (the previous year for "
                "a date later than now)"
            ]
        )
    docs = [triage_entry(i) for i in items]
    clusters = [cluster_doc(c) for c in cluster]
    document: Triage = {
        "apiVersion": API_VERSION,
        "kind": "Triage",
        "source": source,
        "kubeOvn": kube_ovn_doc(context.settings, context.deployment_version),
        "nb": nb,
        "summary": {
            "beforeSince": scan.before_since,
            "lines": scan.gc_lines,
            "skipped": scan.skipped,
            "ports": len(items),
            "verdicts": dict(sorted(Counter(d["verdict"] for d in docs).items())),
        },
        "only": sorted(options.only) if options.only else None,  # the --only filter applied to items
        "items": [d for d in docs if d["verdict"] in options.only] if options.only else docs,
        "verdict": _verdict([d["verdict"] for d in docs] + [c["verdict"] for c in clusters]),
        "notes": context.notes,
    }
    if clusters:
        document["cluster"] = clusters
    return document


def _verdict(verdicts: list[str]) -> str:
    """The worst verdict; `error` when no finding but names that could not be judged (exit 1), as `audit`'s."""
    from kubectl_ovn_lsp.model.verdicts import ERROR, OK, worst

    found = worst(verdicts)
    return ERROR.name if found == OK.name and ERROR.name in verdicts else found


def error_line(document: Triage) -> str:
    """The stderr line of exit 1: how many port names could not be judged."""
    count = document["summary"]["verdicts"].get("error", 0)
    return f"error: {count} port name(s) could not be judged (verdict error)"


def _sum(scans: list[LogScan]) -> LogScan:
    """The counts of several logs' scans as one."""
    from kubectl_ovn_lsp.model.loglines import LogScan

    total = LogScan()
    for one in scans:
        total.klog_lines += one.klog_lines
        total.skipped += one.skipped
        total.before_since += one.before_since
        total.gc_lines += one.gc_lines
        total.year_assumed = total.year_assumed or one.year_assumed
    return total


def _judge(
    named: list[NameEvents], context: CommandContext, common: CommonOptions, env: Environment
) -> tuple[list[TriageItem], Nb, tuple[ClusterFinding, ...]]:
    """The cluster-wide replay (as `audit -A` runs it), then each name's finding (a line naming a pod becomes its
    owner's ports), and the replay's cluster findings."""
    from kubectl_ovn_lsp.commands.context import replay_scope
    from kubectl_ovn_lsp.commands.documents import nb_doc
    from kubectl_ovn_lsp.model import triage

    result, lookup = replay_scope(context, common, env, None)
    index = triage.OwnerIndex(result, {p.name: p for p in lookup.ports})
    events = triage.resolve_pod_events(named, result)
    items = [triage.judge_events(g, index, result, context.settings) for g in events]
    return items, nb_doc(lookup), result.cluster
