"""Which Kube-OVN releases log a GC line at which `gc.go:<line>` (docs/kube-ovn-facts.md, "GC log lines").

Two lines matter (`markAndCleanLSP`, checked on every tag v1.7.1–v1.16.2 and master 1533681d7):
* `lsp lost for pod <name>, please delete the pod and retry` (Error), the keep-set name missing from NB;
* `gc logical switch port <name>` (Info; `… with uuid <uuid>` in v1.14.8–v1.14.41 and v1.15.0–v1.15.24, #5735,
  reverted in v1.16.0 by #6475), logged on the second consecutive run, just before the delete. The first strike
  logs nothing in any release.
The line number narrows the release the controller ran when it logged; it never decides it (v1.13.4–v1.13.14 all
log `lsp lost` at 430). Releases newer than the newest checked tag of a branch are assumed to log where that tag
does (the branch heads did when checked: v1.16.3 553, v1.15.25 564, v1.14.42 559, v1.13.16 449), and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubectl_ovn_lsp.model.versions import Version, parse_version

LOST, DELETED = "lost", "deleted"

# line -> ranges of tags (first, last) that log it there
LOST_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    251: (("v1.7.1", "v1.7.2"),),
    252: (("v1.8.0", "v1.8.0"),),
    263: (("v1.7.3", "v1.7.3"),),
    264: (("v1.8.1", "v1.8.2"),),
    267: (("v1.9.0", "v1.9.0"),),
    268: (("v1.8.3", "v1.8.4"), ("v1.9.1", "v1.9.2")),
    283: (("v1.9.5", "v1.9.5"),),
    285: (("v1.8.5", "v1.8.6"), ("v1.9.3", "v1.9.3")),
    289: (("v1.8.7", "v1.8.14"), ("v1.9.4", "v1.9.4")),
    292: (("v1.8.15", "v1.8.18"),),
    309: (("v1.9.29", "v1.9.41"),),
    314: (("v1.9.6", "v1.9.14"),),
    316: (("v1.9.15", "v1.9.23"),),
    317: (("v1.9.25", "v1.9.28"),),
    328: (("v1.10.0", "v1.10.0"),),
    335: (("v1.10.1", "v1.10.7"),),
    337: (("v1.10.8", "v1.10.10"),),
    368: (("v1.11.11", "v1.11.12"),),
    376: (("v1.11.0", "v1.11.10"),),
    384: (("v1.11.13", "v1.11.15"), ("v1.12.0", "v1.12.3")),
    386: (("v1.11.16", "v1.11.24"),),
    400: (("v1.12.4", "v1.12.4"),),
    401: (("v1.12.5", "v1.12.14"),),
    415: (("v1.12.15", "v1.12.19"),),
    417: (("v1.12.20", "v1.12.28"),),
    426: (("v1.13.0", "v1.13.3"),),
    427: (("v1.12.29", "v1.12.31"),),
    430: (("v1.13.4", "v1.13.14"),),
    431: (("v1.12.32", "v1.12.35"),),
    449: (("v1.13.15", "v1.13.15"),),
    476: (("v1.14.0", "v1.14.6"),),
    533: (("v1.14.7", "v1.14.29"),),
    538: (("v1.15.0", "v1.15.2"),),
    553: (("v1.16.0", "v1.16.2"),),
    559: (("v1.14.30", "v1.14.41"),),
    562: (("master", "master"),),
    564: (("v1.15.3", "v1.15.24"),),
}
DELETE_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    233: (("v1.7.1", "v1.7.2"),),
    245: (("v1.7.3", "v1.7.3"),),
    234: (("v1.8.0", "v1.8.0"),),
    246: (("v1.8.1", "v1.8.2"),),
    250: (("v1.8.3", "v1.8.4"), ("v1.9.1", "v1.9.2")),
    253: (("v1.8.5", "v1.8.6"), ("v1.9.3", "v1.9.3")),
    257: (("v1.8.7", "v1.8.14"), ("v1.9.4", "v1.9.4")),
    260: (("v1.8.15", "v1.8.18"),),
    249: (("v1.9.0", "v1.9.0"),),
    263: (("v1.9.5", "v1.9.5"),),
    294: (("v1.9.6", "v1.9.14"),),
    296: (("v1.9.15", "v1.9.23"),),
    297: (("v1.9.25", "v1.9.28"),),
    289: (("v1.9.29", "v1.9.41"),),
    305: (("v1.10.0", "v1.10.0"),),
    315: (("v1.10.1", "v1.10.7"),),
    317: (("v1.10.8", "v1.10.10"),),
    356: (("v1.11.0", "v1.11.10"),),
    348: (("v1.11.11", "v1.11.15"),),
    350: (("v1.11.16", "v1.11.24"),),
    363: (("v1.12.0", "v1.12.4"),),
    364: (("v1.12.5", "v1.12.14"),),
    378: (("v1.12.15", "v1.12.19"),),
    380: (("v1.12.20", "v1.12.28"),),
    390: (("v1.12.29", "v1.12.31"), ("v1.13.4", "v1.13.14")),
    394: (("v1.12.32", "v1.12.35"),),
    386: (("v1.13.0", "v1.13.3"),),
    409: (("v1.13.15", "v1.13.15"),),
    436: (("v1.14.0", "v1.14.6"),),
    493: (("v1.14.7", "v1.14.29"),),
    519: (("v1.14.30", "v1.14.41"),),
    498: (("v1.15.0", "v1.15.2"),),
    524: (("v1.15.3", "v1.15.24"),),
    513: (("v1.16.0", "v1.16.2"),),
    522: (("master", "master"),),
}
# The newest checked tag per maintained branch: a release past it is assumed to log where it does.
NEWEST_CHECKED = {
    (1, 12): "v1.12.35",
    (1, 13): "v1.13.15",
    (1, 14): "v1.14.41",
    (1, 15): "v1.15.24",
    (1, 16): "v1.16.2",
}
MASTER_BRANCH = (1, 17)  # master builds carry the next release's number (CI tags them v1.17.0-x86)


@dataclass(frozen=True)
class ReleaseRange:
    """Tags `first`…`last` that log the line there; `and_newer`: later releases of that branch presumably too."""

    first: str
    last: str
    and_newer: bool = False

    def as_text(self) -> str:
        text = self.first if self.first == self.last else f"{self.first}–{self.last}"
        return text + " and newer" if self.and_newer else text


def _table(event: str) -> dict[int, tuple[tuple[str, str], ...]]:
    return LOST_LINES if event == LOST else DELETE_LINES


def releases(event: str, line: int) -> list[ReleaseRange]:
    """The ranges that log `event` at `gc.go:<line>`; [] for a line no checked release uses."""
    out = []
    for first, last in _table(event).get(line, ()):
        newest = NEWEST_CHECKED.get(_branch(last) or (0, 0))
        out.append(ReleaseRange(first, last, and_newer=last == newest or last == "master"))
    return out


def _branch(tag: str) -> tuple[int, int] | None:
    version = parse_version(tag)
    return version.branch if version else None


def logs_at(event: str, line: int, version: Version | None, *, master: bool = False) -> bool:
    """Whether a controller of `version` (or a master build) logs `event` at this line, newer releases included."""
    for r in releases(event, line):
        if master or version is None:
            if master and r.last == "master":
                return True
            continue
        first, last = parse_version(r.first), parse_version(r.last)
        if r.last == "master":
            if version.branch >= MASTER_BRANCH:
                return True
            continue
        if (
            first is not None
            and last is not None
            and (first <= version <= last or (r.and_newer and version.branch == last.branch and version > last))
        ):
            return True
    return False


def newest_checked(version: Version) -> str | None:
    """The newest checked tag of the version's branch when the version is newer than it, else None."""
    tag = NEWEST_CHECKED.get(version.branch)
    newest = parse_version(tag)
    return tag if newest is not None and version > newest else None
