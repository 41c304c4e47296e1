"""One monitoring cycle: the `audit -A` replay (paged lists, one NB read) and the controller log lines since the
previous cycle, classified as `triage` classifies them.

The cycle is bounded by one `Deadline` of `--request-timeout` seconds (started when the cycle starts; the watchdog
never ends the process). Order: connect and read the kube-ovn-controller Deployment (`connect`), the lists
(`list`), NB (`nb`), the replay and the document (`replay`), then the logs (`logs`). The first failure ends the
cycle and is reported with its step; the logs are read only after a replay (their lines are judged by it), so
a cycle that fails earlier leaves the cursors where they were and the next one reads those lines.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError, one_line
from kubectl_ovn_lsp.options import ServeOptions
from kubectl_ovn_lsp.serve.cursor import Cursor
from kubectl_ovn_lsp.serve.logs import CursorKey
from kubectl_ovn_lsp.serve.metrics import DocumentView, view_of
from kubectl_ovn_lsp.serve.state import AuditJson, GcKey

if TYPE_CHECKING:
    from kubectl_ovn_lsp.commands.context import CommandContext
    from kubectl_ovn_lsp.model.records import NbLookup
    from kubectl_ovn_lsp.model.replay import Replay
    from kubectl_ovn_lsp.model.settings import ControllerSettings


@dataclass
class Outcome:
    """What one cycle produced. `view`/`document` are None when the replay failed (the last ones stay);
    `cursors` is None when the logs were not read (the old ones stay)."""

    view: DocumentView | None = None
    document: AuditJson | None = None
    summary: dict[str, dict[str, int]] = field(default_factory=dict)  # the document's summary, for the log line
    gc_lines: Counter[GcKey] = field(default_factory=Counter)
    log_lines: int = 0
    cursors: dict[CursorKey, Cursor | None] | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (step, message)
    notes: list[str] = field(default_factory=list)


def run_cycle(
    options: ServeOptions,
    env: Environment,
    cursors: dict[CursorKey, Cursor | None],
    *,
    first_log_cycle: bool,
    on_step: Callable[[str], None] = lambda _: None,
) -> Outcome:
    """One cycle; never raises for what a cluster can do (failures are in `errors`). `on_step` hears each step
    as it starts (the parent of a cycle process names the step a killed cycle was in)."""
    from kubectl_ovn_lsp import __version__
    from kubectl_ovn_lsp.commands.audit import document
    from kubectl_ovn_lsp.commands.context import connect, replay_scope
    from kubectl_ovn_lsp.deadline import Deadline

    budget = options.common.kube.request_timeout
    seconds = budget.seconds if isinstance(budget, Deadline) else budget
    kube = replace(options.common.kube, request_timeout=Deadline(seconds), all_namespaces=True)
    common = replace(options.common, kube=kube)
    out = Outcome()
    step = ["connect"]

    def enter(name: str) -> None:
        step[0] = name
        on_step(name)

    context = None
    try:
        enter("connect")
        context = connect(common)
        result, lookup = replay_scope(context, common, env, None, chunk_size=options.chunk_size, step=enter)
        audit = document(context, result, lookup, None)
        out.view = view_of(audit, options.max_finding_series, __version__)
        out.document = AuditJson.pack(json.dumps(audit, separators=(",", ":")).encode())
        out.summary = {"owners": dict(audit["summary"]["owners"]), "ports": dict(audit["summary"]["ports"])}
        if options.log_source == "pods":
            enter("logs")
            _read_logs(context, common.nb.ovn_namespace, cursors, first_log_cycle, result, lookup, env.now(), out)
    except Exception as exc:  # noqa: BLE001 -- a cycle never ends the process; the step and message are reported
        out.errors.append((step[0], _message(exc)))
    finally:
        if context is not None:
            context.client.close()
    return out


def _read_logs(
    context: CommandContext,
    namespace: str,
    cursors: dict[CursorKey, Cursor | None],
    first_cycle: bool,
    result: Replay,
    lookup: NbLookup,
    now: datetime,
    out: Outcome,
) -> None:
    from kubectl_ovn_lsp.serve.logs import read_new_lines

    read = read_new_lines(context.client, namespace, cursors, first_cycle=first_cycle)
    out.cursors = read.cursors
    out.notes += read.notes
    out.errors += [("logs", failure) for failure in read.failures]
    out.log_lines = len(read.lines)
    out.gc_lines = classify(read.lines, result, lookup, now, context.settings)


def classify(
    lines: list[str], result: Replay, lookup: NbLookup, now: datetime, settings: ControllerSettings | None = None
) -> Counter[GcKey]:
    """GC lines per (event, verdict, reason), each line counted once: the lines of each port name and event
    grouped and judged as `triage` judges them (model/triage.py). A `migration setup skipped` line, which names a
    pod, counts once with the most severe finding among the ports it resolves to; `gc lsp error`, which names no
    port, counts as (gc-error, "", "")."""
    from kubectl_ovn_lsp.model import loglines, triage
    from kubectl_ovn_lsp.model.log_events import GC_ERROR
    from kubectl_ovn_lsp.model.verdicts import severity

    scan = loglines.scan(lines, now)
    counts: Counter[GcKey] = Counter()
    if not scan.lines:
        return counts
    index = triage.OwnerIndex(result, {p.name: p for p in lookup.ports})
    for event in sorted({line.event for line in scan.lines}):
        same = [line for line in scan.lines if line.event == event]
        if event == GC_ERROR:
            counts[(event, "", "")] += len(same)
            continue
        for group in triage.group(same):
            judged = [
                triage.judge_events(g, index, result, settings) for g in triage.resolve_pod_events([group], result)
            ]
            item = max(judged, key=lambda i: severity(i.verdict))
            counts[(event, item.verdict, item.reason or "")] += group.count
    return counts


def _message(exc: BaseException) -> str:
    if isinstance(exc, PluginError):
        return one_line(str(exc))
    from kubectl_ovn_lsp.model.errors import ModelError

    if isinstance(exc, ModelError):
        return one_line(str(exc))
    return f"internal error: {type(exc).__name__}: {one_line(' '.join(str(exc).split()))}"
