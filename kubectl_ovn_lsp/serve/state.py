"""What `serve` knows between cycles, as one immutable `Snapshot` the cycle thread replaces and every HTTP request
reads: a scrape sees one cycle's values, never half of two, and takes no lock a cycle holds.

A failed cycle keeps the last document and view (the last values stay), adds to its step's error count, and
leaves `last_success` where it was (it ages). Counters of log lines only grow.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubectl_ovn_lsp.serve.metrics import DocumentView

STEPS = ("connect", "list", "nb", "replay", "logs")  # where a cycle can fail (`ovn_lsp_cycle_errors_total{step}`)

GcKey = tuple[str, str, str]  # event, verdict, reason

_GZIP = 31  # zlib's wbits for the gzip container (RFC 1952), what `Content-Encoding: gzip` carries


@dataclass(frozen=True)
class AuditJson:
    """The latest `Audit` document as compact JSON, kept gzip-compressed (level 1). Why: at 10,000 pods and
    50,000 ports the JSON is 21 MB and compresses to ~1 MB in ~40 ms; held as is, the monitor received 21 MB from
    every cycle and kept two of them while swapping, and its RSS grew 1.4x over 20 cycles. `/audit` sends the
    gzip bytes as they are to a client that accepts gzip, and inflates them in `chunks` for one that does not.

    `gzip`: the compressed bytes; `size`: the JSON's length in bytes."""

    gzip: bytes
    size: int

    @classmethod
    def pack(cls, text: bytes) -> AuditJson:
        packer = zlib.compressobj(1, zlib.DEFLATED, _GZIP)
        return cls(packer.compress(text) + packer.flush(), len(text))

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The JSON, at most `size` bytes at a time (never all of it at once)."""
        inflater = zlib.decompressobj(_GZIP)
        data = self.gzip
        while data:
            chunk = inflater.decompress(data, size)
            data = inflater.unconsumed_tail
            if chunk:
                yield chunk
        tail = inflater.flush()
        if tail:
            yield tail


@dataclass(frozen=True)
class Snapshot:
    view: DocumentView | None = None  # what the latest successful cycle's document gives /metrics
    document: AuditJson | None = None  # its Audit document (/audit)
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
