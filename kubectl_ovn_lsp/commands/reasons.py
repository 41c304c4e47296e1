"""`kubectl ovn-lsp reasons`: every verdict and every reason code, one line each (also the README's table).

Built from `model/verdicts.py` and `model/reasons.py` only, so a new verdict or code appears here, in
`-o markdown` and (through `tools/readme_tables.py` and its test) in the README without a copy to update.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO


def document() -> dict[str, Any]:
    """The table as data: verdicts (word, exit code, meaning) and reasons (code, verdict, meaning, fixed in)."""
    from kubectl_ovn_lsp.model.reasons import REASONS
    from kubectl_ovn_lsp.model.verdicts import VERDICTS

    return {
        "verdicts": [{"verdict": v.name, "exitCode": v.exit_code, "meaning": v.meaning} for v in VERDICTS],
        "reasons": [
            {"code": r.code, "verdict": r.verdict, "meaning": r.summary, "fixedIn": r.fixed_in or None} for r in REASONS
        ],
    }


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows]


def text() -> str:
    """Two aligned tables, one line per verdict and per reason code; only the last column holds spaces."""
    doc = document()
    verdict_rows = [["VERDICT", "EXIT", "MEANING"]]
    verdict_rows += [[v["verdict"], str(v["exitCode"]), v["meaning"]] for v in doc["verdicts"]]
    reason_rows = [["REASON", "VERDICT", "MEANING"]]
    reason_rows += [
        [r["code"], r["verdict"], r["meaning"] + (f"; fixed in {r['fixedIn']}" if r["fixedIn"] else "")]
        for r in doc["reasons"]
    ]
    return "\n".join(_columns(verdict_rows) + [""] + _columns(reason_rows)) + "\n"


def markdown() -> str:
    """The same two tables in Markdown, as the README carries them."""
    doc = document()
    lines = ["| verdict | exit code | meaning |", "|---|---|---|"]
    lines += [f"| `{v['verdict']}` | {v['exitCode']} | {_md(v['meaning'])} |" for v in doc["verdicts"]]
    lines += ["", "| reason | verdict | meaning | fixed in |", "|---|---|---|---|"]
    lines += [
        f"| `{r['code']}` | `{r['verdict']}` | {_md(r['meaning'])} | {_md(r['fixedIn'] or '-')} |"
        for r in doc["reasons"]
    ]
    return "\n".join(lines) + "\n"


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def run(args: argparse.Namespace, stream: TextIO | None = None) -> int:
    out = stream or sys.stdout
    output = getattr(args, "output", "text")
    if output == "json":
        out.write(json.dumps(document(), indent=2) + "\n")
    elif output == "yaml":
        import yaml

        out.write(yaml.safe_dump(document(), sort_keys=False))
    elif output == "markdown":
        out.write(markdown())
    else:
        out.write(text())
    return 0
