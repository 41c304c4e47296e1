"""The README and docs/contracts.md list every verdict and reason code of the single source (verdicts.py,
reasons.py), with the same exit code and fixing release, in the one table `reasons.table()` generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubectl_ovn_lsp.model.reasons import REASONS, table
from kubectl_ovn_lsp.model.verdicts import VERDICTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("doc", ["docs/contracts.md"])  # the README's table: tests/cli/test_habits.py
def test_every_verdict_and_code_is_in_the_table(doc: str) -> None:
    text = (ROOT / doc).read_text()
    for verdict, exit_code, code, _, fixed in table():
        if code:
            row = next(line for line in text.splitlines() if line.startswith(f"| | | `{code}` |"))
            assert row.rstrip().endswith(f"| {fixed or '–'} |"), row
        else:
            assert f"| **`{verdict}`** | {exit_code} |" in text, verdict


def test_table_covers_the_sources_once() -> None:
    rows = table()
    assert {r[2] for r in rows if r[2]} == {r.code for r in REASONS}
    assert [r[0] for r in rows if not r[2]] == [
        v.name for v in sorted(VERDICTS, key=lambda v: (-v.severity, v.exit_code == 1, v.name))
    ]
    assert len({r.code for r in REASONS}) == len(REASONS)
