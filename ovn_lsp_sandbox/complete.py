"""`kubectl_complete-ovn_lsp-sandbox`: what kubectl runs for `kubectl ovn-lsp sandbox <TAB>`.

kubectl passes the words typed after `sandbox`, the last one partial, and reads one candidate per line and a
final directive line: `:4` (no file completion) for actions and flags, `:0` (files allowed) where `up` takes a
scenario file or a dump directory as well as a shipped scenario name.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

ACTIONS = ("up", "down", "list", "append-log", "restart-container")
UP_FLAGS = ("--dir", "--generate", "--nb-cluster", "--nb-ssl", "--tls")


def candidates(words: Sequence[str]) -> tuple[list[str], str]:
    """(candidates, directive) for the words after `sandbox`."""
    *done, partial = list(words) or [""]
    if not done:
        return [a for a in ACTIONS if a.startswith(partial)], ":4"
    if done[-1] == "--dir":
        return [], ":0"
    if partial.startswith("-"):
        flags = UP_FLAGS if done[0] == "up" else ("--dir",) if done[0] != "list" else ()
        return [f for f in flags if f.startswith(partial)], ":4"
    if done[0] == "up" and done[-1] not in ("--generate", "--nb-cluster"):
        from ovn_lsp_sandbox.scenario_load import list_shipped

        return [name for name, _ in list_shipped() if name.startswith(partial)], ":0"
    return [], ":4"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        found, directive = candidates(list(sys.argv[1:] if argv is None else argv))
    except Exception:  # completion never prints errors into the user's shell
        found, directive = [], ":4"
    for candidate in found:
        print(candidate)
    print(directive)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
