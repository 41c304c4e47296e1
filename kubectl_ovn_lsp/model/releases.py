"""Which Kube-OVN release a version string stands for, and every release the model was checked against.

Image tags in the wild are not always releases: a tag newer than the newest release we checked (`v1.16.9`,
`v1.17.0`), a release older than every checked one (`v1.6.0`: refused, never replayed as a stand-in), a CI
build of a branch head (Kube-OVN's CI tags images with the *next* release's number from the
branch's VERSION file plus an arch suffix: `v1.17.0-x86` is master before v1.17.0, `v1.16.3-x86` is release-1.16
after v1.16.2), or a `git describe` string (`v1.16.0-400-g1533681d7`: 400 commits past v1.16.0). `resolve`
says which checked behaviour the model uses for each, so the output can say it (docs/contracts.md, "Versions").

Checked: every tag v1.7.0–v1.16.2 and master `1533681d7` (VERSION v1.16.3 on release-1.16 head `aa0776df0`,
v1.15.25 on release-1.15 head, v1.14.42 on release-1.14 head, v1.17.0 on master), read in the upstream mirror.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubectl_ovn_lsp.model.versions import Version, image_tag, parse_version

# Per release branch: (first patch, last patch, patches that were never tagged). Source: `git tag` of the mirror.
_BRANCHES: dict[tuple[int, int], tuple[int, int, tuple[int, ...]]] = {
    (1, 7): (0, 3, ()),
    (1, 8): (0, 18, (10, 13, 16, 17)),
    (1, 9): (0, 41, (21, 24, 26, 34)),
    (1, 10): (0, 10, (9,)),
    (1, 11): (0, 24, (4, 9)),
    (1, 12): (0, 35, ()),
    (1, 13): (0, 15, ()),
    (1, 14): (0, 41, ()),
    (1, 15): (0, 24, ()),
    (1, 16): (0, 2, ()),
}
MASTER = Version(1, 17, 0)  # master's VERSION file; the model's band L is master at MASTER_COMMIT
MASTER_COMMIT = "1533681d7"
MASTER_TEXT = f"master {MASTER_COMMIT}"

_DESCRIBE_RE = re.compile(r"^v?(\d+\.\d+\.\d+)-(\d+)-g([0-9a-f]{7,40})(?:[-+._].*)?$")
_SUFFIX_RE = re.compile(r"^v?(\d+\.\d+\.\d+)[-+._](.+)$")


def known_releases() -> tuple[Version, ...]:
    """Every checked release tag, oldest first (branches in order), then master (MASTER)."""
    out = []
    for (major, minor), (first, last, missing) in sorted(_BRANCHES.items()):
        out += [Version(major, minor, p) for p in range(first, last + 1) if p not in missing]
    return tuple(out) + (MASTER,)


def newest_checked(branch: tuple[int, int]) -> Version | None:
    """The newest checked release of a branch (None for a branch we have not checked)."""
    found = _BRANCHES.get(branch)
    return Version(branch[0], branch[1], found[1]) if found else None


def is_checked_release(version: Version) -> bool:
    found = _BRANCHES.get(version.branch)
    return found is not None and found[0] <= version.patch <= found[1] and version.patch not in found[2]


def display(version: Version) -> str:
    """How the release table writes a version: MASTER is master's snapshot, not a release."""
    return "master" if version == MASTER else str(version)


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
    if newest is None or version.branch > max(_BRANCHES):
        return Resolved(
            max(version, MASTER),
            head=True,
            assumed=True,
            behaviour_of=MASTER_TEXT,
            note=f"{text} is {build}newer than every checked release: the behaviour of the checked "
            f"{MASTER_TEXT} (git describe v1.16.0-400, band L) is assumed",
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
        return version.patch == 0 and version.branch > max(_BRANCHES)
    return version.patch == newest.patch + 1


def oldest_checked() -> Version:
    """The oldest checked release (v1.7.0): the model knows nothing of the GC before it."""
    major, minor = min(_BRANCHES)
    return Version(major, minor, _BRANCHES[(major, minor)][0])


def _older_than_checked(version: Version, text: str) -> Resolved:
    """A release older than every checked one is refused, not replayed as a stand-in: master (what an unknown
    newer version gets) would be wrong, and the oldest checked release would be a guess about code never read."""
    newest = max(v for v in known_releases() if v != MASTER)
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
        return Resolved(MASTER, head=True, behaviour_of=MASTER_TEXT)
    tag = image_tag(raw) if ("/" in raw or ":" in raw or "@" in raw) else raw
    if tag is None:
        return Resolved(None)
    described = _DESCRIBE_RE.match(tag)
    if described:
        base = parse_version(described.group(1))
        commits, commit = int(described.group(2)), described.group(3)
        if MASTER_COMMIT.startswith(commit[:9]) or commit.startswith(MASTER_COMMIT):
            return Resolved(
                MASTER,
                head=True,
                behaviour_of=MASTER_TEXT,
                note=f"{tag} is the checked master snapshot {MASTER_COMMIT}: band L",
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
        branch = "master" if version.branch > max(_BRANCHES) else f"release-{version.major}.{version.minor}"
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
