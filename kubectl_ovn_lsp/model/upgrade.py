"""Upgrade preflight (`--upgrade-to`): what changes for these owners when the controller moves from the running
release to another one, from one read — the same inventory and NB ports replayed at both releases.

Kube-OVN's own advice for an upgrade is to diff install.sh; what its GC then does to the ports of this cluster is
what the replay knows (docs/contracts.md, "Upgrade preflight"):
- `compare`: the owners whose verdict or reason codes change (before → after, per port too), the names GC newly
  logs lost or deletes, and the upgrade's verdict: the worst *after* verdict among the changes that get worse
  (more severe), `ok` when nothing gets worse (`error` when nothing does but an owner cannot be judged there).
- `first_start`: what the target controller's first start does to ports. Releases without `periodic_only` run
  `gcLogicalSwitchPort` once at start, which calls `markAndCleanLSP` twice back to back: every unexpected listed
  port is deleted at once. From v1.9.29, v1.11.11 and v1.13.0 only the periodic run exists: its first pass at
  start only marks (the mark set lives in memory, so a restart starts it empty) and the pass one `--gc-interval`
  later deletes (docs/kube-ovn-facts.md, "GC of logical switch ports", "The startup double run").
- `survey` (`--upgrade-to all`): per release branch its newest checked release (and master), the owners per verdict
  for this cluster, and the first checked release after the running one with no deletion-risk owner.

Flags at the target: a flag the command line or the Deployment set keeps its value, an unset one takes the
target's default (`by_release.settings_at`): the Deployment's args survive an image bump, config.go's defaults do
not (`--enable-external-vpc` flips to false in v1.14.5/v1.15.0). Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from kubectl_ovn_lsp.model.by_release import settings_at
from kubectl_ovn_lsp.model.errors import UncheckedRelease
from kubectl_ovn_lsp.model.gc_list import gc_active
from kubectl_ovn_lsp.model.inventory import Inventory
from kubectl_ovn_lsp.model.owners import Owner, workload_owners
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.releases import checked_tags, display, known_releases, master, newest_checked, resolve
from kubectl_ovn_lsp.model.replay import Item, Replay, replay
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.verdicts import DELETION_RISK, ERROR, OK, severity, worst
from kubectl_ovn_lsp.model.versions import Version

Keep = Callable[[Item], bool]  # which items are in scope (audit -n: one namespace; explain: one owner)
# The command's deadline over a replay's owners (`Deadline.checked(owners, what)`); the model keeps no clock.
Guard = Callable[[list[Owner], str], Iterable[Owner]]


def _unguarded(owners: list[Owner], what: str) -> Iterable[Owner]:
    return owners


@dataclass(frozen=True)
class Outcome:
    """One side of a change: the verdict (None: no such owner or port on that side) and the reason codes."""

    verdict: str | None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PortChange:
    name: str
    before: Outcome
    after: Outcome


@dataclass(frozen=True)
class Change:
    """An owner whose verdict or reason codes differ between the running release and the target."""

    namespace: str
    kind: str
    name: str
    before: Outcome
    after: Outcome
    ports: tuple[PortChange, ...]  # the ports whose verdict or reason differs

    @property
    def worse(self) -> bool:
        """More severe at the target (an owner only the target has counts from nothing)."""
        return severity(self.after.verdict or OK.name) > severity(self.before.verdict or OK.name)


@dataclass(frozen=True)
class FirstStart:
    """What the target controller does to ports when it starts (the mark set starts empty on every start)."""

    gc: bool  # LSP GC runs at all (no GC before v1.7.1; off with --gc-interval=0 where that switch exists)
    startup_double_run: bool  # gcLogicalSwitchPort's markAndCleanLSP pair at start (no `periodic_only`)
    interval: int  # --gc-interval, seconds
    deletes_at_once: tuple[str, ...]  # deleted during the start (the double run)
    deletes_after_interval: tuple[str, ...]  # marked at start, deleted by the run one interval later

    @property
    def message(self) -> str:
        """One sentence for people (docs/kube-ovn-facts.md, "The startup double run")."""
        if not self.gc:
            return "The target runs no LSP GC with these settings: its start deletes nothing."
        if self.startup_double_run:
            head, names = (
                "The target runs GC twice back to back at start (gcLogicalSwitchPort): it deletes",
                (self.deletes_at_once),
            )
            when = " at once"
        else:
            head = (
                f"The target's first GC run at start only marks; the next, {self.interval} s later (--gc-interval), "
                "deletes"
            )
            names, when = self.deletes_after_interval, ""
        if not names:
            return f"{head} nothing in this scope."
        return f"{head} {len(names)} port{'' if len(names) == 1 else 's'}{when}: {', '.join(names)}."


@dataclass(frozen=True)
class Upgrade:
    source: ControllerSettings
    target: ControllerSettings
    changes: tuple[Change, ...]  # sorted by (namespace, kind, name)
    first_start: FirstStart
    new_lost_logged: tuple[str, ...]  # names the target logs lost and the running release does not
    new_would_delete: tuple[str, ...]  # names the target deletes and the running release does not
    verdict: str  # the worst after-verdict among the changes that get worse; ok; error (see the module docstring)
    owners: int  # owners in scope (either side)


def target_settings(base: ControllerSettings, text: str) -> ControllerSettings:
    """The running settings moved to the release `text` names (a checked release, master, or a version the
    "Versions" rules map to one, with their note). Raises UncheckedRelease for a release older than every checked
    one or a string that names none."""
    resolved = resolve(text)
    if resolved.refused or resolved.version is None:
        raise UncheckedRelease(
            subject=f"--upgrade-to {text}:",
            reason=resolved.refused or "not a release (expected vX.Y.Z or master)",
            hint="",
        )
    moved = settings_at(base, resolved.version, resolved.head)
    return replace(
        moved,
        detected_from="flags",  # --upgrade-to named it
        version_text=text,
        behaviour_of=resolved.behaviour_of or display(resolved.version),
        version_assumed=resolved.assumed,
        notes=(resolved.note,) if resolved.note else (),
    )


def _outcome(item: Item | None) -> Outcome:
    if item is None:
        return Outcome(None)
    ports = item.judgement.ports if item.judgement else ()
    return Outcome(item.verdict, tuple(sorted({p.reason for p in ports if p.reason})))


def _port_changes(before: Item | None, after: Item | None) -> tuple[PortChange, ...]:
    def by_name(item: Item | None) -> dict[str, Outcome]:
        ports = item.judgement.ports if item is not None and item.judgement else ()
        return {p.name: Outcome(p.verdict, (p.reason,) if p.reason else ()) for p in ports}

    old, new = by_name(before), by_name(after)
    changed = [
        PortChange(n, old.get(n, Outcome(None)), new.get(n, Outcome(None)))
        for n in sorted(set(old) | set(new))
        if old.get(n) != new.get(n)
    ]
    return tuple(changed)


def _key(item: Item) -> tuple[str, str, str]:
    return item.owner.namespace, item.owner.kind, item.owner.name


def first_start(target: ControllerSettings, would_delete: Iterable[str]) -> FirstStart:
    """What the target's start does to the ports its GC would delete (`would_delete`, in scope)."""
    names = tuple(sorted(would_delete))
    active = gc_active(target)
    double = active and not target.behaviour.periodic_only
    return FirstStart(
        gc=active,
        startup_double_run=double,
        interval=target.gc_interval,
        deletes_at_once=names if double else (),
        deletes_after_interval=names if active and not double else (),
    )


