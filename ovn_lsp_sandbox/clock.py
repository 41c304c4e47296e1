"""Scenario time: a scenario is written at one instant and served as if that instant were now.

A scenario file that names `authoredAt` (every shipped one does) has its timestamps moved, when it is loaded, by
the whole seconds between `authoredAt` and the loading clock: every RFC 3339 string in its objects
(creationTimestamp, deletionTimestamp, conditions, VMIM phase times, …) and every log line's klog header and
leading RFC 3339 stamps (`kubectl logs --timestamps`, container-runtime files). A pod created an hour before
`authoredAt` is an hour old whatever the date, and a controller line logged 14 minutes before it is inside
`--since 1h` on any day, and under a shifted clock (faketime) as well. Dumps of a real cluster carry no
`authoredAt` and keep their times.

Tests read the shift back from the sandbox's state (`clock.shiftSeconds`) to turn an authored instant into the one
served (`moved`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_WHOLE = re.compile(rf"^{RFC3339.pattern}$")
# a klog header: severity, MMDD, hh:mm:ss.frac (the year and zone are implied: the controller's local time, UTC)
_KLOG = re.compile(r"(?P<sev>[IWEF])(?P<mo>\d{2})(?P<d>\d{2}) (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})(?P<frac>\.\d+)?")
# the stamps a log line may start with before its klog header (kubectl --timestamps, CRI "<time> stderr F ")
_LEADING = re.compile(rf"^(\s*)((?:{RFC3339.pattern}\s+(?:(?:stdout|stderr)\s+[FP]\s+)?)*)")


def parse(text: str) -> datetime:
    """An RFC 3339 timestamp as Kubernetes writes it; ValueError when it is not one."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def shift_seconds(authored_at: str, now: datetime) -> int:
    """Whole seconds from the authored instant to `now` (whole seconds keep every fraction as written)."""
    return int((now - parse(authored_at)).total_seconds())


def _move_stamp(match: re.Match[str], seconds: int) -> str:
    text = match.group(0)
    frac = match.group(7) or ""
    zone = match.group(8)
    moved = parse(text.replace(frac, "", 1) if frac else text) + timedelta(seconds=seconds)
    stamp = moved.strftime("%Y-%m-%dT%H:%M:%S") + frac
    return stamp + ("Z" if zone == "Z" else moved.strftime("%z")[:3] + ":" + moved.strftime("%z")[3:])


def moved(text: str, seconds: int) -> str:
    """An RFC 3339 string moved by `seconds`, in the same form (fraction and zone kept)."""
    match = _WHOLE.match(text)
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    return _move_stamp(match, seconds)


def move_objects(value: Any, seconds: int) -> Any:
    """Every RFC 3339 string anywhere in `value` (objects as the API returns them) moved; in place for containers."""
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = move_objects(item, seconds)
        return value
    if isinstance(value, list):
        for i, item in enumerate(value):
            value[i] = move_objects(item, seconds)
        return value
    if isinstance(value, str) and _WHOLE.match(value):
        return moved(value, seconds)
    return value


def _move_klog(match: re.Match[str], seconds: int, year: int) -> str:
    parts = {k: int(v) for k, v in match.groupdict().items() if k not in ("sev", "frac")}
    when = datetime(year, parts["mo"], parts["d"], parts["h"], parts["mi"], parts["s"], tzinfo=timezone.utc)
    when += timedelta(seconds=seconds)
    return f"{match.group('sev')}{when:%m%d %H:%M:%S}{match.group('frac') or ''}"


def move_log(text: str, seconds: int, authored_at: str) -> str:
    """Every line's leading stamps and klog header moved. A klog date is read in the authored year (the year
    before when it would fall after `authoredAt`, as klog readers assume)."""
    authored = parse(authored_at)
    out = []
    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):  # lines end at \n only, as a runtime writes them
        lead = _LEADING.match(line)
        prefix = lead.group(0) if lead else ""
        rest = line[len(prefix) :]
        prefix = RFC3339.sub(lambda m: _move_stamp(m, seconds), prefix)
        head = _KLOG.match(rest)
        if head is not None:
            year = authored.year
            month_day = (int(head.group("mo")), int(head.group("d")))
            if month_day > (authored.month, authored.day):
                year -= 1
            rest = _move_klog(head, seconds, year) + rest[head.end() :]
        out.append(prefix + rest)
    return "".join(out)


def move_scenario(objects: list[dict[str, Any]], logs: dict[str, str], authored_at: str, now: datetime) -> int:
    """Objects (in place) and logs (in place) moved from `authored_at` to `now`; returns the shift in seconds."""
    seconds = shift_seconds(authored_at, now)
    move_objects(objects, seconds)
    for key, text in logs.items():
        logs[key] = move_log(text, seconds, authored_at)
    return seconds
