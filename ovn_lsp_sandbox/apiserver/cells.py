"""Cell values as kube-apiserver computes them: CRD printer-column JSONPath, human ages, `<none>`-able strings."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

_TOKEN_RE = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*['\"]([^'\"]*)['\"]\)\]")


def jsonpath(obj: Any, path: str) -> Any:
    """The subset CRD additionalPrinterColumns use: `.a.b`, `[0]`, `[?(@.type=='Ready')]`; None when absent."""
    cur = obj
    pos = 0
    while pos < len(path) and cur is not None:
        m = _TOKEN_RE.match(path, pos)
        if m is None:
            return None
        pos = m.end()
        key, index, fkey, fval = m.groups()
        if key is not None:
            cur = cur.get(key) if isinstance(cur, dict) else None
        elif index is not None:
            cur = cur[int(index)] if isinstance(cur, list) and int(index) < len(cur) else None
        else:
            items = cur if isinstance(cur, list) else []
            cur = next((x for x in items if isinstance(x, dict) and str(x.get(fkey)) == fval), None)
    return cur


def go_text(value: Any) -> str:
    """Render like Go's fmt.Fprint does for jsonpath results (`[a b]`, `true`), which kubectl users expect."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(go_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_text(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def human_duration(seconds: float) -> str:
    """k8s.io/apimachinery duration.HumanDuration, so AGE reads exactly like a real cluster's."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m" if s % 60 == 0 else f"{minutes}m{s % 60}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h" if minutes % 60 == 0 else f"{hours}h{minutes % 60}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return f"{hours // 24}d" if hours % 24 == 0 else f"{hours // 24}d{hours % 24}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if days == 0 else f"{hours // 24 // 365}y{days}d"
    return f"{hours // 24 // 365}y"


def age(timestamp: str | None) -> str:
    when = parse_time(timestamp)
    if when is None:
        return "<unknown>"
    return human_duration((datetime.now(timezone.utc) - when).total_seconds())


def or_none(value: Any) -> str:
    """kubectl's printers write `<none>` for empty strings."""
    return str(value) if value not in (None, "") else "<none>"
