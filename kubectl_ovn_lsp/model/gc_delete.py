"""What GC's delete of a listed, unexpected port does in the running release, by the state of the port's
`external_ids:ls` (docs/kube-ovn-facts.md, "GC cycles that cannot complete"; evidence, file:line per tag, in
docs/upstream-findings.md §12).

`markAndCleanLSP` deletes on the second strike. Whether the delete removes the port depends on the release's
code path and on `ls`: absent, empty, naming a switch that does not exist, naming an existing switch that does
not hold the port, or naming the one that does:

| release (shape)                    | no `ls` | `ls=""` | missing switch | wrong switch | right switch |
|------------------------------------|---------|---------|----------------|--------------|--------------|
| ≤ v1.11.24 (`nbctl`)               | deleted | deleted | deleted        | deleted      | deleted      |
| v1.12.x (`ls-lookup`, #2544)        | deleted | deleted | fails          | no-op        | deleted      |
| v1.13.0–v1.14.7 (`skip-no-ls`)     | no-op   | fails   | deleted        | no-op        | deleted      |
| v1.14.8–v1.14.23 (`by-uuid-strict`) | fails   | fails   | deleted        | no-op        | deleted      |
| v1.14.24+, v1.15.0+ (`by-uuid`)     | deleted | deleted | deleted        | no-op        | deleted      |

"deleted" through a lookup of the switch by the port's UUID fails when no switch or several hold it. A failing
delete returns from `markAndCleanLSP` (`failed to delete lsp …`, `gc lsp error: …`) before `lastNoPodLSP` is
saved and before the `lsp lost` loop: every later cycle fails at the same port, cluster-wide. A no-op delete
"succeeds": GC goes on to delete the IP CR of that name and release its address while the port stays.
Release behaviour comes from switches (`gc_delete_libovsdb`, `gc_delete_skips_no_ls`, `gc_delete_by_uuid`,
`gc_delete_no_ls_lookup`), never version comparisons. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.records import NbPort, SwitchView

NBCTL, LS_LOOKUP, SKIP_NO_LS, BY_UUID_STRICT, BY_UUID = "nbctl", "ls-lookup", "skip-no-ls", "by-uuid-strict", "by-uuid"
EMPTY_NAME = "empty logical switch name"


class Outcome(Enum):
    DELETED = "deleted"
    NOOP = "no-op"
    FAILS = "fails"


@dataclass(frozen=True)
class DeleteResult:
    """What the delete does, why (the state of `ls`, one clause), the error GC logs, and the reason code."""

    outcome: Outcome
    why: str
    error: str | None = None
    reason: str | None = None  # GC1 fails (no/empty ls), GC2 no-op (no ls), GC3 no-op (wrong switch), GC4 fails
    releases: str = ""  # the releases whose delete does the same with this state of `ls`


def shape(b: Behaviour) -> str:
    """The release's code path for GC's delete (the newest whose switch is on)."""
    if not b.gc_delete_libovsdb:
        return NBCTL
    if b.gc_delete_no_ls_lookup:
        return BY_UUID
    if b.gc_delete_by_uuid:
        return BY_UUID_STRICT
    return SKIP_NO_LS if b.gc_delete_skips_no_ls else LS_LOOKUP


def can_stall(b: Behaviour) -> bool:
    """Whether some state of `ls` makes this release's delete fail or do nothing (every libovsdb release can
    no-op on a wrong switch; the failing ones are v1.12.x, v1.13.0–v1.14.23)."""
    return shape(b) != NBCTL


def can_fail(b: Behaviour) -> bool:
    """Whether a state of `ls` makes this release's delete fail, and so stop every GC cycle: v1.12.x (a switch
    that does not exist), v1.13.0–v1.14.23 (no or empty `ls`). Later releases fail only when no switch or
    several hold a port, which OVSDB's own references make all but impossible."""
    return shape(b) in (LS_LOOKUP, SKIP_NO_LS, BY_UUID_STRICT)


def delete_result(port: NbPort, switches: SwitchView, b: Behaviour) -> DeleteResult:
    """The outcome of GC's delete of `port` in this release. Unknown switch facts (explain's partial read)
    count as the common case: the switch exists and holds the port."""
    path = shape(b)
    if path == NBCTL:
        return DeleteResult(Outcome.DELETED, "ovn-nbctl lsp-del deletes by name")
    ls = port.external_ids.get("ls")
    if ls is None or ls == "":
        return _no_ls(port, switches, path, ls)
    exists = switches.exists(ls)
    if exists is False:
        if path == LS_LOOKUP:
            return DeleteResult(
                Outcome.FAILS,
                f"external_ids:ls names switch {ls}, which does not exist; v1.12 looks only that switch up",
                f'not found logical switch "{ls}"',
                "GC4",
                "v1.12.0–v1.12.35 (a switch named by ls is looked up only by that name)",
            )
        return _lookup(port, switches, f"external_ids:ls names switch {ls}, which does not exist")
    if switches.holds(ls, port.uuid) is False:
        return DeleteResult(
            Outcome.NOOP,
            f"external_ids:ls names switch {ls}, which does not hold the port: the delete removes nothing",
            None,
            "GC3",
            "every release from v1.12.0 (the delete removes the port from the switch ls names)",
        )
    return DeleteResult(Outcome.DELETED, f"switch {ls} (external_ids:ls) holds it")


def _no_ls(port: NbPort, switches: SwitchView, path: str, ls: str | None) -> DeleteResult:
    label = "no external_ids:ls" if ls is None else "an empty external_ids:ls"
    if path == SKIP_NO_LS and ls is None:
        return DeleteResult(
            Outcome.NOOP,
            f"{label}: DeleteLogicalSwitchPortOp returns no operation, so the port stays",
            None,
            "GC2",
            "v1.13.0–v1.14.7 (#4157)",
        )
    if path in (SKIP_NO_LS, BY_UUID_STRICT):
        return DeleteResult(
            Outcome.FAILS,
            f'{label}: the delete asks for the switch named "" first',
            EMPTY_NAME,
            "GC1",
            "v1.14.8–v1.14.23 (#5735)" if ls is None else "v1.13.0–v1.14.23 (#4157, #5735)",
        )
    return _lookup(port, switches, f"{label}: the switch is looked up by the port's UUID")


def _lookup(port: NbPort, switches: SwitchView, why: str) -> DeleteResult:
    holders = switches.holders(port.uuid)
    if holders is not None and len(holders) != 1:
        error = f"no LS found for LSP {port.uuid}" if not holders else f"multiple LS found for LSP {port.uuid}"
        where = "no switch holds it" if not holders else f"switches {', '.join(holders)} hold it"
        return DeleteResult(Outcome.FAILS, f"{why}, and {where}", error, "GC4", "every release from v1.12.0")
    return DeleteResult(Outcome.DELETED, why)