def compare(
    before: Replay, after: Replay, source: ControllerSettings, target: ControllerSettings, keep: Keep = lambda i: True
) -> Upgrade:
    """The running replay against the target's, over the items `keep` selects."""
    old = {_key(i): i for i in before.items if keep(i)}
    new = {_key(i): i for i in after.items if keep(i)}
    changes = []
    for key in sorted(set(old) | set(new)):
        was, now = _outcome(old.get(key)), _outcome(new.get(key))
        if was != now:
            changes.append(Change(*key, was, now, _port_changes(old.get(key), new.get(key))))

    def names(items: dict[Any, Item], field: str) -> set[str]:
        return {n for i in items.values() if i.judgement for n in getattr(i.judgement, field)}

    delete_after = names(new, "would_delete")
    worse = [c.after.verdict or OK.name for c in changes if c.worse]
    verdict = worst(worse)
    if verdict == OK.name and any(i.verdict == ERROR.name for i in new.values()):
        verdict = ERROR.name
    return Upgrade(
        source=source,
        target=target,
        changes=tuple(changes),
        first_start=first_start(target, delete_after),
        new_lost_logged=tuple(sorted(names(new, "lost_logged") - names(old, "lost_logged"))),
        new_would_delete=tuple(sorted(delete_after - names(old, "would_delete"))),
        verdict=verdict,
        owners=len(set(old) | set(new)),
    )


