"""`audit` for people: one row per owner that needs attention, a summary line; `-o wide` shows every owner."""

from __future__ import annotations

from kubectl_ovn_lsp.cli.render import cluster_lines, table
from kubectl_ovn_lsp.commands.documents import Audit, AuditItem
from kubectl_ovn_lsp.errors import one_line


def _attention(item: AuditItem) -> bool:
    """Rows of the default table: any port whose verdict is not ok/no-port, or an owner that was not judged."""
    return item["verdict"] == "error" or any(p["verdict"] not in ("ok", "no-port") for p in item["ports"])


def audit_text(document: Audit, wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    columns = ["NAMESPACE", "KIND", "NAME", "VERDICT", "REASONS", "PORTS"]
    rows = [_row(item, wide) for item in document["items"] if wide or _attention(item)]
    lines: list[str] = cluster_lines(document.get("cluster", []), colour) if headers else []
    if rows:
        lines.append(table(rows, columns, headers, colour, verdict=3))
    elif headers:
        only = document["only"]
        lines.append(f"No owner matches --only {','.join(only)}." if only else "No owner needs attention.")
    if headers:
        lines.append("")
        lines.append(summary_line(document))
        lines += [one_line(f"Note: {n}") for n in document["notes"]]
    return "\n".join(lines) + "\n" if lines else ""


def _row(item: AuditItem, wide: bool) -> list[str]:
    """One owner: -o wide lists every port, the default table only those that need attention."""
    target = item["target"]
    reasons = sorted({p["reason"] for p in item["ports"] if p["reason"]})
    shown = item["ports"] if wide else [p for p in item["ports"] if p["verdict"] not in ("ok", "no-port")]
    ports = ",".join(f"{p['name']}={p['verdict']}" for p in shown) or item.get("error") or "-"
    return [
        target["namespace"] or "-",
        target["kind"],
        target["name"],
        item["verdict"],  # painted by render.table, after the cells are escaped
        ",".join(reasons) or "-",
        ports,
    ]


def summary_line(document: Audit) -> str:
    summary = document["summary"]
    owners = sum(summary["owners"].values())
    by_verdict = ", ".join(f"{v} {n}" for v, n in summary["owners"].items())
    ports = ", ".join(f"{v} {n}" for v, n in summary["ports"].items()) or "none"
    reasons = ", ".join(f"{r} {n}" for r, n in summary["reasons"].items())
    text = f"{owners} owners ({by_verdict or 'none'}); ports: {ports}"
    if reasons:
        text += f"; reasons: {reasons}"
    gc = document["gc"]
    return text + f"; GC logs {len(gc['lostLogged'])} lost, deletes {len(gc['wouldDelete'])}"
