"""`triage` for people: one row per port name, then each advice once (not per row), the summary and notes."""

from __future__ import annotations

from kubectl_ovn_lsp.cli.render import cluster_lines, table, wrap
from kubectl_ovn_lsp.commands.documents import Triage, TriageEntry


def _owner(item: TriageEntry) -> str:
    owner = item["owner"]
    if owner is None:
        return "-"
    where = f"{owner['namespace']}/{owner['name']}" if owner["namespace"] else owner["name"]
    return f"{owner['kind']}/{where}"


QUIET = ("ok", "stale", "no-port")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def triage_text(document: Triage, wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    columns = ["NAME", "EVENT", "COUNT", "LAST SEEN", "OWNER", "VERDICT", "REASON"]
    if wide:
        columns += ["GC LINES", "STILL LOGGED", "DETAIL"]
    rows: list[list[str]] = []
    for item in document["items"]:
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
            row += [",".join(item["gcLines"]), "yes" if item["stillLogged"] else "no", item["detail"]]
        rows.append(row)
    lines: list[str] = cluster_lines(document.get("cluster", []), colour) if headers else []
    if rows:
        lines.append(table(rows, columns, headers, colour, verdict=5))
    if headers:
        # the advice of the findings, once each; an ok item's own words ("Consistent: …") would read as a verdict
        advice = list(
            dict.fromkeys(a for item in document["items"] if item["verdict"] not in QUIET for a in item["advice"])
        )
        summary = document["summary"]
        verdicts = ", ".join(f"{v} {n}" for v, n in summary["verdicts"].items()) or "none"
        lines += [
            "",
            f"{_count(summary['lines'], 'GC line')} about {_count(summary['ports'], 'port')} ({verdicts}); "
            f"{_count(summary['skipped'], 'other line')} skipped",
        ]
        lines += wrap(advice) + wrap([f"Note: {n}" for n in document["notes"]])
    return "\n".join(lines) + "\n" if lines else ""
