"""`--upgrade-to` for people: the owners whose verdict changes (before → after), what the target's first start
does, one summary line; `all`: one row per release branch and the first safe release (docs/contracts.md,
"Upgrade preflight")."""

from __future__ import annotations

from kubectl_ovn_lsp.cli.render import paint, release_text, wrap
from kubectl_ovn_lsp.commands.upgrade import UpgradeChange, UpgradeOutcome, UpgradePlan, UpgradeSurvey
from kubectl_ovn_lsp.errors import one_line


def _side(outcome: UpgradeOutcome, colour: bool) -> str:
    """`deletion-risk(DEL2)`, `ok`, or `-` for an owner one side does not have: one cell without a space."""
    if outcome["verdict"] is None:
        return "-"
    codes = f"({','.join(outcome['reasons'])})" if outcome["reasons"] else ""
    return paint(outcome["verdict"], colour) + codes


def _ports(change: UpgradeChange) -> str:
    ports = ",".join(f"{p['name']}={_side(p['before'], False)}->{_side(p['after'], False)}" for p in change["ports"])
    return one_line(ports or "-")


def plan_rows(plan: UpgradePlan, wide: bool, colour: bool) -> list[list[str]]:
    rows = []
    for change in plan["changes"]:
        row = [  # names escaped to one line each: a row is never split or forged
            one_line(change["namespace"] or "-"),
            one_line(change["kind"]),
            one_line(change["name"]),
            _side(change["before"], colour),
            _side(change["after"], colour),
        ]
        rows.append(row + [_ports(change)] if wide else row)
    return rows


def plan_text(plan: UpgradePlan, wide: bool = False, headers: bool = True, colour: bool = False) -> list[str]:
    """The lines of one upgrade: `Upgrade to:`, the changes table, the first start, the summary, the notes."""
    from tabulate import tabulate

    columns = ["NAMESPACE", "KIND", "NAME", "BEFORE", "AFTER"] + (["PORTS"] if wide else [])
    rows = plan_rows(plan, wide, colour)
    if not headers:
        return [tabulate(rows, tablefmt="plain", disable_numparse=True)] if rows else []
    lines = [
        f"Upgrade to: {release_text(plan['kubeOvn'], source=False)} (flags the Deployment or the command line set "
        "keep their value, the others take the target's defaults)",
        "",
    ]
    if rows:
        lines.append(tabulate(rows, headers=columns, tablefmt="plain", disable_numparse=True))
    else:
        lines.append(f"No owner's verdict or reason codes change at {plan['to']}.")
    worse = sum(
        1 for c in plan["changes"] if c["after"]["verdict"] is not None and _rank(c["after"]) > _rank(c["before"])
    )
    summary = (
        f"From {plan['from']} to {plan['to']}: {len(plan['changes'])} of {plan['owners']} "
        f"owner{'' if plan['owners'] == 1 else 's'} changed ({worse} worse); GC newly logs "
        f"{len(plan['newLostLogged'])} lost and newly deletes {len(plan['newWouldDelete'])}; upgrade verdict "
        f"{paint(plan['verdict'], colour)}"
    )
    lines += [""] + wrap([f"First start: {plan['firstStart']['message']}", summary])
    lines += wrap([one_line(f"Note: {n}") for n in plan["notes"]])
    return lines


def _rank(outcome: UpgradeOutcome) -> int:
    from kubectl_ovn_lsp.model.verdicts import severity

    return severity(outcome["verdict"] or "ok")


def survey_text(survey: UpgradeSurvey, headers: bool = True, colour: bool = False) -> list[str]:
    """`--upgrade-to all`: per release branch its newest checked release, this cluster's owners per verdict
    there, how many change, and the branch's first release without a deletion-risk."""
    from tabulate import tabulate

    columns = ["RELEASE", "BAND", "OWNERS", "CHANGES", "UPGRADE", "FIRST-SAFE-ON-BRANCH"]
    rows = [
        [
            r["release"],
            r["band"],
            ",".join(f"{v}={n}" for v, n in r["owners"].items()) or "-",
            str(r["changes"]),
            paint(r["verdict"], colour),
            r["firstSafeOnBranch"] or "-",
        ]
        for r in survey["releases"]
    ]
    if not headers:
        return [tabulate(rows, tablefmt="plain", disable_numparse=True)] if rows else []
    first = survey["firstSafe"]
    after = f"after {survey['from']}" if survey["from"] else "checked"
    verdict = (
        f"First release {after} with no deletion-risk owner: {first}."
        if first
        else f"No checked release {after} is free of deletion-risk owners."
    )
    return [
        f"Upgrade from {survey['from'] or 'an unknown release'}: the newest checked release of each branch, and master",
        "",
        tabulate(rows, headers=columns, tablefmt="plain", disable_numparse=True),
        "",
        *wrap([verdict]),
    ]
