"""Each cycle runs in a process of its own, forked from a fork server that imported the cycle's code once.

Why a process and not the monitor's own thread: a cycle at 50,000 ports builds ~300 MB of short-lived objects and
spends seconds in C code that holds the GIL (the JSON of every port, the document's JSON). In a thread, the
monitor would keep the heap's high-water mark and its fragmentation (RSS crept up cycle after cycle) and a scrape
would wait behind the GIL for seconds. In a child, the memory goes back to the system when it exits, the HTTP
threads keep the parent's GIL, and a cycle stuck in a call no timeout reaches (the exec WebSocket upgrade) is
killed at its deadline instead of hanging the monitor. The fork server (multiprocessing's "forkserver") is a
fresh single-threaded interpreter started once, before any cycle: forking it is cheap (~10 ms) and safe, unlike
forking the monitor, whose HTTP threads may hold locks.

Protocol over a one-way pipe: `("step", name)` as each step starts, then `("outcome", Outcome)`.
"""

from __future__ import annotations

import importlib
from multiprocessing.connection import Connection

from kubectl_ovn_lsp.options import ServeOptions
from kubectl_ovn_lsp.serve.cursor import Cursor
from kubectl_ovn_lsp.serve.logs import CursorKey

# what a cycle imports, loaded once in the fork server
PRELOAD = (
    "kubectl_ovn_lsp.commands.audit",
    "kubectl_ovn_lsp.serve.cycle",
    "kubectl_ovn_lsp.nb.backend",
    "kubectl_ovn_lsp.nb.exec",
    "kubectl_ovn_lsp.nb.direct",
    "kubectl_ovn_lsp.nb.transact",
    "kubernetes.client.api_client",
    "kubernetes.config",
    "kubernetes.stream.ws_client",
    "yaml",
)


def preload() -> None:
    for module in PRELOAD:
        importlib.import_module(module)


preload()  # at import: the fork server imports this module (set_forkserver_preload)


def child(conn: Connection, options: ServeOptions, cursors: dict[CursorKey, Cursor | None], first: bool) -> None:
    """The cycle process: run one cycle, send its steps and its outcome, exit."""
    import gc
    import sys

    from kubectl_ovn_lsp.environment import Environment
    from kubectl_ovn_lsp.serve.cycle import run_cycle

    gc.disable()  # short-lived and acyclic, as for audit: the process ends and frees everything
    env = Environment(stdout=sys.stdout, stderr=sys.stderr)
    outcome = run_cycle(options, env, cursors, first_log_cycle=first, on_step=lambda s: conn.send(("step", s)))
    conn.send(("outcome", outcome))
    conn.close()
