"""`audit` for people: the scope and the release replayed (where it came from), one row per owner that needs
attention, a summary line; `-o wide` shows every owner. With `--upgrade-to`, the changes instead
(`render_upgrade`)."""

from __future__ import annotations

from kubectl_ovn_lsp.cli import render_upgrade
from kubectl_ovn_lsp.cli.render import cluster_lines, nb_text, release_text, table
from kubectl_ovn_lsp.commands.documents import Audit, AuditItem
from kubectl_ovn_lsp.errors import one_line


def _attention(item: AuditItem) -> bool:
    """Rows of the default table: any port whose verdict is not ok/no-port, or an owner that was not judged."""
    return item["verdict"] == "error" or any(p["verdict"] not in ("ok", "no-port") for p in item["ports"])


def header(document: Audit) -> list[str]:
    """What was replayed, where it came from, and over what: the first lines of every audit text."""
    scope = document["scope"]
    where = (
        f"namespace {scope['namespace']}"
        if "namespace" in scope
        else "all namespaces, and the nodes and ports without a namespace"
    )
    return [
        one_line(f"Scope:     {where}"),
        f"Kube-OVN:  {release_text(document['kubeOvn'])}",
        f"NB:        {nb_text(document['nb'])}",
        "",
    ]


def audit_text(document: Audit, wide: bool = False, headers: bool = True, colour: bool = False) -> str:
    from kubectl_ovn_lsp.commands.upgrade import is_plan, is_survey

    upgrade = document.get("upgrade")
    if upgrade is not None:  # --upgrade-to: the changes (or the survey) instead of the running release's table
        shown: list[str] = []
        if is_plan(upgrade):
            shown = render_upgrade.plan_text(upgrade, wide, headers, colour)
        elif is_survey(upgrade):
            shown = render_upgrade.survey_text(upgrade, headers, colour)
        lines = (header(document) if headers else []) + shown
        lines += [one_line(f"Note: {n}") for n in document["notes"]] if headers else []
        return "\n".join(lines) + "\n" if lines else ""
    columns = ["NAMESPACE", "KIND", "NAME", "VERDICT", "REASONS", "PORTS"]
    rows = [_row(item, wide) for item in document["items"] if wide or _attention(item)]
    lines = header(document) + cluster_lines(document.get("cluster", []), colour) if headers else []
    if rows:
        lines.append(table(rows, columns, headers, colour, verdict=3))
    elif headers:
        only = document["only"]
        scope = document["scope"]
        where = f" in namespace {scope['namespace']}" if "namespace" in scope else ""
        lines.append(
            one_line(
                f"No owner{where} matches --only {','.join(only)}." if only else f"No owner{where} needs attention."
            )
        )
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
    stalled = any(c["kind"] == "gc-stalled" and c["verdict"] != "ok" for c in document.get("cluster", []))
    return (
        text
        + f"; GC logs {len(gc['lostLogged'])} lost, deletes {len(gc['wouldDelete'])}"
        + (" (stalled: see GC STALLED above)" if stalled else "")
    )
