"""`triage`: read the controller's GC lines (its pods' logs, a file, or stdin), group them per port name, and
explain each with the same replay `audit` runs (docs/contracts.md, "triage")."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.commands.context import CommandContext, connect
from kubectl_ovn_lsp.commands.documents import Nb, Triage, TriageSource
from kubectl_ovn_lsp.commands.errors import NotALog, UnreadableFile
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.options import CommonOptions, TriageOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.model.triage import NameEvents, TriageItem


def _read_source(options: TriageOptions, env: Environment) -> str:
    if options.file == "-":
        stream = env.stdin
        if stream is None:
            raise UnreadableFile(source="standard input", reason="not available")
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()
    else:
        try:
            with open(str(options.file), "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise UnreadableFile(source=repr(options.file), reason=exc.strerror or str(exc)) from None
    text = data.decode("utf-8", "replace")
    lines = text.splitlines(keepends=True)
    if options.tail is not None and options.tail >= 0:
        text = "".join(lines[len(lines) - options.tail :]) if options.tail else ""
    if options.limit_bytes is not None:
        text = text.encode()[: options.limit_bytes].decode("utf-8", "ignore")
    return text


def run(options: TriageOptions, env: Environment) -> Triage:
    """The `Triage` document; `document["summary"]["lines"] == 0` means no GC line matched."""
    from kubectl_ovn_lsp.commands.documents import API_VERSION, kube_ovn_doc, triage_entry
    from kubectl_ovn_lsp.model import loglines, triage
    from kubectl_ovn_lsp.model.verdicts import worst

    common = options.common
    context = connect(common)
    now = env.now()
    if options.file is not None:
        source: TriageSource = {"file": options.file}
        texts = [_read_source(options, env)]
    else:
        from kubectl_ovn_lsp.kube.logs import read_controller_logs

        logs = read_controller_logs(
            context.client,
            common.nb.ovn_namespace,
            since_seconds=options.since_seconds,
            tail=options.tail,
            limit_bytes=options.limit_bytes,
        )
        source = {"pods": logs.sources}
        texts = logs.texts
        context.add_notes(logs.notes)
    since = now - timedelta(seconds=options.since_seconds) if options.since_seconds is not None else None
    scan = loglines.scan((line for text in texts for line in text.splitlines()), now, since)
    if options.file is not None and scan.klog_lines == 0:
        raise NotALog(source="standard input" if options.file == "-" else repr(options.file))
    groups = triage.group(scan.lines)
    items: list[triage.TriageItem] = []
    nb: Nb | None = None
    if groups:
        items, nb = _judge(groups, context, common, env)
        context.add_notes(triage.line_notes(items, context.settings))
    if scan.year_assumed:
        context.add_notes(
            [
                f"klog lines carry no year or zone; {now.year} and UTC assumed (the previous year for "
                "a date later than now)"
            ]
        )
    docs = [triage_entry(i) for i in items]
    return {
        "apiVersion": API_VERSION,
        "kind": "Triage",
        "source": source,
        "kubeOvn": kube_ovn_doc(context.settings, context.deployment_version),
        "nb": nb,
        "summary": {
            "beforeSince": scan.before_since,
            "lines": len(scan.lines),
            "skipped": scan.skipped,
            "ports": len(items),
            "verdicts": dict(sorted(Counter(d["verdict"] for d in docs).items())),
        },
        "items": docs,
        "verdict": worst([d["verdict"] for d in docs]),
        "notes": context.notes,
    }


def _judge(
    groups: list[NameEvents], context: CommandContext, common: CommonOptions, env: Environment
) -> tuple[list[TriageItem], Nb]:
    """The cluster-wide replay (as `audit -A` runs it), then each name's finding."""
    from kubectl_ovn_lsp.commands.context import replay_scope
    from kubectl_ovn_lsp.commands.documents import nb_doc
    from kubectl_ovn_lsp.model import triage

    result, lookup = replay_scope(context, common, env, None)
    index = triage.OwnerIndex(result, {p.name: p for p in lookup.ports})
    return [triage.judge_events(g, index, result) for g in groups], nb_doc(lookup)
