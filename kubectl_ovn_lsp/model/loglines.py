"""kube-ovn-controller log lines: `gc.go:<line>] lsp lost for pod X` and which releases print that line number.

Why: the image tag may be a digest or `latest`; the klog line number of the `lsp lost` call still narrows the
release (spec §4.7, checked against every tag). It cannot tell a fixed v1.13.6+ from an affected v1.13.4/5 (both
log at gc.go:430), so it only narrows, never decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubectl_ovn_lsp.model.versions import Version, parse_version

# line -> ranges of tags (first, last), spec §4.7 plus v1.7.1–v1.7.3 from upstream tag scans.
_TABLE: dict[int, tuple[tuple[str, str], ...]] = {
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

_KLOG_RE = re.compile(
    r"^(?P<severity>[IWEF])(?P<date>\d{4}) (?P<time>\d\d:\d\d:\d\d\.\d+)\s+(?P<thread>\d+) "
    r"(?P<file>[^:\s]+):(?P<line>\d+)\] (?P<message>.*)$")
_LOST_RE = re.compile(r"^lsp lost for pod (?P<name>\S+?), please delete the pod and retry\s*$")


@dataclass(frozen=True)
class LostLine:
    name: str  # the port name GC expected
    file: str
    line: int
    severity: str
    time: str  # "MMDD HH:MM:SS.micro" as klog prints it (no year)
    releases: tuple[str, ...]  # tag ranges that print this line number, e.g. ("v1.13.4–v1.13.14",)


def releases_for_line(line: int) -> tuple[str, ...]:
    """Tag ranges whose gc.go logs `lsp lost` at this line; () for untagged builds."""
    return tuple(first if first == last else f"{first}–{last}" for first, last in _TABLE.get(line, ()))


def line_matches(line: int, version: Version) -> bool:
    """Whether a release with this version logs `lsp lost` at `gc.go:<line>` (False for untagged lines)."""
    for first, last in _TABLE.get(line, ()):
        low, high = parse_version(first), parse_version(last)
        if low is not None and high is not None and low <= version <= high:
            return True
    return False


def parse_lost_line(text: str) -> LostLine | None:
    """A klog line from gc.go carrying `lsp lost for pod …`, or None for any other line."""
    match = _KLOG_RE.match(text.strip())
    if not match or match.group("file") != "gc.go":
        return None
    lost = _LOST_RE.match(match.group("message"))
    if not lost:
        return None
    line = int(match.group("line"))
    return LostLine(name=lost.group("name"), file="gc.go", line=line, severity=match.group("severity"),
                    time=f"{match.group('date')} {match.group('time')}", releases=releases_for_line(line))


def parse_lost_lines(log: str) -> list[LostLine]:
    return [found for found in map(parse_lost_line, log.splitlines()) if found is not None]
