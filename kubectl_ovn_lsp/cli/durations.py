"""Durations as kubectl takes them (Go's time.ParseDuration subset: `90`, `10s`, `1m`, `2h30m`, `1.5h`)."""

from __future__ import annotations

import math
import re

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h)")
MAX_SECONDS = 86400.0  # one day: more is a typo, not a plan


def parse_duration(text: str, *, bare_unit: str = "s") -> float:
    """Seconds. A bare number is in `bare_unit`; raises ValueError for anything else, negative or non-finite."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        pos, total = 0, 0.0
        for match in _PART.finditer(text):
            if match.start() != pos:
                break
            total += float(match.group(1)) * _UNITS[match.group(2)]
            pos = match.end()
        if pos != len(text) or not text:
            raise ValueError(f"expected a duration such as 30s, 5m or 1h, got {text!r}") from None
        value = total
    else:
        value *= _UNITS[bare_unit]
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"expected a duration such as 30s, 5m or 1h, got {text!r}")
    if value > MAX_SECONDS:
        raise ValueError(f"{text!r} is more than one day")
    return value
