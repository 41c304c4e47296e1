"""One time budget for a whole command: `--request-timeout` as kubectl users read it.

Why one object and not a number per call: a per-request timeout lets the kubernetes client's retries (urllib3
tries a GET four times) and a chain of calls (discovery, lists, exec, NB) add up to many times what the user
gave. A `Deadline` is created once per command, when the flags are parsed; every edge (Kubernetes API, exec,
direct NB, TLS probes) asks it for the time that is *left* before each blocking step and gives up with
`Timeout` when nothing is left. Library gaps that no timeout reaches (a hung DNS lookup, the WebSocket
upgrade of `exec`, a server that trickles bytes) are covered by a watchdog: while a guarded step is in flight
and the budget plus a small grace has passed, it prints the one `error:` line and ends the process.

Local work is a step like any request: reading the kubeconfig, an exec credential plugin, reading `triage -f`'s
file, the replay (`checked` looks at the clock every few hundred owners). So the budget bounds the whole command,
and the message names the step that was running, never a later one that merely found the budget spent: when the
step that ran out had used less than half of the budget, the message also names what had taken most of it
(`…; reading "big.log" had taken 9.7s of it`). Writing the output is not bounded (a reader may page slowly).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from kubectl_ovn_lsp.errors import Timeout, one_line

T = TypeVar("T")

MAX_SECONDS = 86400.0  # one day: a larger budget is a typo, not a wish
HARD_STOP_GRACE = 1.0
_DURATION_RE = re.compile(r"(?:(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s))+")
_PART_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s)")
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


class BadDuration(ValueError):
    """A `--request-timeout` value that is not a number of seconds or a Go duration within one day."""


def parse_duration(text: str, *, limit: float | None = MAX_SECONDS) -> float | None:
    """kubectl's forms: `10` (seconds), `10s`, `1m`, `1m30s`, `500ms`, `1h`; `0` means no limit (None).

    Negative, non-finite (`nan`, `inf`) and values above one day raise BadDuration: each of them would
    otherwise build a deadline that is never checked or an exec argv the allowlist rejects.
    """
    value = text.strip()
    if not value:
        raise BadDuration("expected a duration such as 10, 10s or 1m, got ''")
    if value.startswith("-") and value not in ("-0", "-0s"):
        raise BadDuration(f"must not be negative, got {text!r}")
    if _DURATION_RE.fullmatch(value.lstrip("+")):
        seconds = sum(float(n) * _UNITS[u] for n, u in _PART_RE.findall(value))
    else:
        try:
            seconds = float(value)
        except ValueError:
            raise BadDuration(f"expected a duration such as 10, 10s or 1m, got {text!r}") from None
        if not math.isfinite(seconds):
            raise BadDuration(f"expected a finite number of seconds, got {text!r}")
    if seconds < 0:
        raise BadDuration(f"must not be negative, got {text!r}")
    if limit is not None and seconds > limit:
        raise BadDuration(f"must be at most one day (86400s, 24h), got {text!r}")
    return None if seconds == 0 else seconds


GO_MAX_DURATION_NS = (1 << 63) - 1  # Go's time.Duration is int64 nanoseconds: 2562047h47m16.854775807s
_NANOSECONDS = {"h": 3600 * 10**9, "m": 60 * 10**9, "s": 10**9, "ms": 10**6}


def beyond_go_duration(text: str) -> bool:
    """Whether a duration `parse_duration` accepted is longer than Go's largest (kubectl's `--since` then says
    `time: invalid duration "…"`): exact, in nanoseconds, each part's fraction truncated as `time.ParseDuration`
    truncates it (a float's 15 digits cannot tell 2562047h47m16.854775807s from one nanosecond more)."""
    from decimal import Decimal

    value = text.strip().lstrip("+")
    parts = _PART_RE.findall(value) if _DURATION_RE.fullmatch(value) else [(value, "s")]
    return sum(int(Decimal(number) * _NANOSECONDS[unit]) for number, unit in parts) > GO_MAX_DURATION_NS


def format_seconds(seconds: float | None) -> str:
    """`3s`, `1.5s`, `60s`; `no limit` for None."""
    return "no limit" if seconds is None else f"{seconds:g}s"


class Deadline:
    """The time left of one command's budget; `seconds=None` is no limit (`--request-timeout 0`).

    Edges call `timeout(what)` right before each blocking step (it raises `Timeout` once the budget is
    spent) and run the step inside `guard(what)` so the watchdog can name it if a library ignores the time.
    """

    def __init__(
        self,
        seconds: float | None,
        *,
        hard_stop: bool = False,
        grace: float = HARD_STOP_GRACE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.hard_stop = hard_stop
        self.grace = grace
        self._clock = clock
        self.started = clock()
        self._in_flight: list[tuple[str, bool, float]] = []  # (what, local, started)
        self._spent: dict[str, float] = {}  # step → seconds, of the steps that ended
        self._cleanups: list[Callable[[], None]] = []
        self._watchdog: threading.Timer | None = None

    @classmethod
    def of(cls, value: float | Deadline | None) -> Deadline:
        """A Deadline as given, or a fresh one of `value` seconds (None or 0: no limit)."""
        if isinstance(value, Deadline):
            return value
        return cls(float(value) if value else None)

    @property
    def budget(self) -> str:
        """The budget as the user gave it, for messages: `3s`."""
        return format_seconds(self.seconds)

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None without a limit."""
        if self.seconds is None:
            return None
        return max(0.0, self.seconds - (self._clock() - self.started))

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def error(self, what: str, *, local: bool = False) -> Timeout:
        """The one-line error for a step that did not finish within the budget: `did not answer` (a server),
        `did not finish` (`local` work); plus what had taken most of the budget when `what` itself took less than
        half of it."""
        return Timeout(
            what=what,
            seconds=f"{self.seconds:g}" if self.seconds is not None else "∞",
            verb="finish" if local else "answer",
            before=self._before(what),
        )

    def _before(self, what: str) -> str:
        if self.seconds is None:
            return ""
        now = self._clock()
        spent = dict(self._spent)
        own = spent.pop(what, 0.0) + sum(now - started for step, _, started in self._in_flight if step == what)
        if own >= self.seconds / 2:
            return ""
        mine = [started for step, _, started in self._in_flight if step == what]
        for step, _, started in self._in_flight:
            if step != what and not (mine and started <= min(mine)):  # a step enclosing `what` is not "before" it
                spent[step] = spent.get(step, 0.0) + now - started
        counted = sum(spent.values()) + own
        spent["local work"] = max(0.0, (now - self.started) - counted)  # parsing, replaying: no step of its own
        step, seconds = max(spent.items(), key=lambda item: item[1])
        if seconds < self.seconds / 4:
            return ""
        return f"; {step} had taken {seconds:.1f}s of it"

    def timeout(self, what: str, floor: float = 0.001, *, local: bool = False) -> float | None:
        """The time the next blocking step may take (at least `floor`), or None without a limit.
        Raises Timeout naming `what` when the budget is already spent."""
        left = self.remaining()
        if left is None:
            return None
        if left <= 0:
            raise self.error(what, local=local)
        return max(floor, left)

    def checked(self, items: Iterable[T], what: str, every: int = 256) -> Iterator[T]:
        """`items`, looking at the clock every `every` of them: local work (the replay of 100k owners) raises
        Timeout naming `what` (`did not finish`) once the budget is spent, and counts as that step."""
        with self.guard(what, local=True):
            for count, item in enumerate(items):
                if count % every == 0:
                    self.timeout(what, local=True)
                yield item

    def whole_seconds(self, cap: float = MAX_SECONDS) -> int:
        """The remaining time rounded up to whole seconds (at least 1), for tools that take whole seconds
        (`ovsdb-client --timeout=N`); `cap` without a limit."""
        left = self.remaining()
        return int(cap) if left is None else max(1, min(int(cap), math.ceil(left)))

    def on_hard_stop(self, cleanup: Callable[[], None]) -> None:
        """Run `cleanup` (e.g. remove a temp dir holding a key) if the watchdog has to end the process."""
        self._cleanups.append(cleanup)

    @contextmanager
    def guard(self, what: str, *, local: bool = False, step: str | None = None) -> Iterator[None]:
        """Mark `what` as in flight (`local`: work on this machine, `did not finish`); with `hard_stop`, the
        watchdog ends the process if it is still in flight `grace` seconds after the budget ran out. Its time
        counts towards `step` (default `what`; e.g. every API GET towards "Kubernetes API requests")."""
        entry = (what, local, self._clock())
        self._in_flight.append(entry)
        self._arm()
        try:
            yield
        finally:
            self._in_flight.remove(entry)
            label = step or what
            self._spent[label] = self._spent.get(label, 0.0) + self._clock() - entry[2]

    def cancel(self) -> None:
        """Stop the watchdog (the command is done with the network)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def _arm(self) -> None:
        if not self.hard_stop or self.seconds is None or self._watchdog is not None:
            return
        left = self.remaining() or 0.0
        self._watchdog = threading.Timer(left + self.grace, self._fire)
        self._watchdog.daemon = True
        try:
            self._watchdog.start()
        except RuntimeError:  # no thread to be had (ulimit -v, a pids limit): the edges' own timeouts remain
            self._watchdog = None
            self.hard_stop = False

    def _fire(self) -> None:
        if not self._in_flight:
            return
        try:
            what, local, _ = self._in_flight[-1]
            sys.stderr.write(f"error: {one_line(str(self.error(what, local=local)))}\n")
            sys.stderr.flush()
            for cleanup in self._cleanups:
                with contextlib.suppress(Exception):  # best effort on the way out
                    cleanup()
        finally:
            os._exit(1)
