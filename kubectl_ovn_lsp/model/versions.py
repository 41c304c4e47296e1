"""Kube-OVN release versions as written in the wild (image tags, `--kube-ovn-version`), made comparable.

Behaviour differs per patch release and per release branch (backports), so a version is the triple
major.minor.patch; build suffixes such as `-x86`, `-mc`, `-debug` do not change GC behaviour and are dropped.
A digest-only reference, `latest` or `master` cannot be placed and parses to None ("unknown").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+._][0-9A-Za-z.+_-]*)?$")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @property
    def branch(self) -> tuple[int, int]:
        """The release branch (`release-1.13` → (1, 13)): backports land per branch."""
        return (self.major, self.minor)

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"


def parse_version(text: str | None) -> Version | None:
    """`v1.13.4`, `1.13.4`, `v1.14.0-x86`, `v1.12.20-mc`, or a whole image reference; None when unknown."""
    if not text:
        return None
    text = text.strip()
    if "/" in text or ":" in text or "@" in text:
        tag = image_tag(text)
        if tag is None:
            return None
        text = tag
    match = _VERSION_RE.match(text)
    if not match:
        return None
    return Version(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def image_tag(image: str) -> str | None:
    """The tag of an image reference (`reg:5000/kubeovn/kube-ovn:v1.13.4@sha256:…` → `v1.13.4`), None if untagged.

    A registry port (`reg:5000/…`) is not a tag: only a colon after the last `/` starts one.
    """
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    tag = last.split(":", 1)[1]
    return tag or None
