"""Container logs as a node keeps and serves them: CRI log files written by the runtime, read by the kubelet.

A container runtime writes what a container prints as one CRI line per line, `<RFC3339Nano> stderr F <text>`
(`P` for a partial line), into a file the kubelet serves for `GET …/pods/<name>/log`; on a restart the old file
becomes the "previous" log (the kubelet keeps exactly one). The sandbox does the same: `sandbox up` writes each
scenario log as such a file (`cri_text`), `sandbox append-log` appends a line stamped with the moment it is
appended (`append_line`), `sandbox restart-container` rotates it (`rotate`), and the API server reads the file
on every request (`read`) with the kubelet's rules (upstream `pkg/kubelet/kuberuntime/logs/logs.go`, `ReadLogs`
and `NewLogOptions`, and the API server's `ValidatePodLogOptions` in `pkg/apis/core/validation`):

- `tailLines` first (the last N lines of the file), then the since filter (a line whose stamp is before `since`
  is skipped), where `since` is the later of now − `sinceSeconds` and `sinceTime` (the API server forwards
  `sinceTime` to the kubelet with whole seconds, `time.RFC3339`);
- `timestamps=true` prefixes each line with its stamp in RFC3339Nano with nine fraction digits
  (`types.RFC3339NanoFixed`) and one space;
- `limitBytes` cuts the output (stamps included) after that many bytes, mid-line if need be;
- invalid values are 422 `PodLogOptions "<pod>" is invalid`, as the API server says them.

Where a scenario line's stamp comes from: a leading RFC 3339 stamp (a log saved with `kubectl logs
--timestamps`, or a runtime file) is taken as the runtime's; else the klog header's instant (its year is the
sandbox start's, or the one before when the date lies ahead: klog writes none); else the stamp of the line
before (the first lines: the first known stamp, else the start). Stamps never go backwards within a file, as a
runtime writes them in order. Scenario times were already moved to the sandbox start (clock.py), so the stamps
are as recent as the scenario says on any date.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

_NS = 1_000_000_000
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})")
_KLOG = re.compile(r"[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s")
_LEADING = re.compile(rf"^(?P<stamp>{_STAMP.pattern}) (?:(?P<stream>stdout|stderr) (?P<tag>[FP]) )?")


class BadLogOptions(ValueError):
    """A log request the API server refuses: `code` 400 (a value that does not parse) or 422 (invalid)."""

    def __init__(self, code: int, message: str, causes: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.causes = causes or []  # (field, message) as the Status details list them


def _epoch_ns(year: int, month: int, day: int, hour: int, minute: int, second: int, frac: str, zone: str) -> int:
    when = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    if zone not in ("Z", "+00:00", "-00:00"):
        sign = 1 if zone[0] == "+" else -1
        when -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    seconds = int((when - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())
    return seconds * _NS + int((frac or "").ljust(9, "0") or 0)


def parse_stamp(text: str) -> int:
    """An RFC 3339 time (up to nine fraction digits, any zone) as nanoseconds since the epoch; ValueError if not."""
    match = _STAMP.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    y, mo, d, h, mi, s = (int(match.group(i)) for i in range(1, 7))
    return _epoch_ns(y, mo, d, h, mi, s, match.group(7) or "", match.group(8))


def format_stamp(ns: int) -> str:
    """RFC3339Nano with nine fraction digits in UTC, as the kubelet prints `--timestamps` (RFC3339NanoFixed)."""
    seconds, frac = divmod(ns, _NS)
    when = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    return f"{when:%Y-%m-%dT%H:%M:%S}.{frac:09d}Z"


def to_ns(when: datetime) -> int:
    """A timezone-aware datetime as nanoseconds since the epoch (microsecond precision)."""
    delta = when - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000


def _klog_ns(match: re.Match[str], start: datetime) -> int | None:
    month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 6))
    for year in (start.year, start.year - 1):
        try:
            stamp = _epoch_ns(year, month, day, hour, minute, second, match.group(6) or "", "Z")
        except ValueError:  # Feb 29 in a year without one, or a malformed date
            continue
        if stamp <= to_ns(start + timedelta(days=1)):
            return stamp
    return None


@dataclass(frozen=True)
class Entry:
    """One CRI log line: the runtime's stamp (ns since the epoch), the stream, and the text (with its newline
    for a full line `F`; without for a partial one `P`)."""

    stamp: int
    stream: str
    text: str


def cri_line(stamp: int, text: str, stream: str = "stderr") -> str:
    """One full line in the CRI log format (klog writes to stderr)."""
    return f"{format_stamp(stamp)} {stream} F {text.rstrip(chr(10))}\n"


def cri_text(log: str, start: datetime) -> str:
    """A scenario's log text as the CRI file a runtime would have written (stamps as the module doc says)."""
    stamps: list[int | None] = []
    rows: list[tuple[str, str]] = []
    for raw in log.split("\n")[: -1 if log.endswith("\n") else None]:  # runtimes end lines at \n only
        lead = _LEADING.match(raw)
        if lead is not None:
            stamps.append(parse_stamp(lead.group("stamp")))
            rows.append((lead.group("stream") or "stderr", raw[lead.end() :]))
            continue
        head = _KLOG.match(raw + " ")
        stamps.append(_klog_ns(head, start) if head else None)
        rows.append(("stderr", raw))
    known = [s for s in stamps if s is not None]
    previous = known[0] if known else to_ns(start)
    out = []
    for stamp, (stream, text) in zip(stamps, rows):
        previous = max(previous, stamp if stamp is not None else previous)
        out.append(cri_line(previous, text, stream))
    return "".join(out)


