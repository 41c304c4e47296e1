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


def test_quick_start_runs_every_sandbox_command_with_the_sandboxs_kubeconfig() -> None:
    """#18: the Quick start suggested `audit -A` and `triage` without the sandbox's KUBECONFIG (so they asked the
    user's own cluster). Every `kubectl ovn-lsp` command after `sandbox up`, in the section's code blocks, sets it
    on its line or after an `export KUBECONFIG=…/.sandbox/kubeconfig`."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```sh\n")[1:]
    commands = []
    for block in blocks:
        exported = False
        for line in block.split("```", 1)[0].splitlines():
            exported = exported or line.startswith("export KUBECONFIG=") and ".sandbox/kubeconfig" in line
            for part in line.split("&&"):
                part = part.split("#", 1)[0].strip()
                if "kubectl ovn-lsp" in part and not part.startswith("kubectl ovn-lsp sandbox"):
                    commands.append(part)
                    assert exported or part.startswith("KUBECONFIG=.sandbox/kubeconfig"), part
    assert {c.split()[2 if c.startswith("kubectl") else 3] for c in commands} >= {"explain", "audit", "triage"}
