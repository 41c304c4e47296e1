"""`kubectl ovn-lsp reasons`: every verdict and every reason code (also the README's table).

Built from `model/verdicts.py` and `model/reasons.py` only, so a new verdict or code appears here, in
`-o markdown` and (through `tools/readme_tables.py` and its test) in the README without a copy to update. The
CLI renders the `Reasons` document (`cli/render_reference.py`).
"""

from __future__ import annotations

from kubectl_ovn_lsp.commands.documents import Reasons


def run() -> Reasons:
    """The table as data: verdicts (word, exit code, meaning) and reasons (code, verdict, meaning, fixed in)."""
    from kubectl_ovn_lsp.model.reasons import REASONS
    from kubectl_ovn_lsp.model.verdicts import VERDICTS

    return {
        "verdicts": [{"verdict": v.name, "exitCode": v.exit_code, "meaning": v.meaning} for v in VERDICTS],
        "reasons": [
            {"code": r.code, "verdict": r.verdict, "meaning": r.summary, "fixedIn": r.fixed_in or None} for r in REASONS
        ],
    }
