"""Which Kube-OVN releases log a controller line at which `<file>:<line>` (docs/kube-ovn-facts.md, "GC log lines";
the events and their files: `log_events`).

The line number narrows the release the controller ran when it logged; it never decides it (v1.13.4–v1.13.14 all
log `lsp lost` at gc.go:430). Releases newer than the newest checked tag of a maintained branch are assumed to log
where that tag does (the branch heads did when checked: v1.16.3 553, v1.15.25 564, v1.14.42 559, v1.13.16 449),
and say so. The tables are read off the release register (`release_register.Branch.lines`), checked on every tag
it holds and its master snapshot: a new tag extends its branch's newest entry unless it moved a line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kubectl_ovn_lsp.model import release_register
from kubectl_ovn_lsp.model.log_events import EVENTS
from kubectl_ovn_lsp.model.versions import Version, parse_version

Ranges = tuple[tuple[str, str], ...]  # (first tag, last tag) pairs; ("master", "master") for the master snapshot


def line_table(event: str) -> dict[int, Ranges]:
    """Line (of the event's file, `log_events.FILE`) -> the ranges of checked tags that log `event` there, read
    off the release register (`release_register.Branch.lines`, `Master.lines`); {} for an event it does not hold."""
    return _tables(release_register.REGISTER).get(event, {})


@functools.lru_cache(maxsize=4)
def _tables(register: release_register.Register) -> dict[str, dict[int, Ranges]]:
    tables: dict[str, dict[int, list[tuple[str, str]]]] = {event: {} for event in EVENTS}
    for branch in register.branches:
        for event, table in tables.items():
            runs: list[tuple[int, Version, Version]] = []  # consecutive tags logging at one line
            for tag in branch.tags:
                line = branch.line_of(event, tag.patch)
                if line is None:
                    continue
                if runs and runs[-1][0] == line and _next_tag(branch, runs[-1][2]) == tag:
                    runs[-1] = (line, runs[-1][1], tag)
                else:
                    runs.append((line, tag, tag))
            for line, first, last in runs:
                table.setdefault(line, []).append((str(first), str(last)))
    for event, line in register.master.lines.items():
        tables[event].setdefault(line, []).append(("master", "master"))
    return {event: {line: tuple(ranges) for line, ranges in table.items()} for event, table in tables.items()}


def _next_tag(branch: release_register.Branch, tag: Version) -> Version | None:
    later = [t for t in branch.tags if t > tag]
    return later[0] if later else None


def newest_maintained(branch: tuple[int, int]) -> str | None:
    """The newest checked tag of a maintained branch: a release past it is assumed to log where it does."""
    found = release_register.REGISTER.by_branch.get(branch)
    return str(release_register.REGISTER.newest(branch)) if found is not None and found.maintained else None


@dataclass(frozen=True)
class ReleaseRange:
    """Tags `first`…`last` that log the line there; `and_newer`: later releases of that branch presumably too."""

    first: str
    last: str
    and_newer: bool = False

    def as_text(self) -> str:
        text = self.first if self.first == self.last else f"{self.first}–{self.last}"
        return text + " and newer" if self.and_newer else text


def releases(event: str, line: int) -> list[ReleaseRange]:
    """The ranges that log `event` at `<file>:<line>`; [] for a line no checked release uses."""
    out = []
    for first, last in line_table(event).get(line, ()):
        newest = newest_maintained(_branch(last) or (0, 0))
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
            if version.branch >= release_register.REGISTER.master.version.branch:
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
    tag = newest_maintained(version.branch)
    newest = parse_version(tag)
    return tag if newest is not None and version > newest else None
