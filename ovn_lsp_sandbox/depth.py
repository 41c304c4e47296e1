"""How deeply nested an object the sandbox stores and serves: as deep as kube-apiserver accepts.

kube-apiserver decodes JSON with sigs.k8s.io/json (Go's encoding/json), which refuses nesting deeper than 10,000
levels (`maxNestingDepth`); below that a custom resource may hold anything (e.g. `x-kubernetes-preserve-unknown-
fields`). Python's JSON and YAML code recurse once (YAML: a few times) per level, past the interpreter's default
limit of 1,000 frames: every sandbox process that loads, moves, writes or serves objects raises the limit first, so
a scenario can hold what a real cluster can, and the plugin meets it as it would there.
"""

from __future__ import annotations

import sys

MAX_DEPTH = 10_000


def allow_deep_objects() -> None:
    """Raise this process's recursion limit to read and write objects nested up to MAX_DEPTH levels."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * MAX_DEPTH))
