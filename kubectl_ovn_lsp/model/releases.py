"""The Kube-OVN releases the model knows, read off the band table (for `version` and completion).

Derived, never listed: a release that starts or ends a band in `bands.BANDS` is known; adding a band row is
all it takes for `kubectl ovn-lsp version` and `--kube-ovn-version <TAB>` to offer it.
"""

from __future__ import annotations

import re

from kubectl_ovn_lsp.model.bands import BANDS, Band
from kubectl_ovn_lsp.model.versions import Version, parse_version

_RELEASE = re.compile(r"v\d+\.\d+\.\d+")


def known_releases() -> list[Version]:
    """Every release the band table names (first and last of each band, not `master`), oldest first."""
    found: set[Version] = set()
    for band in BANDS:
        for text in _RELEASE.findall(band.tags):
            version = parse_version(text)
            if version is not None:
                found.add(version)
    return sorted(found)


def bands() -> tuple[Band, ...]:
    """The band rows, oldest first (letter, first release, the range as the spec writes it)."""
    return BANDS
