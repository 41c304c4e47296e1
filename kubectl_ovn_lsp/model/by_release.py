"""`byRelease`: the workload's verdict in every known Kube-OVN release, as merged ranges, and which release fixes it.

For `--kube-ovn-version all`, and automatically when the version was assumed (unknown, or not a checked release):
the user sees which releases log, delete or degrade what for this workload (docs/contracts.md, "explain
targets"). Pure: the snapshot is judged once per distinct behaviour (releases whose `Behaviour` and effective
flags are identical share one judgement), so ~210 releases cost a few dozen judgements.

Flags per release: a flag the command line or the Deployment set (`ControllerSettings.explicit`) keeps its value
wherever the release has that flag; an unset flag takes each release's own default (`--enable-external-vpc`
flips to false in v1.14.5/v1.15.0, `--keep-vm-ip` to true in v1.12.0).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kubectl_ovn_lsp.model.bands import behaviour_for
from kubectl_ovn_lsp.model.errors import ModelError
from kubectl_ovn_lsp.model.judge import judge
from kubectl_ovn_lsp.model.releases import display, known_releases, master
from kubectl_ovn_lsp.model.settings import ControllerSettings, flag_defaults
from kubectl_ovn_lsp.model.snapshot import DELETION_RISK, OK, WorkloadSnapshot
from kubectl_ovn_lsp.model.versions import Version

ERROR = "error"


@dataclass(frozen=True)
class ReleaseRange:
    """Adjacent known releases (version order) with the same verdict and reason codes."""

    first: Version
    last: Version
    band: str  # one letter, or "E–G" when the range spans bands
    verdict: str
    reasons: tuple[str, ...]

    @property
    def text(self) -> str:
        span = display(self.first) if self.first == self.last else f"{display(self.first)}–{display(self.last)}"
        why = f" ({', '.join(self.reasons)})" if self.reasons else ""
        return f"{span} {self.verdict}{why}"


@dataclass(frozen=True)
class ReleaseTable:
    ranges: tuple[ReleaseRange, ...]
    judgements: int  # how many distinct behaviours were judged
    fix: str | None  # "which release fixes this workload?", one sentence; None when nothing needs fixing


def settings_at(base: ControllerSettings, version: Version, head: bool | None = None) -> ControllerSettings:
    """The base settings moved to another release (flags as described in the module docstring); `head`: the
    release's unreleased switches apply too (default: only for master's snapshot)."""
    head = version == master().version if head is None else head
    b = behaviour_for(version, head)
    defaults = flag_defaults(version, head)

    def flag(key: str, exists: bool = True) -> bool:
        value = getattr(base, key) if key in base.explicit else defaults[key]
        return bool(value and exists)

    return replace(
        base,
        version=version,
        version_text=display(version),
        band=b.band,
        head=head,
        keep_vm_ip=flag("keep_vm_ip", b.name_by_pod),
        enable_external_vpc=flag("enable_external_vpc"),
        non_primary_cni_mode=flag("non_primary_cni_mode", b.non_primary_cni_flag),
        notes=(),
        behaviour_of=display(version),
        version_assumed=False,
    )


def _outcome(snapshot: WorkloadSnapshot, settings: ControllerSettings) -> tuple[str, tuple[str, ...]]:
    try:
        j = judge(snapshot, settings)
    except ModelError:
        return ERROR, ()
    return j.verdict, tuple(sorted({p.reason for p in j.ports if p.reason}))


def by_release(snapshot: WorkloadSnapshot, base: ControllerSettings) -> ReleaseTable:
    """Verdict and reason codes of the workload in every known release, merged into ranges."""
    cache: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
    rows: list[tuple[Version, str, tuple[str, tuple[str, ...]]]] = []
    for version in known_releases():
        s = settings_at(base, version)
        key = (s.behaviour, s.keep_vm_ip, s.enable_external_vpc, s.non_primary_cni_mode)
        if key not in cache:
            cache[key] = _outcome(snapshot, s)
        rows.append((version, s.band, cache[key]))
    ranges: list[ReleaseRange] = []
    for version, band, (verdict, reasons) in rows:
        last = ranges[-1] if ranges else None
        if last is not None and (last.verdict, last.reasons) == (verdict, reasons):
            first_band = last.band.split("–")[0]
            ranges[-1] = replace(last, last=version, band=first_band if first_band == band else f"{first_band}–{band}")
        else:
            ranges.append(ReleaseRange(version, version, band, verdict, reasons))
    outcomes = {version: outcome for version, _, outcome in rows}
    gone = _already_deleted(snapshot, base)
    if gone:
        return ReleaseTable(tuple(ranges), len(cache), _stops_deleting(outcomes, base, gone))
    return ReleaseTable(tuple(ranges), len(cache), _fix(outcomes, base))


def _already_deleted(snapshot: WorkloadSnapshot, base: ControllerSettings) -> list[str]:
    """The ports the running release already deleted (deletion-risk, missing from NB): no release brings them back,
    so "which release fixes this" becomes "from which release GC stops deleting" (docs/contracts.md)."""
    try:
        running = judge(snapshot, base)
    except ModelError:
        return []
    return [p.name for p in running.ports if p.verdict == DELETION_RISK and not p.in_nb]


def _stops_deleting(
    outcomes: dict[Version, tuple[str, tuple[str, ...]]], base: ControllerSettings, gone: list[str]
) -> str:
    """The sentence for a workload whose ports are already deleted: the releases whose GC no longer deletes them."""
    ordered = sorted(outcomes)
    kept = {v for v in ordered if outcomes[v][0] not in (DELETION_RISK, ERROR)}
    them = "it" if len(gone) == 1 else "them"
    head = f"Which release fixes this workload: none brings back {', '.join(gone)} (already deleted)"
    parts = _fixed_in(ordered, kept, base.version)
    if not parts:
        return f"{head}, and every checked release deletes {them} (see byRelease)."
    return f"{head}; GC no longer deletes {them} in " + "; ".join(parts) + " (by release: see byRelease)."


def _fixed_in(ordered: list[Version], fine: set[Version], effective: Version | None) -> list[str]:
    """The first fine release after the running one on its branch (when earlier than the tail), and the tail."""
    tail = _fine_from(ordered, fine)
    parts = []
    on_branch = _branch_fix(ordered, fine, effective)
    if effective is not None and on_branch is not None and (tail is None or on_branch < tail):
        parts.append(f"{on_branch} on release-{effective.major}.{effective.minor}")
    if tail is not None:
        parts.append(f"every release from {display(tail)} on")
    return parts


def _fix(outcomes: dict[Version, tuple[str, tuple[str, ...]]], base: ControllerSettings) -> str | None:
    """One sentence: the first fixed release on the running branch and the first from which every later one is ok."""
    ordered = sorted(outcomes)
    fine = {v for v in ordered if outcomes[v][0] == OK}
    effective = base.version
    if effective is not None and effective in outcomes and effective in fine:
        return None
    tail = _fine_from(ordered, fine)
    if base.version_assumed:
        what = f"ok in every release from {display(tail)} on" if tail is not None else "ok in no checked release"
        return (
            f"The running release is not known for sure (behaviour of {base.behaviour_of} assumed): this workload "
            f"is {what}; the other releases are listed by release."
        )
    parts = _fixed_in(ordered, fine, effective)
    if not parts:
        newest = outcomes[ordered[-1]]
        return (
            f"Which release fixes this workload: none of the checked releases (master is "
            f"{newest[0]}{' ' + ', '.join(newest[1]) if newest[1] else ''}); see byRelease."
        )
    return "Which release fixes this workload: " + "; ".join(parts) + " (by release: see byRelease)."


def _branch_fix(ordered: list[Version], fine: set[Version], effective: Version | None) -> Version | None:
    """The first ok release after the running one on its own branch."""
    if effective is None:
        return None
    return next((v for v in ordered if v.branch == effective.branch and v > effective and v in fine), None)


def _fine_from(ordered: list[Version], fine: set[Version]) -> Version | None:
    """The first release from which every later checked one is ok (None: the newest is not)."""
    tail = None
    for version in reversed(ordered):
        if version not in fine:
            break
        tail = version
    return tail
