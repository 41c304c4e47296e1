"""Findings on objects younger than a minute are marked transient (docs/contracts.md, "One replay, three views").

The controller works through its queues and GC runs every `--gc-interval`: a pod, VM, node or Vip created seconds
before the read may simply not have been handled yet, so its finding is said to be provisional, in its detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from kubectl_ovn_lsp.model.gc_pods import parse_time
from kubectl_ovn_lsp.model.snapshot import NO_PORT, OK, Judgement

TRANSIENT_SECONDS = 60


def youngest(objects: Iterable[tuple[str, Mapping[str, Any] | None]], now: datetime) -> tuple[str, int] | None:
    """(label, age in whole seconds) of the most recently created object when it is under a minute old."""
    found: tuple[str, int] | None = None
    for label, obj in objects:
        if not obj:
            continue
        try:
            created = parse_time((obj.get("metadata") or {}).get("creationTimestamp"))
        except (TypeError, ValueError):
            continue
        if created is None:
            continue
        age = int((now - created).total_seconds())
        if 0 <= age < TRANSIENT_SECONDS and (found is None or age < found[1]):
            found = (label, age)
    return found


def mark_transient(
    judgement: Judgement, objects: Iterable[tuple[str, Mapping[str, Any] | None]], now: datetime
) -> Judgement:
    """The judgement with every finding (not ok, not no-port, not already FP9) marked transient when one of the
    owner's objects is under a minute old; unchanged otherwise."""
    young = youngest(objects, now)
    if young is None:
        return judgement
    label, age = young
    note = (
        f"transient: {label} was created {age} s before the read, the controller may not have handled it "
        "yet; check again"
    )
    ports = tuple(
        replace(p, detail=f"{p.detail}; {note}") if p.verdict not in (OK, NO_PORT) and p.reason != "FP9" else p
        for p in judgement.ports
    )
    return replace(judgement, ports=ports)
