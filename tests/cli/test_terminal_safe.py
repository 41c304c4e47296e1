"""The last pass over every text output (`render.terminal_safe`) and the table cells (`render.table`): control
characters are shown escaped, never obeyed; only the plugin's own colour codes and `\\n` pass (issue #15)."""

from __future__ import annotations

from kubectl_ovn_lsp.cli.render import table, terminal_safe


def test_controls_are_escaped_and_colour_codes_kept() -> None:
    assert terminal_safe("a\x1b]0;t\x07b\n\x9bc\rd") == "a\\x1b]0;t\\x07b\n\\x9bc\\rd"
    assert terminal_safe("\x1b[31mlost\x1b[0m x\x1b[2J") == "\x1b[31mlost\x1b[0m x\\x1b[2J"
    assert terminal_safe("plain\ntext\n") == "plain\ntext\n"
    assert terminal_safe("bidi \u202e gnp.exe") == "bidi \\u202e gnp.exe"


def test_a_cell_stays_on_its_row() -> None:
    shown = table([["a\nb", "x\ty", "ok"]], ["NAME", "DETAIL", "VERDICT"], headers=True, colour=True, verdict=2)
    assert shown.splitlines() == [
        "NAME    DETAIL    VERDICT",
        "a\\nb    x\\ty      \x1b[32mok\x1b[0m",
    ]
