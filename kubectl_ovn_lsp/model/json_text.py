"""JSON text from outside (an API reply, an annotation, a NAD config, an NB reply, a log store's line) decoded
with one rule: nesting too deep for the decoder is a `ValueError` like any other malformed JSON.

The standard library's decoder recurses once per nested array or object and raises `RecursionError` past the
interpreter's limit (~1,000 levels), which is no `ValueError`: every `except ValueError` around `json.loads`
would let it through as an internal error. kube-apiserver accepts up to 10,000 levels (Go's encoding/json
`maxNestingDepth`, which sigs.k8s.io/json keeps), so a custom resource can legitimately hold more than Python
reads; such a reply is one clear error, not a crash.
"""

from __future__ import annotations

import json
from typing import Any


class TooDeep(ValueError):
    """JSON nested deeper than the decoder can follow."""


def loads(text: str | bytes) -> Any:
    """`json.loads`, with too-deep nesting raised as `TooDeep` (a ValueError)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise TooDeep("JSON nested too deeply to read (more than ~1,000 levels)") from None