def upgrade(
    inventory: Inventory,
    ports: Iterable[NbPort],
    source: ControllerSettings,
    target_text: str,
    *,
    before: Replay,
    owners: Iterable[Owner] | None = None,
    keep: Keep = lambda i: True,
    guard: Guard = _unguarded,
    switches: SwitchView | None = None,
) -> Upgrade:
    """The target's replay of the same inventory and ports (`before` is the running release's, already made),
    compared over `keep`; `owners` default to every workload owner, handed through `guard`. Raises
    UncheckedRelease for a target nothing stands in for."""
    target = target_settings(source, target_text)
    chosen = list(owners) if owners is not None else workload_owners(inventory)
    after = replay(inventory, ports, target, owners=guard(chosen, f"replaying GC at {target_text}"), switches=switches)
    return compare(before, after, source, target, keep)


@dataclass(frozen=True)
class SurveyRow:
    """One release of `--upgrade-to all`: this cluster's owners per verdict there, and what gets worse."""

    release: Version
    band: str
    owners: dict[str, int]  # verdict -> owners in scope, sorted by verdict
    changes: int  # owners whose verdict or reasons differ from the running release
    verdict: str  # the upgrade's verdict (see `compare`)
    first_safe_on_branch: Version | None  # the branch's first checked release with no deletion-risk owner (from
    # the running release on; branches older than the running one are not searched: None)


@dataclass(frozen=True)
class Survey:
    source: ControllerSettings
    rows: tuple[SurveyRow, ...]  # the newest checked release of each branch, oldest first, then master
    first_safe: Version | None  # the first checked release after the running one with no deletion-risk owner
    replays: int  # how many target replays were run (distinct behaviours)


def survey_releases() -> list[Version]:
    """The newest checked release of every branch, oldest first, then master."""
    branches = sorted({v.branch for v in checked_tags()})
    found = [newest_checked(b) for b in branches]
    return [v for v in found if v is not None] + [master().version]


def survey(
    inventory: Inventory,
    ports: Iterable[NbPort],
    source: ControllerSettings,
    *,
    before: Replay,
    keep: Keep = lambda i: True,
    guard: Guard = _unguarded,
    switches: SwitchView | None = None,
) -> Survey:
    """`--upgrade-to all`: one row per `survey_releases()` entry and the first safe release (each distinct
    behaviour replayed once)."""
    ports = tuple(ports)
    cache: dict[tuple[Any, ...], Replay] = {}

    def replay_at(version: Version) -> tuple[ControllerSettings, Replay]:
        target = settings_at(source, version)
        key = (target.behaviour, target.keep_vm_ip, target.enable_external_vpc, target.non_primary_cni_mode)
        if key not in cache:
            owners = guard(workload_owners(inventory), f"replaying GC at {display(version)}")
            cache[key] = replay(inventory, ports, target, owners=owners, switches=switches)
        return target, cache[key]

    def safe(version: Version) -> bool:
        return not any(i.verdict == DELETION_RISK.name for i in replay_at(version)[1].items if keep(i))

    later = [v for v in known_releases() if source.version is None or v > source.version]
    rows = []
    for version in survey_releases():
        target, result = replay_at(version)
        upgrade = compare(before, result, source, target, keep)
        counts = Counter(i.verdict for i in result.items if keep(i))
        on_branch = next((v for v in later if v.branch == version.branch and safe(v)), None)
        rows.append(
            SurveyRow(
                version, target.band, dict(sorted(counts.items())), len(upgrade.changes), upgrade.verdict, on_branch
            )
        )
    first_safe = next((v for v in later if safe(v)), None)
    return Survey(source, tuple(rows), first_safe, len(cache))
