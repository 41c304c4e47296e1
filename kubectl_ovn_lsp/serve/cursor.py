"""Where each controller container's log has been read up to, so that no line is counted twice: across cycles, and
across restarts of the container. Pure: the kubelet's answers come in, the new lines and the next cursor go out.

The kubelet stamps every line it serves with `timestamps=true` (RFC3339Nano, nine digits: `pkg/kubelet/kuberuntime/
logs/logs.go`, `RFC3339NanoFixed`) and `sinceTime` keeps the lines stamped at or after it, in whole seconds (the
API server forwards it to the kubelet with `time.RFC3339`). So a cycle asks for `sinceTime` = the last counted
line's second and drops what it already counted: every line stamped before the last counted stamp, and as many
lines of exactly that stamp as were counted (a log only grows, so they come first, in the same order).

A restart (the container's `restartCount` went up) turns the counted log into the "previous" log: the rest of it
is read with `previous=true` from the cursor, then the new container's log from its start. When the count rose by
more than one between cycles, the kubelet keeps only the last terminated container: the runs in between are gone
(`lost_runs` says how many). A container first seen in a later cycle (a new controller pod) is new since the cycle
before: all of its log counts. On the first cycle nothing counts: the logs are history (`triage` reads history);
the cursors start at their ends, and a counter only ever counts lines logged while `serve` watches.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone

_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z ")


@dataclass(frozen=True)
class Cursor:
    """The last counted line of one container's log: its stamp (nanoseconds since the epoch, UTC; 0 = none yet),
    how many lines carry exactly that stamp (all counted), and the container's restartCount then."""

    stamp: int = 0
    at_stamp: int = 0
    restarts: int = 0


@dataclass(frozen=True)
class Read:
    """One log request: the previous container's log or the current one, from `since` (None: from the start)."""

    previous: bool
    since: Cursor | None
    counts: bool  # False: history (the first cycle); only the cursor is taken from it


@dataclass(frozen=True)
class Plan:
    reads: tuple[Read, ...]
    lost_runs: int = 0  # container runs that ended and were replaced before they could be read


def plan(cursor: Cursor | None, restarts: int, *, first_cycle: bool) -> Plan:
    """What to read of one container, given its cursor (None: not seen before) and its restartCount now."""
    if cursor is None:
        if first_cycle:
            return Plan((Read(previous=False, since=None, counts=False),))
        earlier = (Read(previous=True, since=None, counts=True),) if restarts else ()
        return Plan((*earlier, Read(previous=False, since=None, counts=True)), lost_runs=max(0, restarts - 1))
    if restarts == cursor.restarts:
        return Plan((Read(previous=False, since=cursor, counts=True),))
    if restarts == cursor.restarts + 1:
        return Plan((Read(previous=True, since=cursor, counts=True), Read(previous=False, since=None, counts=True)))
    if restarts > cursor.restarts + 1:  # ours is gone; the previous log is a run never seen
        return Plan(
            (Read(previous=True, since=None, counts=True), Read(previous=False, since=None, counts=True)),
            lost_runs=restarts - cursor.restarts - 1,
        )
    return Plan((Read(previous=False, since=None, counts=True),))  # the count went down: a new container


def since_time(cursor: Cursor) -> str:
    """`sinceTime` for a read after `cursor`: the second of its stamp (the kubelet's precision)."""
    return datetime.fromtimestamp(cursor.stamp // 1_000_000_000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp_of(line: str) -> int | None:
    """The kubelet stamp a `timestamps=true` line starts with, in nanoseconds since the epoch; None if none."""
    match = _STAMP.match(line)
    if match is None:
        return None
    seconds = calendar.timegm(tuple(int(match.group(i)) for i in range(1, 7)))
    return seconds * 1_000_000_000 + int((match.group(7) or "").ljust(9, "0"))


def new_lines(lines: list[str], since: Cursor | None, restarts: int) -> tuple[list[str], Cursor]:
    """The lines of one answer not counted before (after `since`; all when None) and the cursor after them.

    A line without a stamp (never from a kubelet with timestamps=true) is taken as new and moves nothing."""
    skip_before = since.stamp if since is not None else 0
    skip_at = since.at_stamp if since is not None else 0
    fresh: list[str] = []
    last, at_last = (since.stamp, since.at_stamp) if since is not None else (0, 0)
    for line in lines:
        stamp = stamp_of(line)
        if stamp is None:
            fresh.append(line)
            continue
        if stamp < skip_before:
            continue
        if stamp == skip_before and skip_at > 0:
            skip_at -= 1
            continue
        fresh.append(line)
        if stamp == last:
            at_last += 1
        elif stamp > last:
            last, at_last = stamp, 1
    return fresh, Cursor(last, at_last, restarts)
