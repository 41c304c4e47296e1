"""`triage` for people: the source and the release replayed, one row per port name that needs attention (most
severe first; `-o wide`: every name), then the summary, each advice once (not per row), and the notes."""

from __future__ import annotations

from kubectl_ovn_lsp.cli.render import cluster_lines, nb_text, release_text, table, wrap
from kubectl_ovn_lsp.commands.triage_document import Triage, TriageEntry
from kubectl_ovn_lsp.errors import one_line


def _owner(item: TriageEntry) -> str:
    owner = item["owner"]
    if owner is None:
        return "-"
    where = f"{owner['namespace']}/{owner['name']}" if owner["namespace"] else owner["name"]
    return f"{owner['kind']}/{where}"


QUIET = ("ok", "stale", "no-port")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def header(document: Triage) -> list[str]:
    """Where the lines came from, the release replayed (and where that came from) and how NB was read."""
    source = document["source"]
    if "file" in source:
        read = "standard input" if source["file"] == "-" else f"file {source['file']}"
    else:
        read = f"the logs of {', '.join(source.get('pods') or []) or 'no controller pod'}"
    nb = document["nb"]
    return [
        one_line(f"Source:    {read}"),
        f"Kube-OVN:  {release_text(document['kubeOvn'])}",
        f"NB:        {nb_text(nb) if nb is not None else 'not read (no GC line matched)'}",
        "",
    ]


def triage_text(document: Triage, wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    """Most severe first; the routine names (history, clean-up: no finding) are folded into the summary line
    unless `-o wide` or `--only` (model/triage.py, `severity_key`, `is_routine`)."""
    from kubectl_ovn_lsp.model.triage import is_routine, severity_key

    columns = ["NAME", "EVENT", "COUNT", "LAST SEEN", "OWNER", "VERDICT", "REASON"]
    if wide:
        columns += ["GC LINES", "STILL LOGGED", "DETAIL"]
    items = sorted(document["items"], key=lambda i: severity_key(i["verdict"], i["port"]))
    folded = [] if wide or document["only"] else [i for i in items if is_routine(i["verdict"])]
    rows: list[list[str]] = []
    for item in items:
        if item in folded:
            continue
        row = [
            item["port"],
            item["event"],
            str(item["count"]),
            item["lastSeen"] or "-",
            _owner(item),
            item["verdict"],
            item["reason"] or "-",
        ]
        if wide:
            row += [",".join(item["gcLines"]), _still(item), item["detail"]]
        rows.append(row)
    lines: list[str] = header(document) + cluster_lines(document.get("cluster", []), colour) if headers else []
    if rows:
        lines.append(table(rows, columns, headers, colour, verdict=5))
    elif headers and document["only"]:
        lines.append(one_line(f"No port name matches --only {','.join(document['only'])}."))
    elif headers and folded:
        lines.append("No port name needs attention.")
    if headers:
        # the advice of the findings, once each; an ok item's own words ("Consistent: …") would read as a verdict
        advice = list(
            dict.fromkeys(a for item in document["items"] if item["verdict"] not in QUIET for a in item["advice"])
        )
        summary = document["summary"]
        verdicts = ", ".join(f"{v} {n}" for v, n in summary["verdicts"].items()) or "none"
        line = (
            f"{_count(summary['lines'], 'GC line')} about {_count(summary['ports'], 'port')} ({verdicts}); "
            f"{_count(summary['skipped'], 'other line')} skipped"
        )
        if folded:
            line += f"; {len(folded)} routine ({', '.join(sorted({i['verdict'] for i in folded}))}: history or "
            line += "clean-up) not listed: -o wide lists them"
        lines += ["", line]
        lines += wrap(advice) + wrap([f"Note: {n}" for n in document["notes"]])
    return "\n".join(lines) + "\n" if lines else ""


def _still(item: TriageEntry) -> str:
    """STILL LOGGED: `-` for a name that could not be judged (whether GC logs it now is not known)."""
    if item["verdict"] == "error":
        return "-"
    return "yes" if item["stillLogged"] else "no"
