"""List chunking (`limit`/`continue`) as a client can observe it from kube-apiserver.

What clients see and this module reproduces: `metadata.continue` is an opaque base64 token (kube-apiserver's
is JSON `{"v":"meta.k8s.io/v1","rv":…,"start":"<key>\\u0000"}`), present while more items remain;
`metadata.remainingItemCount` is set only when no selector filters the list; with a label or field selector a
page may hold fewer items than `limit` (the storage reads `limit` keys, then filters); a token that is not
valid gives 400 BadRequest; a token older than the storage's compaction gives 410 Gone, reason `Expired`,
with a fresh "inconsistent" token in the Status metadata (here: older than `continue_ttl` seconds, when set).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ovn_lsp_sandbox.apiserver import errors

EXPIRED_MESSAGE = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new list "
    "without the continue parameter, or use the continue token in this response to retrieve the remainder of the "
    "results. Continuing with the provided token results in an inconsistent list - objects that were created, "
    "modified, or deleted between the time the first chunk was returned and now may show up in the list."
)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    continue_token: str
    remaining: int | None


def encode(rv: int, start: str, issued: float) -> str:
    body = {"v": "meta.k8s.io/v1", "rv": rv, "start": start + "\u0000", "t": round(issued, 3)}
    return base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()


def decode(token: str) -> dict[str, Any]:
    """The token's fields, or 400 BadRequest worded as kube-apiserver words it."""
    try:
        body = json.loads(base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"continue key is not valid: {exc}") from None
    if (
        not isinstance(body, dict)
        or body.get("v") != "meta.k8s.io/v1"
        or not isinstance(body.get("start"), str)
        or not isinstance(body.get("rv"), int)
    ):
        raise errors.bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        )
    return body


def page(
    keyed: list[tuple[str, dict[str, Any]]],
    matches: Callable[[dict[str, Any]], bool],
    limit: int,
    token: str,
    rv: int,
    continue_ttl: float | None,
    filtered: bool,
) -> Page:
    """One chunk of `keyed` ((storage key, object) sorted by key) after the token's start key."""
    start, issued = "", time.time()
    if token:
        body = decode(token)
        start, issued = body["start"].rstrip("\u0000"), float(body.get("t") or 0)
        if continue_ttl is not None and time.time() - issued > continue_ttl:
            fresh = encode(rv, start, time.time())
            raise errors.ApiError({**errors.status(410, "Expired", EXPIRED_MESSAGE), "metadata": {"continue": fresh}})
    # the first key after `start`, found as etcd finds it (a search, not a scan); keys are in (namespace, name) order
    first = bisect.bisect_right(keyed, _order(start), key=lambda kv: _order(kv[0])) if start else 0
    window = keyed[first : first + limit]  # read `limit` keys, then filter: pages may be short under a selector
    items = [o for _, o in window if matches(o)]
    left = len(keyed) - first
    more = left > len(window)
    next_token = encode(rv, window[-1][0], issued) if more and window else ""
    remaining = None if filtered or not more else left - len(window)
    return Page(items, next_token, remaining)


def _order(key: str) -> tuple[str, ...]:
    """A storage key (`<ns>/<name>` or `<name>`) as the (namespace, name) the store sorts by."""
    return tuple(key.split("/", 1))
