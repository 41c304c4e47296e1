"""`kubectl ovn-lsp version` (and `--version`): the plugin's version and the Kube-OVN releases its model knows.

The second part is what a user needs before trusting a verdict: whether their release is one the GC replay
was written for. It is read off the band table, so it cannot drift from what `explain` uses.
"""

from __future__ import annotations

import argparse
import sys

from kubectl_ovn_lsp import __version__

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from typing import TextIO


def version_text() -> str:
    """`kubectl ovn-lsp vX.Y.Z`, then the known releases and one line per behaviour band."""
    from kubectl_ovn_lsp.model.bands import BANDS
    from kubectl_ovn_lsp.model.releases import MASTER, MASTER_TEXT, known_releases

    releases = [v for v in known_releases() if v != MASTER]
    lines = [
        f"kubectl ovn-lsp v{__version__}",
        f"Kube-OVN releases known to the model: {releases[0]} to {releases[-1]} ({len(releases)} tags), and "
        f"{MASTER_TEXT}; GC behaviour by band:",
    ]
    lines += [f"  {band.letter}  {band.tags}" for band in BANDS]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, stream: TextIO | None = None) -> int:
    (stream or sys.stdout).write(version_text())
    return 0


class VersionAction(argparse.Action):
    """`--version`: the same text as the `version` subcommand, then exit 0 (argparse's own prints only a string)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="print the plugin version and the Kube-OVN releases it knows, then exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(version_text())
        parser.exit(0)
