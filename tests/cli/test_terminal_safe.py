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


def test_json_output_is_written_in_batches_with_the_bytes_of_one_dump() -> None:
    """-o json writes the document as `json.dumps(indent=2)` would, newline included, in batches of encoder
    chunks (a 100,000-pod audit is 350 MB of JSON: never held as one string)."""
    import io
    import json

    from kubectl_ovn_lsp.cli.render import _write_json

    document = {
        "kind": "Audit",
        "items": [{"n": i, "name": f"p\u00e9-{i}\x1b", "ports": [], "ok": None} for i in range(50)],
    }
    writes: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return super().write(text)

    stream = Recorder()
    _write_json(document, stream, batch=100)
    assert stream.getvalue() == json.dumps(document, indent=2) + "\n"
    assert len(writes) > 5 and max(len(w) for w in writes) < len(stream.getvalue()) / 3
