"""`kubectl ovn-lsp version` (and `--version`): the plugin's version and the Kube-OVN releases its model knows.

The second part is what a user needs before trusting a verdict: whether their release is one the GC replay
was written for. It is read off the band table, so it cannot drift from what `explain` uses. The CLI renders
the `Version` document (`cli/render_reference.py`).
"""

from __future__ import annotations

import sys

from kubectl_ovn_lsp import __version__

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms): `--version` is light
if TYPE_CHECKING:
    from kubectl_ovn_lsp.commands.documents import Version


def run() -> Version:
    """The plugin's and Python's versions, the checked releases (oldest, newest, how many, and master) and the
    bands."""
    from kubectl_ovn_lsp.model.bands import BANDS
    from kubectl_ovn_lsp.model.releases import checked_tags, master

    releases = checked_tags()
    return {
        "plugin": __version__,
        "python": sys.version.split()[0],
        "kubeOvn": {
            "oldest": str(releases[0]),
            "newest": str(releases[-1]),
            "tags": len(releases),
            "master": master().text,
            "bands": [{"letter": band.letter, "tags": band.tags} for band in BANDS],
        },
    }
