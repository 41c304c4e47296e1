"""kube-ovn-controller log lines as operators paste them: klog lines, `kubectl logs --timestamps`, container
runtime files (`<RFC3339> stderr F …`), or a log store's export holding those lines.

Two GC lines are understood (`gc_lines.py`): `lsp lost for pod <name>…` and `gc logical switch port <name>`,
from `gc.go` only (pod.go logs the same deletion text for other reasons in v1.9.23–v1.12.35). Two more say a GC
cycle ended early (`log_events.py`): `failed to delete lsp <name>: <error>` (gc.go) and `gc lsp error:
<error>` (controller.go, no port name). klog carries no
year and no zone: a leading RFC3339 timestamp wins; else UTC and the current year are assumed (the previous
year for a date later than now), and `year_assumed` says so. Every other line is counted, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from kubectl_ovn_lsp.model import json_text
from kubectl_ovn_lsp.model.gc_lines import ReleaseRange, releases
from kubectl_ovn_lsp.model.log_events import DELETE_FAILED, DELETED, GC_ERROR, IP_KEPT, LOST, MIGRATION_SKIPPED

_KLOG_RE = re.compile(
    r"(?P<severity>[IWEF])(?P<month>\d\d)(?P<day>\d\d) (?P<time>\d\d:\d\d:\d\d(?:\.\d+)?)\s+(?P<thread>\d+) "
    r"(?P<file>[^:\s\]]+):(?P<line>\d+)\] (?P<message>.*)$"
)
_RFC3339_RE = re.compile(r"^\s*(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s")
_LOST_RE = re.compile(r"^lsp lost for pod (?P<name>\S+?), please delete the pod and retry\s*$")
_DELETED_RE = re.compile(r"^gc logical switch port (?P<name>\S+?)(?: with uuid (?P<uuid>[0-9a-f-]+))?\s*$")
_FAILED_RE = re.compile(r"^failed to delete lsp (?P<name>\S+?): (?P<error>.*?)\s*$")
_GC_ERROR_RE = re.compile(r"^gc lsp error: (?P<error>.*?)\s*$")
_SKIPPED_RE = re.compile(
    r"^VM pod (?P<ns>[^/\s]+)/(?P<pod>\S+) migration setup skipped, source node: (?P<src>\S*), target node: "
    r"(?P<dst>\S*) \(migration job UID: (?P<uid>[^)]*)\)\s*$"
)
_KEPT_RE = re.compile(
    r"^deleting pod (?P<ns>[^/\s]+)/(?P<pod>\S+) net-attach-def (?P<nad>\S+) not found and cannot determine "
    r"subnet, gc will clean its ip cr\s*$"
)


@dataclass(frozen=True)
class GcLine:
    """One understood GC line."""

    event: str  # lost | deleted | delete-failed | gc-error | migration-skipped | ip-kept
    name: str  # the port name ("" for gc-error; "<ns>/<pod>" for migration-skipped until triage resolves it)
    severity: str  # klog's letter: E for lsp lost, I for a deletion
    line: int  # gc.go:<line> (controller.go:<line> for gc-error)
    when: datetime | None
    year_assumed: bool
    error: str = ""  # the error of a failed delete or of the cycle

    @property
    def releases(self) -> list[ReleaseRange]:
        return releases(self.event, self.line)


@dataclass
class LogScan:
    """What a log held: the GC lines understood, how many klog lines there were, how many lines were skipped."""

    lines: list[GcLine] = field(default_factory=list)
    klog_lines: int = 0  # lines in klog format (any component): zero means this is not a controller log
    skipped: int = 0  # every line that is not an understood GC line
    before_since: int = 0  # understood GC lines older than --since
    gc_lines: int = 0  # understood GC lines kept (in `lines`, or handed to the sink)
    year_assumed: bool = False


def rfc3339(text: str) -> datetime:
    """RFC 3339 with up to nanoseconds (kubelet's RFC3339Nano); Python 3.10's fromisoformat takes 6 digits."""
    text = text.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[: min(digits, 6)].ljust(6, '0')}{rest[digits:]}"
    return datetime.fromisoformat(text)


def _klog_time(match: re.Match[str], now: datetime) -> datetime | None:
    try:
        clock = datetime.strptime(match.group("time").split(".")[0], "%H:%M:%S")
        micro = int((match.group("time").split(".") + ["0"])[1][:6].ljust(6, "0"))
        when = datetime(
            now.year,
            int(match.group("month")),
            int(match.group("day")),
            clock.hour,
            clock.minute,
            clock.second,
            micro,
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None
    if when > now + timedelta(days=1):
        when = when.replace(year=now.year - 1)
    return when


def _unwrap_json(text: str) -> str:
    """A log store's JSON line (`{"log": "E0319 …", "time": "2026-…"}`, also `message`/`msg` and
    `timestamp`/`@timestamp`) as the `<time> <line>` text the other forms have; any other text unchanged."""
    if not text.lstrip().startswith("{"):
        return text
    try:
        record = json_text.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    line = next((record[k] for k in ("log", "message", "msg") if isinstance(record.get(k), str)), None)
    if line is None:
        return text
    stamp = next((record[k] for k in ("time", "timestamp", "@timestamp") if isinstance(record.get(k), str)), "")
    return f"{stamp} {line}" if _RFC3339_RE.match(f"{stamp} ") else line


def parse_line(text: str, now: datetime) -> tuple[GcLine | None, bool]:
    """(the GC line, or None; whether the text is a klog line at all)."""
    text = _unwrap_json(text)
    match = _KLOG_RE.search(text.rstrip("\r\n"))
    if match is None:
        return None, False
    found = _understood(match.group("file"), match.group("message"))
    if found is None:
        return None, True
    event, name, error = found
    stamp = _RFC3339_RE.match(text)
    when: datetime | None
    assumed = stamp is None
    if stamp:
        when = rfc3339(stamp.group("ts")).astimezone(timezone.utc)
    else:
        when = _klog_time(match, now)
    return GcLine(event, name, match.group("severity"), int(match.group("line")), when, assumed, error), True


def _understood(file: str, message: str) -> tuple[str, str, str] | None:
    """(event, port name, error) of a line this module reads, by file: gc.go's lost, deleted and failed-delete
    lines, controller.go's `gc lsp error`."""
    if file == "controller.go":
        failed = _GC_ERROR_RE.match(message)
        return (GC_ERROR, "", failed.group("error")) if failed else None
    if file == "kubevirt.go":  # named by the target pod: the triage resolves it to its VM's ports
        skipped = _SKIPPED_RE.match(message)
        if skipped is None:
            return None
        nodes = f"source node {skipped.group('src') or '(none)'}, target node {skipped.group('dst') or '(none)'}"
        return MIGRATION_SKIPPED, f"{skipped.group('ns')}/{skipped.group('pod')}", nodes
    if file == "pod.go":  # the IPAM-only IP CR it keeps: <pod>.<ns>.<nad>.<ns> (the NAD in the pod's namespace)
        kept = _KEPT_RE.match(message)
        if kept is None:
            return None
        ns = kept.group("ns")
        return IP_KEPT, f"{kept.group('pod')}.{ns}.{kept.group('nad')}.{ns}", f"net-attach-def {kept.group('nad')}"
    if file != "gc.go":
        return None
    for event, pattern in ((LOST, _LOST_RE), (DELETED, _DELETED_RE), (DELETE_FAILED, _FAILED_RE)):
        found = pattern.match(message)
        if found:
            return event, found.group("name"), found.groupdict().get("error") or ""
    return None


