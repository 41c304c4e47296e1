"""`--upgrade-to`'s part of the `audit` and `explain` documents: the model's upgrade preflight (`model/upgrade.py`)
as the `upgrade` section (docs/contracts.md, "Upgrade preflight").

Both commands read once and replay twice: the running release's replay is the document they always returned, and
the target's replay of the same inventory and NB ports becomes `upgrade`. `audit --upgrade-to all` replays the
newest checked release of every branch (and master) instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict, TypeGuard

from kubectl_ovn_lsp.commands.documents import KubeOvn, kube_ovn_doc

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kubectl_ovn_lsp.commands.context import CommandContext
    from kubectl_ovn_lsp.model.inventory import Inventory
    from kubectl_ovn_lsp.model.owners import Owner
    from kubectl_ovn_lsp.model.records import NbLookup
    from kubectl_ovn_lsp.model.replay import Replay
    from kubectl_ovn_lsp.model.upgrade import Keep, Outcome, Survey, Upgrade


class UpgradeOutcome(TypedDict):
    verdict: str | None  # None: no such owner (or port) on that side
    reasons: list[str]


class UpgradePort(TypedDict):
    name: str
    before: UpgradeOutcome
    after: UpgradeOutcome


class UpgradeChange(TypedDict):
    namespace: str
    kind: str
    name: str
    before: UpgradeOutcome
    after: UpgradeOutcome
    ports: list[UpgradePort]  # the ports whose verdict or reason changes


class FirstStart(TypedDict):
    gc: bool  # the target runs LSP GC at all
    startupDoubleRun: bool  # markAndCleanLSP twice back to back at start: deletions at once
    gcInterval: int  # seconds between periodic runs
    deletesAtOnce: list[str]
    deletesAfterInterval: list[str]
    message: str


# `from` is a keyword: the functional form (docs/contracts.md, "Upgrade preflight")
UpgradePlan = TypedDict(
    "UpgradePlan",
    {
        "from": str | None,
        "to": str,
        "kubeOvn": KubeOvn,  # the target's release and the flags it runs with
        "owners": int,  # owners compared (in scope, on either side)
        "changes": list[UpgradeChange],
        "firstStart": FirstStart,
        "newLostLogged": list[str],
        "newWouldDelete": list[str],
        "verdict": str,  # the worst after-verdict among the changes that get worse; ok; error
        "notes": list[str],
    },
)


class SurveyRelease(TypedDict):
    release: str
    band: str
    owners: dict[str, int]
    changes: int
    verdict: str
    firstSafeOnBranch: str | None


UpgradeSurvey = TypedDict(
    "UpgradeSurvey",
    {"from": str | None, "to": Literal["all"], "releases": list[SurveyRelease], "firstSafe": str | None},
)


def is_plan(section: UpgradePlan | UpgradeSurvey) -> TypeGuard[UpgradePlan]:
    """One target release (`--upgrade-to RELEASE`), not the survey of `all`."""
    return section["to"] != "all"


def is_survey(section: UpgradePlan | UpgradeSurvey) -> TypeGuard[UpgradeSurvey]:
    """`--upgrade-to all`'s survey."""
    return section["to"] == "all"


def _outcome(outcome: Outcome) -> UpgradeOutcome:
    return {"verdict": outcome.verdict, "reasons": list(outcome.reasons)}


def plan_doc(up: Upgrade, deployment_version: str | None) -> UpgradePlan:
    """The `upgrade` section of one target release."""
    changes: list[UpgradeChange] = [
        {
            "namespace": c.namespace,
            "kind": c.kind,
            "name": c.name,
            "before": _outcome(c.before),
            "after": _outcome(c.after),
            "ports": [{"name": p.name, "before": _outcome(p.before), "after": _outcome(p.after)} for p in c.ports],
        }
        for c in up.changes
    ]
    start = up.first_start
    first: FirstStart = {
        "gc": start.gc,
        "startupDoubleRun": start.startup_double_run,
        "gcInterval": start.interval,
        "deletesAtOnce": list(start.deletes_at_once),
        "deletesAfterInterval": list(start.deletes_after_interval),
        "message": start.message,
    }
    return {
        "from": up.source.version_text,
        "to": up.target.version_text or "",
        "kubeOvn": kube_ovn_doc(up.target, deployment_version),
        "owners": up.owners,
        "changes": changes,
        "firstStart": first,
        "newLostLogged": list(up.new_lost_logged),
        "newWouldDelete": list(up.new_would_delete),
        "verdict": up.verdict,
        "notes": list(up.target.notes),
    }


def survey_doc(survey: Survey) -> UpgradeSurvey:
    """The `upgrade` section of `--upgrade-to all`."""
    from kubectl_ovn_lsp.model.releases import display

    rows: list[SurveyRelease] = [
        {
            "release": display(r.release),
            "band": r.band,
            "owners": r.owners,
            "changes": r.changes,
            "verdict": r.verdict,
            "firstSafeOnBranch": display(r.first_safe_on_branch) if r.first_safe_on_branch else None,
        }
        for r in survey.rows
    ]
    return {
        "from": survey.source.version_text,
        "to": "all",
        "releases": rows,
        "firstSafe": display(survey.first_safe) if survey.first_safe else None,
    }


def preflight(
    context: CommandContext,
    target: str,
    inventory: Inventory,
    lookup: NbLookup,
    before: Replay,
    *,
    keep: Keep,
    owners: Iterable[Owner] | None = None,
) -> UpgradePlan | UpgradeSurvey:
    """The `upgrade` section for `--upgrade-to target` (`all`: the survey) over the items `keep` selects.
    Raises UncheckedRelease (a ModelError: exit 1) for a target nothing stands in for."""
    from kubectl_ovn_lsp.model import upgrade

    if target == "all":
        from kubectl_ovn_lsp.model.records import SwitchView

        found = upgrade.survey(
            inventory,
            lookup.ports,
            context.settings,
            before=before,
            keep=keep,
            guard=context.client.deadline.checked,
            switches=SwitchView.of(lookup),
        )
        return survey_doc(found)
    return plan(context, target, inventory, lookup, before, keep=keep, owners=owners)


def plan(
    context: CommandContext,
    target: str,
    inventory: Inventory,
    lookup: NbLookup,
    before: Replay,
    *,
    keep: Keep,
    owners: Iterable[Owner] | None = None,
) -> UpgradePlan:
    """The `upgrade` section for one target release (explain's, and audit's unless `all`)."""
    from kubectl_ovn_lsp.model import upgrade
    from kubectl_ovn_lsp.model.records import SwitchView

    found = upgrade.upgrade(
        inventory,
        lookup.ports,
        context.settings,
        target,
        before=before,
        owners=owners,
        keep=keep,
        guard=context.client.deadline.checked,
        switches=SwitchView.of(lookup),
    )
    return plan_doc(found, context.deployment_version)
