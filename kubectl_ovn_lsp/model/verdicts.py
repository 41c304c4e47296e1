"""The verdict vocabulary: every port and item verdict with its severity, exit code, colour and meaning.

One table so that the model (worst-of), the CLI (exit code, colour), `reasons` and the docs cannot drift.
Severity orders the findings that change the exit code (docs/contracts.md, "Exit codes"):
deletion-risk > lost > degraded > leaked > false-positive; `ok`, `stale` and `no-port` are informational (exit 0).
`error` is an audit item that could not be judged: it never hides a finding, and alone it gives exit 1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """One verdict word. `severity` 0 means informational; `exit_code` is what the command returns for it."""

    name: str
    severity: int
    exit_code: int
    colour: str  # ANSI SGR parameters, used only when colour is on; the word itself is always printed
    meaning: str  # one line, for `reasons` and the docs


OK = Verdict("ok", 0, 0, "32", "consistent: GC logs nothing for it and deletes nothing it needs")
NO_PORT = Verdict("no-port", 0, 0, "36", "no OVN port by design (IPAM-only attachment, hostNetwork pod)")
STALE = Verdict("stale", 0, 0, "36", "a leftover nothing uses; GC deletes it (harmless housekeeping)")
ERROR = Verdict("error", 0, 1, "35", "could not be judged (malformed object, missing NAD, unreadable kind)")
FALSE_POSITIVE = Verdict(
    "false-positive", 1, 4, "33", 'GC logs "lsp lost" but every port the workload really has is present'
)
LEAKED = Verdict(
    "leaked",
    2,
    7,
    "35",
    "an IP CR whose owner is gone and that no periodic GC collects: its address stays taken and its Subnet's "
    "usage only grows",
)
DEGRADED = Verdict(
    "degraded",
    3,
    6,
    "33",
    "present and kept, but not in the state the running release sets for what the workload does now",
)
LOST = Verdict(
    "lost",
    4,
    3,
    "31",
    "a port the workload needs is missing from NB, or present where or as traffic cannot reach it "
    "(PORT1, PORT2, PORT4)",
)
DELETION_RISK = Verdict("deletion-risk", 5, 5, "1;31", "GC deletes (or already deleted) a port the workload needs")

VERDICTS: tuple[Verdict, ...] = (OK, NO_PORT, STALE, ERROR, FALSE_POSITIVE, LEAKED, DEGRADED, LOST, DELETION_RISK)
BY_NAME: dict[str, Verdict] = {v.name: v for v in VERDICTS}


def severity(name: str) -> int:
    """Severity of a verdict word (0 for informational and unknown words)."""
    found = BY_NAME.get(name)
    return found.severity if found else 0


def exit_code(name: str) -> int:
    """The exit code of a top-level verdict word."""
    return BY_NAME[name].exit_code


def worst(names: list[str] | tuple[str, ...]) -> str:
    """The most severe of the words with a severity, else `ok` (stale, no-port and error do not rank)."""
    ranked = [n for n in names if severity(n) > 0]
    return max(ranked, key=severity) if ranked else OK.name
