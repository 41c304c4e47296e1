#!/usr/bin/env python3
"""Regenerate the README's verdict and reason-code table from the model, and its exit-code table from the one
list the help prints too (`cli/exit_status.EXIT_CODES`): `python3 tools/readme_tables.py`.

The table between the `reasons-table` markers is `kubectl ovn-lsp reasons -o markdown`, so the README can
never list a code the model does not have (tests/cli/test_habits.py fails until this is run). `--check`
exits 1 when the README is stale, without writing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- reasons-table:begin (tools/readme_tables.py) -->", "<!-- reasons-table:end -->"


CODES_BEGIN, CODES_END = "<!-- exit-codes-table:begin (tools/readme_tables.py) -->", "<!-- exit-codes-table:end -->"


def _between(readme: str, begin: str, end: str, table: str) -> str:
    head, found, rest = readme.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not found or not found_end:
        raise SystemExit(f"error: README.md lacks the markers {begin} … {end}")
    return f"{head}{begin}\n{table}{end}{tail}"


def render(readme: str) -> str:
    sys.path.insert(0, str(ROOT))
    from kubectl_ovn_lsp.cli.exit_status import exit_codes_markdown
    from kubectl_ovn_lsp.cli.render_reference import reasons_markdown
    from kubectl_ovn_lsp.commands.reasons import run

    readme = _between(readme, BEGIN, END, reasons_markdown(run()))
    return _between(readme, CODES_BEGIN, CODES_END, exit_codes_markdown())


def main(argv: list[str]) -> int:
    path = ROOT / "README.md"
    current = path.read_text()
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print("error: README.md's reason table is stale: run python3 tools/readme_tables.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(wanted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
