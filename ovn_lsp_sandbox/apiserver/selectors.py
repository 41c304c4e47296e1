"""Label and field selectors, parsed the way kube-apiserver reads the `labelSelector`/`fieldSelector` parameters."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ovn_lsp_sandbox.apiserver import errors

Predicate = Callable[[dict[str, Any]], bool]

_SET_RE = re.compile(r"^\s*(!?)\s*([A-Za-z0-9_./-]+)\s*(?:(notin|in)\s*\(([^)]*)\))?\s*$")
_EQ_RE = re.compile(r"^\s*([A-Za-z0-9_./-]+)\s*(==|!=|=)\s*([A-Za-z0-9_.-]*)\s*$")


def _split_terms(text: str) -> list[str]:
    """Split on commas outside parentheses: `a in (x,y),b` is two terms."""
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return [t for t in terms if t.strip()]


def parse_label_selector(text: str) -> Predicate:
    """All of =, ==, !=, in, notin, exists and !key; an unparsable selector is a 400, as upstream."""
    checks: list[Predicate] = []
    for term in _split_terms(text or ""):
        m = _EQ_RE.match(term)
        if m:
            key, op, value = m.groups()
            checks.append(_eq(key, value, op == "!="))
            continue
        m = _SET_RE.match(term)
        if m is None:
            raise errors.bad_request(f"unable to parse requirement: invalid label selector: {term!r}")
        neg, key, op, values = m.groups()
        if op:
            if neg:
                raise errors.bad_request(f"unable to parse requirement: {term!r}")
            wanted = {v.strip() for v in values.split(",") if v.strip()}
            checks.append(_set(key, wanted, op == "notin"))
        else:
            checks.append(_exists(key, bool(neg)))
    return lambda labels: all(c(labels) for c in checks)


def _eq(key: str, value: str, negate: bool) -> Predicate:
    return lambda labels: (labels.get(key) == value) != negate


def _set(key: str, wanted: set[str], negate: bool) -> Predicate:
    if negate:  # notin matches objects without the key, like upstream
        return lambda labels: labels.get(key) not in wanted
    return lambda labels: key in labels and labels[key] in wanted


def _exists(key: str, negate: bool) -> Predicate:
    return lambda labels: (key in labels) != negate


def field_value(obj: dict[str, Any], path: str) -> str:
    """A dotted field as the apiserver compares it: a string, "" when absent."""
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def parse_field_selector(text: str) -> Predicate:
    """`metadata.name`, `metadata.namespace`, `status.phase`, `spec.nodeName` or any dotted path; =, ==, !=."""
    checks: list[Predicate] = []
    for term in _split_terms(text or ""):
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(==|!=|=)\s*(.*?)\s*$", term)
        if m is None:
            raise errors.bad_request(f"invalid selector: '{text}'; can't understand '{term}'")
        path, op, value = m.groups()
        checks.append(_field(path, value, op == "!="))
    return lambda obj: all(c(obj) for c in checks)


def _field(path: str, value: str, negate: bool) -> Predicate:
    return lambda obj: (field_value(obj, path) == value) != negate
