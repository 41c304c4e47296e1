"""What a Kube-OVN version string stands for (`resolve`), and the checked releases as the rest of the plugin asks
for them (`known_releases`, `newest_checked`, `master`), read off the release register
(`_register()`) at call time.

Image tags in the wild are not always releases: a tag newer than the newest release we checked (`v1.16.9`,
`v1.17.0`), a release older than every checked one (`v1.6.0`: refused, never replayed as a stand-in), a CI
build of a branch head (Kube-OVN's CI tags images with the *next* release's number from the
branch's VERSION file plus an arch suffix: `v1.17.0-x86` is master before v1.17.0, `v1.16.3-x86` is release-1.16
after v1.16.2), or a `git describe` string (`v1.16.0-400-g1533681d7`: 400 commits past v1.16.0). `resolve`
says which checked behaviour the model uses for each, so the output can say it (docs/contracts.md, "Versions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubectl_ovn_lsp.model import release_register
from kubectl_ovn_lsp.model.release_register import Master, Register
from kubectl_ovn_lsp.model.versions import Version, image_tag, parse_version


def _register() -> Register:
    """The register as it is now (read at call time, so a test can follow "How to add a release")."""
    return release_register.REGISTER


def master() -> Master:
    """The checked master snapshot (band L)."""
    return _register().master


def known_releases() -> tuple[Version, ...]:
    """Every checked release tag, oldest first (branches in order), then master's number."""
    return _register().releases


def checked_tags() -> tuple[Version, ...]:
    """Every checked release tag, oldest first, without master."""
    return _register().releases[:-1]


def newest_checked(branch: tuple[int, int]) -> Version | None:
    """The newest checked release of a branch (None for a branch we have not checked)."""
    return _register().newest(branch)


def is_checked_release(version: Version) -> bool:
    return version in _register().tags


def display(version: Version) -> str:
    """How the release table writes a version: master's number is master's snapshot, not a release."""
    return "master" if version == _register().master.version else str(version)


_DESCRIBE_RE = re.compile(r"^v?(\d+\.\d+\.\d+)-(\d+)-g([0-9a-f]{7,40})(?:[-+._].*)?$")
_SUFFIX_RE = re.compile(r"^v?(\d+\.\d+\.\d+)[-+._](.+)$")


@dataclass(frozen=True)
class Resolved:
    """What a version string means for the model.

    `version`: the number the band table and switches are evaluated at; `head`: switches marked unreleased on
    that branch apply too (the build contains the branch head we read); `assumed`: the model's behaviour is a
    stand-in (the build itself was not checked), and `note` says which checked behaviour stands in.
    """

    version: Version | None
    head: bool = False
    assumed: bool = False
    behaviour_of: str | None = None  # the checked release (or master snapshot) whose behaviour is used
    note: str | None = None
    refused: str | None = None  # why nothing can stand in ("older than every release …"): replay nothing


def _newer_than_checked(version: Version, text: str, build: str) -> Resolved:
    newest = newest_checked(version.branch)
    head_of = _register().master
    if newest is None or version.branch > _register().newest_branch:
        return Resolved(
            max(version, head_of.version),
            head=True,
            assumed=True,
            behaviour_of=head_of.text,
            note=f"{text} is {build}newer than every checked release: the behaviour of the checked "
            f"{head_of.text} (git describe {head_of.describe}, band {head_of.band}) is assumed",
        )
    branch = f"release-{version.major}.{version.minor}"
    return Resolved(
        version,
        head=True,
        assumed=True,
        behaviour_of=f"{newest} + {branch} head",
        note=f"{text} is {build}newer than the newest checked release on {branch} ({newest}): {newest}'s "
        f"behaviour is assumed, plus the {branch} head changes already known for the next release",
    )


def _is_next_number(version: Version) -> bool:
    """The number a branch head's VERSION file carries: the newest checked patch + 1, or x.y.0 of a new branch."""
    newest = newest_checked(version.branch)
    if newest is None:
        return version.patch == 0 and version.branch > _register().newest_branch
    return version.patch == newest.patch + 1


def oldest_checked() -> Version:
    """The oldest checked release (v1.7.0): the model knows nothing of the GC before it."""
    return _register().releases[0]


def _older_than_checked(version: Version, text: str) -> Resolved:
    """A release older than every checked one is refused, not replayed as a stand-in: master (what an unknown
    newer version gets) would be wrong, and the oldest checked release would be a guess about code never read."""
    newest = max(checked_tags())
    return Resolved(
        None,
        refused=f"older than every release this plugin checked ({oldest_checked()}–{newest} and master): its GC "
        "was never read, so it cannot be replayed",
    )


def resolve(text: str | None) -> Resolved:
    """The checked behaviour a version string (image tag, --kube-ovn-version, git describe) stands for."""
    if not text:
        return Resolved(None)
    raw = text.strip()
    if raw in ("master", "main"):
        return Resolved(_register().master.version, head=True, behaviour_of=_register().master.text)
    tag = image_tag(raw) if ("/" in raw or ":" in raw or "@" in raw) else raw
    if tag is None:
        return Resolved(None)
    described = _DESCRIBE_RE.match(tag)
    if described:
        base = parse_version(described.group(1))
        commits, commit = int(described.group(2)), described.group(3)
        head_of = _register().master
        if head_of.commit.startswith(commit[:9]) or commit.startswith(head_of.commit):
            return Resolved(
                head_of.version,
                head=True,
                behaviour_of=head_of.text,
                note=f"{tag} is the checked master snapshot {head_of.commit}: band {head_of.band}",
            )
        assert base is not None
        if base < oldest_checked():
            return _older_than_checked(base, tag)
        if not is_checked_release(base):
            return _newer_than_checked(base, tag, f"a build {commits} commits past {base}, which is ")
        return Resolved(
            base,
            assumed=True,
            behaviour_of=str(base),
            note=f"{tag} is a build {commits} commits past {base} (git describe): {base}'s behaviour is "
            "assumed; changes made after that tag are not known",
        )
    version = parse_version(tag)
    if version is None:
        return Resolved(None)
    if version < oldest_checked():
        return _older_than_checked(version, tag)
    suffixed = _SUFFIX_RE.match(tag)
    if is_checked_release(version):
        return Resolved(version, behaviour_of=str(version))
    if suffixed and _is_next_number(version):
        # Kube-OVN's CI tags branch-head builds with the next release number (VERSION file) and an arch suffix.
        branch = "master" if version.branch > _register().newest_branch else f"release-{version.major}.{version.minor}"
        return _newer_than_checked(
            version,
            tag,
            f"a CI build of the {branch} head before {version} (CI tags builds with the next release's number), ",
        )
    older = newest_checked(version.branch)
    if older is not None and version < older:
        return Resolved(
            version,
            assumed=True,
            behaviour_of=str(version),
            note=f"{tag} was never tagged upstream; the release table's rules for {version} are used",
        )
    return _newer_than_checked(version, tag, "")