def scan(
    lines: Iterable[str], now: datetime, since: datetime | None = None, sink: Callable[[GcLine], None] | None = None
) -> LogScan:
    """Every understood GC line (at or after `since` when the line's time is known), kept in `LogScan.lines`, or
    handed to `sink` as it is read (then the scan holds counts only: a streamed log of any size costs memory for
    what the sink keeps, `triage.NameGroups`: one summary per port name)."""
    result = LogScan()
    take = result.lines.append if sink is None else sink
    for text in lines:
        found, is_klog = parse_line(text, now)
        result.klog_lines += is_klog
        if found is None:
            result.skipped += 1
            continue
        if since is not None and found.when is not None and found.when < since:
            result.before_since += 1  # a GC line, older than --since: not "another line"
            continue
        result.year_assumed = result.year_assumed or found.year_assumed
        result.gc_lines += 1
        take(found)
    return result


MAX_LINE = 1 << 20  # bytes; a klog GC line is ~120: a longer "line" (a binary file, /dev/zero) is skipped whole


@dataclass
class LineSplit:
    """Bytes in (chunks, as a file or a pod log arrives), text lines out, ending at `\\n` only (as a container
    runtime and `kubectl logs` end them: a `\\r` or `\\x85` inside a line is part of it; a trailing `\\r` is dropped).

    Memory is a chunk plus one line at most (`max_line` bytes, characters once decoded): a longer line is counted
    in `long_lines` and dropped as it arrives. `limit` (`--limit-bytes`) stops reading after that many bytes, as
    the kubelet's `limitBytes` does; a line cut there is dropped (a cut port name would name another port) and
    `cut_line` says so. Undecodable bytes become U+FFFD. Use: `for line in split.lines(chunks)`, then read the
    counts."""

    limit: int | None = None
    max_line: int = MAX_LINE
    bytes_read: int = 0
    long_lines: int = 0
    cut_line: bool = False  # the line in progress at the limit was dropped

    @property
    def reached(self) -> bool:
        """Reading stopped at `limit` (a pod log the kubelet cut there reads exactly `limit` bytes, too)."""
        return self.limit is not None and self.bytes_read >= self.limit

    def lines(self, chunks: Iterable[bytes]) -> Iterator[str]:
        pending = b""  # the start of a line whose end has not arrived yet
        dropping = False  # the line in progress is longer than max_line: skip to its end
        for chunk in chunks:
            if self.limit is not None and self.bytes_read + len(chunk) > self.limit:
                chunk = chunk[: self.limit - self.bytes_read]
            self.bytes_read += len(chunk)
            last = chunk.rfind(b"\n")
            if last < 0:
                dropping, pending = self._hold(dropping, pending, chunk)
            else:
                # whole lines: one decode and one split for the block (a \n byte is never inside a UTF-8 character)
                lines = _decode(pending + chunk[:last] if not dropping else chunk[:last]).split("\n")
                if dropping:
                    self.long_lines += 1
                    lines = lines[1:]
                for line in lines:
                    if len(line) > self.max_line:
                        self.long_lines += 1
                    else:
                        yield line.removesuffix("\r")
                dropping, pending = self._hold(False, b"", chunk[last + 1 :])
            if self.reached:
                break  # nothing after the limit is read
        if pending and self.reached:
            self.cut_line = True
        elif pending:
            yield _decode(pending).removesuffix("\r")  # a last line without `\n`
        elif dropping:
            self.long_lines += 1

    def _hold(self, dropping: bool, pending: bytes, rest: bytes) -> tuple[bool, bytes]:
        """Keep the start of a line until its end arrives, unless it is already longer than max_line."""
        if dropping or len(pending) + len(rest) > self.max_line:
            return True, b""
        return False, pending + rest


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")
