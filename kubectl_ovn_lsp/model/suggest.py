"""What an operator typed or pasted, made into the name they meant, and the names close to one that was not found.

explain takes a name as GC logs it, so operators paste from the log: a whole klog line (`E1127 10:06:00.123456 1
gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry`), the message alone, or the name with
the comma that follows it there. `target_from_paste` takes the port name out of either GC wording
(docs/kube-ovn-facts.md, "GC log lines") and strips the punctuation a copy drags along; Kubernetes names and port
names never start or end with it. `close_names` offers, for a name that was not found, the listed names within a
small edit distance (a typo in a monitoring check, `vm-a` for `vm-b`).

Why our own edit distance: the project's dependencies are fixed (kubernetes, ovsdbapp, tabulate), and
`difflib.get_close_matches` ranks by a similarity ratio, not by edits, so `vm-a`/`vm-b` (one edit) and a long
name with two typos would need different cut-offs. Levenshtein over names of at most 253 characters against a few
hundred listed names, on the not-found path only, is cheap.
"""

from __future__ import annotations

import re

# The two GC wordings (model/loglines.py reads them from whole logs); the name ends at the comma, blank or quote.
_GC_PHRASE = re.compile(r"(?:lsp lost for pod|gc logical switch port)\s+(?P<name>[^\s,;'\"`]+)")
_EDGE = " \t\r\n,;:.!?'\"`()[]{}<>"


def target_from_paste(text: str) -> str:
    """The name in what was pasted: the port a GC line names, else the text without the blanks, quotes and
    punctuation around it (`vm-a.test-ns,` → `vm-a.test-ns`). Text without either stays as it is."""
    found = _GC_PHRASE.search(text)
    if found is not None:
        return found.group("name").strip(_EDGE)
    stripped = text.strip(_EDGE)
    return stripped or text


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit` (the rows of the
    dynamic programme are cut off early: names of very different length never cost a full table)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def close_names(name: str, candidates: list[str], limit: int = 2, most: int = 3) -> list[str]:
    """The candidates within `limit` edits of `name` (itself excluded), closest first, then by name; at most
    `most` of them."""
    scored = sorted(
        {(edit_distance(name, c, limit), c) for c in candidates if c != name},
    )
    return [c for distance, c in scored if distance <= limit][:most]
