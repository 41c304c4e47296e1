"""The reference commands for people: `version` (the plugin and the releases the model knows) and `reasons`
(every verdict and reason code: two aligned tables, or Markdown as the README carries them)."""

from __future__ import annotations

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms): `--version` is light
if TYPE_CHECKING:
    from kubectl_ovn_lsp.commands.documents import Reasons, Version


def version_text(document: Version) -> str:
    """`kubectl ovn-lsp vX.Y.Z`, then the known releases and one line per behaviour band."""
    releases = document["kubeOvn"]
    lines = [
        f"kubectl ovn-lsp v{document['plugin']}",
        f"Kube-OVN releases known to the model: {releases['oldest']} to {releases['newest']} ({releases['tags']} "
        f"tags), and {releases['master']}; GC behaviour by band:",
    ]
    lines += [f"  {band['letter']}  {band['tags']}" for band in releases["bands"]]
    return "\n".join(lines) + "\n"


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows]


def reasons_text(document: Reasons) -> str:
    """Two aligned tables, one line per verdict and per reason code; only the last column holds spaces."""
    verdict_rows = [["VERDICT", "EXIT", "MEANING"]]
    verdict_rows += [[v["verdict"], str(v["exitCode"]), v["meaning"]] for v in document["verdicts"]]
    reason_rows = [["REASON", "VERDICT", "MEANING"]]
    reason_rows += [
        [r["code"], r["verdict"], r["meaning"] + (f"; fixed in {r['fixedIn']}" if r["fixedIn"] else "")]
        for r in document["reasons"]
    ]
    return "\n".join(_columns(verdict_rows) + [""] + _columns(reason_rows)) + "\n"


def reasons_markdown(document: Reasons) -> str:
    """The same two tables in Markdown, as the README carries them."""
    lines = ["| verdict | exit code | meaning |", "|---|---|---|"]
    lines += [f"| `{v['verdict']}` | {v['exitCode']} | {_md(v['meaning'])} |" for v in document["verdicts"]]
    lines += ["", "| reason | verdict | meaning | fixed in |", "|---|---|---|---|"]
    lines += [
        f"| `{r['code']}` | `{r['verdict']}` | {_md(r['meaning'])} | {_md(r['fixedIn'] or '-')} |"
        for r in document["reasons"]
    ]
    return "\n".join(lines) + "\n"


def _md(cell: str) -> str:
    return cell.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
