"""`kubectl ovn-lsp serve`: run a cycle every `--interval`, serve what the latest one found, stop on SIGTERM.

Threads: the main thread waits for SIGTERM/SIGINT; one HTTP thread accepts (one more per request); one cycle
thread runs the cycles, so exactly one cycle runs at a time and a scrape never starts one. Cycles start on a
fixed period from the first (`--interval`); one that takes longer than the period is followed at once by the next
(periods are skipped, never stacked). Every failure is counted and logged, never the end of the process: only a
listen address that cannot be bound ends it (exit 1). SIGTERM (or SIGINT) stops the HTTP server and exits 0 at
once, even mid-cycle (the cycle thread is a daemon; nothing it holds needs flushing).

One line per cycle on stderr: `<RFC 3339 time> cycle N ok in 1.23s: owners …; ports …; 2 new GC lines`, or
`… cycle N failed at <step>: <message>`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from types import FrameType, MappingProxyType

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.options import ServeOptions
from kubectl_ovn_lsp.serve.cursor import Cursor
from kubectl_ovn_lsp.serve.logs import CursorKey
from kubectl_ovn_lsp.serve.state import State

TICK = 0.2  # seconds: how soon a stop (SIGTERM) is noticed by the waiting threads


class CannotListen(PluginError):
    message = "cannot listen on %(address)s: %(reason)s"


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}"


def run(options: ServeOptions, env: Environment) -> int:
    """Serve until SIGTERM/SIGINT; returns 0 then. Raises CannotListen when the address cannot be bound."""
    from prometheus_client import CollectorRegistry, ProcessCollector

    from kubectl_ovn_lsp.serve.http import application, serve_http
    from kubectl_ovn_lsp.serve.metrics import Collector

    _preload()
    state = State()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(state))
    ProcessCollector(registry=registry)  # process_resident_memory_bytes, CPU seconds, open fds, start time
    where = address(options.listen_host, options.listen_port)
    try:
        server = serve_http(options.listen_host, options.listen_port, application(state, registry))
    except OSError as exc:
        raise CannotListen(address=where, reason=exc.strerror or str(exc)) from None
    stop = threading.Event()
    restore = _stop_on_signals(stop)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="serve-http", daemon=True).start()
    port = server.server_address[1]
    log(
        env,
        f"serving http://{address(options.listen_host, port)} (/metrics /healthz /readyz /audit), "
        f"a cycle every {options.interval:g}s",
    )
    worker = threading.Thread(target=cycles, args=(options, env, state, stop), name="serve-cycles", daemon=True)
    worker.start()
    try:
        while not stop.is_set():
            time.sleep(TICK)  # a signal handler runs between sleeps; see `_sleep_until`
    finally:
        server.shutdown()
        server.server_close()
        restore()
    log(env, "stopped")
    return 0


def _preload() -> None:
    """Import what a cycle runs, here in the main thread: the first cycle's duration is a cycle's, not the
    imports'. `model.bands` first: it and `model.settings` import each other, and only that order works (#19)."""
    import importlib

    for module in ("kubectl_ovn_lsp.model.bands", "kubectl_ovn_lsp.commands.audit", "kubectl_ovn_lsp.serve.cycle"):
        importlib.import_module(module)


def _stop_on_signals(stop: threading.Event) -> Callable[[], object]:
    """SIGTERM and SIGINT set `stop` (only the main thread may install handlers: elsewhere, as in tests, none)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    return lambda: [signal.signal(sig, old) for sig, old in previous.items()]


def cycles(options: ServeOptions, env: Environment, state: State, stop: threading.Event) -> None:
    """The cycle loop (until `stop`)."""
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.serve.cycle import Outcome, run_cycle

    budget = options.common.kube.request_timeout
    seconds = budget.seconds if isinstance(budget, Deadline) else budget
    cursors: dict[CursorKey, Cursor | None] = {}
    logs_read = False
    due = time.monotonic()
    number = 0
    while not stop.is_set():
        number += 1
        started = time.monotonic()
        state.update(running_since=started, deadline=seconds)
        try:
            outcome = run_cycle(options, env, cursors, first_log_cycle=not logs_read)
        except Exception as exc:  # noqa: BLE001 -- run_cycle catches a cycle's failures; this is the last guard
            outcome = Outcome(errors=[("replay", f"internal error: {type(exc).__name__}: {exc}")])
        took = time.monotonic() - started
        snap = state.snapshot
        changes: dict[str, object] = {"running_since": None, "last_duration": took, "cycles": snap.cycles + 1}
        if outcome.errors:
            errors = Counter(snap.errors)
            errors.update({step for step, _ in outcome.errors})  # a step counts once per cycle
            changes["errors"] = MappingProxyType(dict(errors))
            changes["last_error"] = f"cycle {number} failed at {outcome.errors[0][0]}: {outcome.errors[0][1]}"
        if outcome.view is not None:
            changes.update(view=outcome.view, document=outcome.document, last_success=time.time())
        if outcome.cursors is not None:
            cursors = outcome.cursors
            if logs_read:
                gc_lines = Counter(snap.gc_lines)
                gc_lines.update(outcome.gc_lines)
                changes["gc_lines"] = MappingProxyType(dict(gc_lines))
            changes["log_lines"] = (snap.log_lines or 0) + (outcome.log_lines if logs_read else 0)
            logs_read = True
        state.update(**changes)
        _log_cycle(env, number, took, outcome)
        due = max(due + options.interval, time.monotonic())  # a late cycle skips periods, never stacks them
        _sleep_until(due, stop)


def _sleep_until(due: float, stop: threading.Event) -> None:
    """Sleep until the monotonic time `due` or `stop`, in slices of `TICK`. Not `stop.wait(timeout)`: a lock's
    timed wait takes an absolute deadline on CLOCK_MONOTONIC (sem_clockwait), which libfaketime (the clock tests)
    does not shift, so it would wait a year; `time.sleep` is shifted and a signal interrupts it."""
    while not stop.is_set():
        left = due - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, TICK))


def _log_cycle(env: Environment, number: int, took: float, outcome: object) -> None:
    from kubectl_ovn_lsp.serve.cycle import Outcome

    assert isinstance(outcome, Outcome)
    for step, message in outcome.errors:
        log(env, f"cycle {number} failed at {step}: {message}")
    if outcome.view is None:
        return
    parts = [
        f"{kind} " + ", ".join(f"{verdict} {count}" for verdict, count in sorted(counts.items()))
        for kind, counts in outcome.summary.items()
    ]
    lines = sum(outcome.gc_lines.values())
    tail = f"; {lines} new GC line{'s' if lines != 1 else ''}" if outcome.cursors is not None else ""
    log(env, f"cycle {number} ok in {took:.2f}s: {'; '.join(parts)}{tail}")
    for note in outcome.notes:
        log(env, f"cycle {number} note: {note}")


def log(env: Environment, text: str) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        env.stderr.write(f"{stamp} {text}\n")
        env.stderr.flush()
    except (OSError, ValueError):  # a closed or full stderr never stops the monitor
        pass
