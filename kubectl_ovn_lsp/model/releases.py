"""The release register (`REGISTER`): every Kube-OVN release the model was checked against, in one table, and
what a version string stands for (`resolve`).

Everything that depends on which releases exist derives from the register, at call time: the checked tags
(`known_releases`, `version`, completion of `--kube-ovn-version`), version resolution, the band ranges
(`bands.Band.tags`), whether a switch's first release is out yet (`bands.Since`), and the `gc.go:<line>` release
ranges of the GC log lines (`gc_lines`). Adding a release is one `Branch` edit here (docs/architecture.md, "How to
add a release"); a band or a switch changes only when the release changed behaviour.

Image tags in the wild are not always releases: a tag newer than the newest release we checked (`v1.16.9`,
`v1.17.0`), a release older than every checked one (`v1.6.0`: refused, never replayed as a stand-in), a CI
build of a branch head (Kube-OVN's CI tags images with the *next* release's number from the
branch's VERSION file plus an arch suffix: `v1.17.0-x86` is master before v1.17.0, `v1.16.3-x86` is release-1.16
after v1.16.2), or a `git describe` string (`v1.16.0-400-g1533681d7`: 400 commits past v1.16.0). `resolve`
says which checked behaviour the model uses for each, so the output can say it (docs/contracts.md, "Versions").

Checked: every tag of the register and master (`Master`), read in the upstream mirror; the branch heads read
are listed in docs/kube-ovn-facts.md ("Releases").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from kubectl_ovn_lsp.model.versions import Version, image_tag, parse_version

Lines = tuple[int, int] | tuple[None, None]  # (gc.go line of `lsp lost`, of `gc logical switch port`)


@dataclass(frozen=True)
class Branch:
    """One release branch, `release-<major>.<minor>`, as read in the upstream mirror (`git tag`, `gc.go`).

    Its tags are `x.y.0` … `x.y.last` except `never_tagged`. `gc_lines`: from which patch on the branch's
    `markAndCleanLSP` logs `lsp lost` and `gc logical switch port` at which `gc.go` line, as `(first patch,
    (lost line, delete line))`, oldest first; a tag logs where the entry with the greatest first patch not above
    its own says; `(None, None)`: no GC of ports yet. `maintained`: later tags may come, so a release past `last`
    is "newer than checked" and is assumed to log where the newest entry says."""

    major: int
    minor: int
    last: int
    gc_lines: tuple[tuple[int, Lines], ...]
    never_tagged: tuple[int, ...] = ()
    maintained: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return (self.major, self.minor)

    @property
    def tags(self) -> tuple[Version, ...]:
        return tuple(Version(self.major, self.minor, p) for p in range(self.last + 1) if p not in self.never_tagged)

    def lines_of(self, patch: int) -> Lines:
        """Where this branch's tag `patch` logs the two GC lines."""
        found: Lines = (None, None)
        for first, lines in self.gc_lines:
            if first <= patch:
                found = lines
        return found


@dataclass(frozen=True)
class Master:
    """The master snapshot the model was checked against: band L's behaviour."""

    version: Version  # master's VERSION file: CI builds of master carry this number
    commit: str
    describe: str  # `git describe` of the commit, for notes
    lines: tuple[int, int]  # gc.go lines of `lsp lost` and `gc logical switch port`
    band: str  # its band letter (the last row of bands.BANDS), for notes

    @property
    def text(self) -> str:
        return f"master {self.commit}"


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so caches keyed on it are cheap and exact
class Register:
    """Every checked release: the branches, oldest first, and master. Views are derived once per register."""

    branches: tuple[Branch, ...]
    master: Master

    @cached_property
    def by_branch(self) -> dict[tuple[int, int], Branch]:
        return {b.key: b for b in self.branches}

    @cached_property
    def releases(self) -> tuple[Version, ...]:
        """Every checked tag, oldest first, then master's number."""
        return tuple(v for b in self.branches for v in b.tags) + (self.master.version,)

    @cached_property
    def tags(self) -> frozenset[Version]:
        return frozenset(self.releases[:-1])

    @property
    def newest_branch(self) -> tuple[int, int]:
        return self.branches[-1].key

    def newest(self, branch: tuple[int, int]) -> Version | None:
        found = self.by_branch.get(branch)
        return Version(branch[0], branch[1], found.last) if found else None

    def is_released(self, version: Version) -> bool:
        """A checked tag or master's number: what a switch's first release must be to apply without `head`."""
        return version in self.tags or version == self.master.version


