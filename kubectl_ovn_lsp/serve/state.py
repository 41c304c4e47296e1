"""What `serve` knows between cycles, as one immutable `Snapshot` the cycle thread replaces and every HTTP request
reads: a scrape sees one cycle's values, never half of two, and takes no lock a cycle holds.

A failed cycle keeps the last document and view (the last values stay), adds to its step's error count, and
leaves `last_success` where it was (it ages). Counters of log lines only grow.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubectl_ovn_lsp.serve.metrics import DocumentView

STEPS = ("connect", "list", "nb", "replay", "logs")  # where a cycle can fail (`ovn_lsp_cycle_errors_total{step}`)

GcKey = tuple[str, str, str]  # event, verdict, reason


@dataclass(frozen=True)
class Snapshot:
    view: DocumentView | None = None  # what the latest successful cycle's document gives /metrics
    document: bytes | None = None  # its Audit document as JSON (/audit)
    gc_lines: Mapping[GcKey, int] = field(default_factory=lambda: MappingProxyType({}))
    log_lines: int | None = None  # None: logs not read (--log-source none, or not yet)
    errors: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(dict.fromkeys(STEPS, 0)))
    last_success: float = 0.0  # Unix time the latest successful cycle ended
    last_duration: float | None = None
    cycles: int = 0
    running_since: float | None = None  # monotonic start of the cycle in flight
    deadline: float | None = None  # its budget in seconds (None: no limit)
    last_error: str = ""


class State:
    """The current snapshot; `update` replaces it under a lock (only the cycle thread writes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.snapshot = Snapshot()

    def update(self, **changes: object) -> Snapshot:
        with self._lock:
            self.snapshot = replace(self.snapshot, **changes)  # type: ignore[arg-type]
            return self.snapshot

    @property
    def ready(self) -> bool:
        return self.snapshot.document is not None

    def stuck_for(self, now: float, grace: float) -> float:
        """Seconds the cycle in flight has run past its deadline plus `grace` (0 when none is stuck)."""
        snap = self.snapshot
        if snap.running_since is None or snap.deadline is None:
            return 0.0
        return max(0.0, now - snap.running_since - snap.deadline - grace)