def lines_with_ends(text: str) -> list[str]:
    """The lines of `text`, each with its `\n`: a runtime and the kubelet end a line at `\n` only (a `\r` or a
    `\x85` inside a log line is part of it, unlike `str.splitlines`)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def parse_cri(data: str) -> list[Entry]:
    """The lines of a CRI log file; a line that is not in the format is skipped, as the kubelet skips it."""
    entries = []
    for line in lines_with_ends(data):
        stamp_text, _, rest = line.partition(" ")
        stream, _, rest = rest.partition(" ")
        tag, _, text = rest.partition(" ")
        if stream not in ("stdout", "stderr") or not tag:
            continue
        try:
            stamp = parse_stamp(stamp_text)
        except ValueError:
            continue
        if tag.split(":")[0] == "P":
            text = text.rstrip("\n")
        elif not text.endswith("\n"):
            text += "\n"  # the last line of a file being written: the kubelet still serves it
        entries.append(Entry(stamp, stream, text))
    return entries


def append_line(path: Path, text: str, now: datetime) -> str:
    """Append one line to a CRI file, stamped `now` (or the last line's stamp if the clock went back), as the
    runtime writes what the container prints; one write, so a concurrent reader sees whole lines."""
    last = 0
    if path.exists():
        entries = parse_cri(path.read_text(encoding="utf-8", errors="replace"))
        last = entries[-1].stamp if entries else 0
    line = cri_line(max(to_ns(now), last), text)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    return line


def rotate(current: Path, previous: Path) -> None:
    """A container restart: its log becomes the previous one (the kubelet keeps one) and a new, empty log starts."""
    if current.exists():
        os.replace(current, previous)
    current.write_text("")


@dataclass(frozen=True)
class LogQuery:
    """What a log request asks for, validated: None means "not given"."""

    tail: int | None = None
    since: int | None = None  # ns since the epoch: the later of now − sinceSeconds and sinceTime
    timestamps: bool = False
    limit_bytes: int | None = None
    previous: bool = False


_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def _bool(params: dict[str, str], key: str) -> bool:
    value = params.get(key, "")
    if value == "" or value in _FALSE:
        return False
    if value in _TRUE:
        return True
    raise BadLogOptions(400, f'strconv.ParseBool: parsing "{value}": invalid syntax')


def _int(params: dict[str, str], key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise BadLogOptions(400, f'strconv.ParseInt: parsing "{value}": invalid syntax') from None


def query(params: dict[str, str], pod: str, now: datetime) -> LogQuery:
    """The request's options, checked as the API server checks them (ValidatePodLogOptions)."""
    tail, limit, since_seconds = _int(params, "tailLines"), _int(params, "limitBytes"), _int(params, "sinceSeconds")
    since_time = None
    if params.get("sinceTime"):
        try:
            since_time = parse_stamp(params["sinceTime"]) // _NS * _NS  # forwarded to the kubelet as RFC3339
        except ValueError:
            raise BadLogOptions(
                400, f'parsing time "{params["sinceTime"]}" as "2006-01-02T15:04:05Z07:00": cannot parse'
            ) from None
    causes: list[tuple[str, str]] = []
    if tail is not None and tail < 0:
        causes.append(("tailLines", f"Invalid value: {tail}: must be greater than or equal to 0"))
    if limit is not None and limit < 1:
        causes.append(("limitBytes", f"Invalid value: {limit}: must be greater than 0"))
    if since_seconds is not None and since_time is not None:
        causes.append(("", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif since_seconds is not None and since_seconds < 1:
        causes.append(("sinceSeconds", f"Invalid value: {since_seconds}: must be greater than 0"))
    if causes:
        listed = [f"{field}: {message}" for field, message in causes]
        text = listed[0] if len(listed) == 1 else "[" + ", ".join(listed) + "]"
        raise BadLogOptions(422, f'PodLogOptions "{pod}" is invalid: {text}', causes)
    since = None
    if since_seconds is not None:
        since = to_ns(now) - since_seconds * _NS
    if since_time is not None and (since is None or since_time > since):
        since = since_time
    return LogQuery(tail, since, _bool(params, "timestamps"), limit, _bool(params, "previous"))


def read(data: str, options: LogQuery) -> str:
    """What the kubelet answers for a CRI file's content: tail, since, timestamps, then the byte limit."""
    entries = parse_cri(data)
    if options.tail is not None:
        entries = entries[len(entries) - options.tail :] if options.tail else []
    out: list[str] = []
    for entry in entries:
        if options.since is not None and entry.stamp < options.since:
            continue
        out.append(f"{format_stamp(entry.stamp)} {entry.text}" if options.timestamps else entry.text)
    text = "".join(out)
    if options.limit_bytes is not None:
        text = text.encode()[: options.limit_bytes].decode("utf-8", "ignore")
    return text