REGISTER = Register(
    branches=(
        Branch(1, 7, 3, ((0, (None, None)), (1, (251, 233)), (3, (263, 245)))),
        Branch(
            1,
            8,
            18,
            ((0, (252, 234)), (1, (264, 246)), (3, (268, 250)), (5, (285, 253)), (7, (289, 257)), (15, (292, 260))),
            never_tagged=(10, 13, 16, 17),
        ),
        Branch(
            1,
            9,
            41,
            (
                (0, (267, 249)),
                (1, (268, 250)),
                (3, (285, 253)),
                (4, (289, 257)),
                (5, (283, 263)),
                (6, (314, 294)),
                (15, (316, 296)),
                (25, (317, 297)),
                (29, (309, 289)),
            ),
            never_tagged=(21, 24, 26, 34),
        ),
        Branch(1, 10, 10, ((0, (328, 305)), (1, (335, 315)), (8, (337, 317))), never_tagged=(9,)),
        Branch(1, 11, 24, ((0, (376, 356)), (11, (368, 348)), (13, (384, 348)), (16, (386, 350))), never_tagged=(4, 9)),
        Branch(
            1,
            12,
            35,
            (
                (0, (384, 363)),
                (4, (400, 363)),
                (5, (401, 364)),
                (15, (415, 378)),
                (20, (417, 380)),
                (29, (427, 390)),
                (32, (431, 394)),
            ),
            maintained=True,
        ),
        Branch(1, 13, 15, ((0, (426, 386)), (4, (430, 390)), (15, (449, 409))), maintained=True),
        Branch(1, 14, 41, ((0, (476, 436)), (7, (533, 493)), (30, (559, 519))), maintained=True),
        Branch(1, 15, 24, ((0, (538, 498)), (3, (564, 524))), maintained=True),
        Branch(1, 16, 2, ((0, (553, 513)),), maintained=True),
    ),
    master=Master(Version(1, 17, 0), "1533681d7", "v1.16.0-400", (562, 522), "L"),
)


def master() -> Master:
    """The checked master snapshot (band L)."""
    return REGISTER.master


def known_releases() -> tuple[Version, ...]:
    """Every checked release tag, oldest first (branches in order), then master's number."""
    return REGISTER.releases


def checked_tags() -> tuple[Version, ...]:
    """Every checked release tag, oldest first, without master."""
    return REGISTER.releases[:-1]


def newest_checked(branch: tuple[int, int]) -> Version | None:
    """The newest checked release of a branch (None for a branch we have not checked)."""
    return REGISTER.newest(branch)


def is_checked_release(version: Version) -> bool:
    return version in REGISTER.tags


def display(version: Version) -> str:
    """How the release table writes a version: master's number is master's snapshot, not a release."""
    return "master" if version == REGISTER.master.version else str(version)


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
    head_of = REGISTER.master
    if newest is None or version.branch > REGISTER.newest_branch:
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
        return version.patch == 0 and version.branch > REGISTER.newest_branch
    return version.patch == newest.patch + 1


def oldest_checked() -> Version:
    """The oldest checked release (v1.7.0): the model knows nothing of the GC before it."""
    return REGISTER.releases[0]


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
        return Resolved(REGISTER.master.version, head=True, behaviour_of=REGISTER.master.text)
    tag = image_tag(raw) if ("/" in raw or ":" in raw or "@" in raw) else raw
    if tag is None:
        return Resolved(None)
    described = _DESCRIBE_RE.match(tag)
    if described:
        base = parse_version(described.group(1))
        commits, commit = int(described.group(2)), described.group(3)
        head_of = REGISTER.master
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
        branch = "master" if version.branch > REGISTER.newest_branch else f"release-{version.major}.{version.minor}"
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
