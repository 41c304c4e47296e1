"""`kubectl ovn-lsp serve`: run a cycle every `--interval`, serve what the latest one found, stop on SIGTERM.

Threads: the main thread waits for SIGTERM/SIGINT; one HTTP thread accepts (one more per request); one cycle
thread starts each cycle in a process of its own (serve/worker.py says why) and waits for its outcome, so exactly
one cycle runs at a time and a scrape never starts one. Cycles start on a fixed period from the first
(`--interval`); one that takes longer than the period is followed at once by the next (periods are skipped, never
stacked); one that runs `KILL_GRACE` past its deadline is killed. Every failure is counted and logged, never the
end of the process: only a listen address that cannot be bound ends it (exit 1). SIGTERM (or SIGINT) kills the
cycle process in flight, stops the HTTP server and exits 0 at once.

One line per cycle on stderr: `<RFC 3339 time> cycle N ok in 1.23s: owners …; ports …; 2 new GC lines`, or
`… cycle N failed at <step>: <message>`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from types import FrameType, MappingProxyType
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.options import ServeOptions
from kubectl_ovn_lsp.serve.cursor import Cursor
from kubectl_ovn_lsp.serve.logs import CursorKey
from kubectl_ovn_lsp.serve.state import State

if TYPE_CHECKING:
    from kubectl_ovn_lsp.serve.cycle import Outcome

TICK = 0.2  # seconds: how soon a stop (SIGTERM) is noticed by the waiting threads
KILL_GRACE = 30.0  # seconds a cycle process may run past its deadline before it is killed


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

    context = _cycle_processes()
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
    running = Running()
    worker = threading.Thread(
        target=cycles, args=(options, env, state, stop, context, running), name="serve-cycles", daemon=True
    )
    worker.start()
    try:
        while not stop.is_set():
            time.sleep(TICK)  # a signal handler runs between sleeps; see `_sleep_until`
    finally:
        running.kill()
        server.shutdown()
        server.server_close()
        restore()
    log(env, "stopped")
    return 0


def _release_memory() -> None:
    """After a cycle: free the previous snapshot's garbage and hand the freed heap back to the system (glibc's
    `malloc_trim`; elsewhere nothing): a document's JSON is megabytes, received every cycle."""
    import contextlib
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _cycle_processes() -> BaseContext:
    """The multiprocessing context cycles run in (serve/worker.py says why a process per cycle): a fork server
    that preloads the cycle's code, started now so that the first cycle does not pay for its imports."""
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kubectl_ovn_lsp.serve.worker"])
    forkserver.ensure_running()
    return context


class Running:
    """The cycle process in flight, so that a stop kills it at once."""

    def __init__(self) -> None:
        self.process: BaseProcess | None = None

    def kill(self) -> None:
        process = self.process
        if process is not None and process.is_alive():
            process.kill()


def _cycle_process(
    conn: Connection, options: ServeOptions, cursors: dict[CursorKey, Cursor | None], first: bool
) -> None:
    """The target of a cycle process (here, not in worker.py, so the monitor never imports the cycle's code)."""
    from kubectl_ovn_lsp.serve.worker import child

    child(conn, options, cursors, first)


def run_in_process(
    context: BaseContext,
    options: ServeOptions,
    cursors: dict[CursorKey, Cursor | None],
    first: bool,
    seconds: float | None,
    stop: threading.Event,
    running: Running,
) -> Outcome:
    """One cycle in a process of its own; killed `KILL_GRACE` seconds past its deadline (a call no timeout reaches),
    or when the monitor stops. A process that ends without an answer (killed by the kernel) is a failure too."""
    from kubectl_ovn_lsp.serve.cycle import Outcome

    kube = replace(options.common.kube, request_timeout=seconds)  # seconds: the cycle starts its own Deadline
    payload = replace(options, common=replace(options.common, kube=kube))
    receive, send = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_cycle_process, args=(send, payload, cursors, first), name="serve-cycle", daemon=True
    )
    process.start()
    running.process = process
    send.close()
    step = "connect"
    limit = None if seconds is None else time.monotonic() + seconds + KILL_GRACE
    try:
        while not stop.is_set():
            if limit is not None and time.monotonic() > limit:
                return Outcome(
                    errors=[(step, f"the cycle did not end within {seconds:g}s (--request-timeout) and "
                                   f"{KILL_GRACE:g}s more: its process was killed")]
                )  # fmt: skip
            if not receive.poll(TICK):  # select() with a relative timeout (see `_sleep_until`)
                continue
            try:
                kind, value = receive.recv()
            except EOFError:
                process.join(5)
                return Outcome(
                    errors=[(step, f"the cycle process ended without an answer (exit code {process.exitcode})")]
                )
            if kind == "step":
                step = value
            else:
                return value  # type: ignore[no-any-return]
        return Outcome()  # stopping: nothing to report
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        running.process = None


def _stop_on_signals(stop: threading.Event) -> Callable[[], object]:
    """SIGTERM and SIGINT set `stop` (only the main thread may install handlers: elsewhere, as in tests, none)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    return lambda: [signal.signal(sig, old) for sig, old in previous.items()]


def cycles(
    options: ServeOptions,
    env: Environment,
    state: State,
    stop: threading.Event,
    context: BaseContext,
    running: Running,
) -> None:
    """The cycle loop (until `stop`), each cycle in a process of its own (`run_in_process`)."""
    from kubectl_ovn_lsp.deadline import Deadline
    from kubectl_ovn_lsp.serve.cycle import Outcome

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
            outcome = run_in_process(context, options, cursors, not logs_read, seconds, stop, running)
        except Exception as exc:  # noqa: BLE001 -- a cycle never ends the monitor; this is the last guard
            outcome = Outcome(errors=[("replay", f"internal error: {type(exc).__name__}: {exc}")])
        if stop.is_set():
            return
        _release_memory()
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
