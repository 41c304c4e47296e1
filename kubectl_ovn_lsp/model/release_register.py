"""The release register: every Kube-OVN release the model was checked against, in one table (`REGISTER`).

Everything that depends on which releases exist is read off it at call time: the checked tags and version
resolution (`releases`: `known_releases`, `resolve`, `version`, completion of `--kube-ovn-version`), the band
ranges (`bands.Band.tags`), whether a switch's first release is out yet (`bands.Since`), and the release ranges
of every log line the model reads (`gc_lines`, events of `log_events`). Adding a release is one `Branch` edit
here (docs/architecture.md, "How to add a release"); a band or a switch changes only when the release changed
behaviour. Every tag and line was read in the upstream mirror (`git tag`; the files of `log_events.FILE`, tag by
tag: docs/upstream-findings.md); the branch heads read are listed in docs/kube-ovn-facts.md ("Releases").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from kubectl_ovn_lsp.model.log_events import DELETE_FAILED, DELETED, GC_ERROR, IP_KEPT, LOST, MIGRATION_SKIPPED
from kubectl_ovn_lsp.model.versions import Version

LineChanges = Mapping[str, int | None]  # event -> its line from this patch on; None: not logged from this patch on


@dataclass(frozen=True)
class Branch:
    """One release branch, `release-<major>.<minor>`, as read in the upstream mirror.

    Its tags are `x.y.0` … `x.y.last` except `never_tagged`. `lines`: from which patch on the branch logs each event
    (`log_events`) at which line of its file, as `(first patch, {event: line})`, oldest first; an event keeps its
    line until a later entry changes it, and is not logged before its first entry or after an entry gives None.
    `maintained`: later tags may come, so a release past `last` is "newer than checked" and is assumed to log where
    the newest entry says."""

    major: int
    minor: int
    last: int
    lines: tuple[tuple[int, LineChanges], ...]
    never_tagged: tuple[int, ...] = ()
    maintained: bool = False

    @property
    def key(self) -> tuple[int, int]:
        return (self.major, self.minor)

    @property
    def tags(self) -> tuple[Version, ...]:
        return tuple(Version(self.major, self.minor, p) for p in range(self.last + 1) if p not in self.never_tagged)

    def line_of(self, event: str, patch: int) -> int | None:
        """Where this branch's tag `patch` logs `event`; None where it does not log it."""
        found: int | None = None
        for first, changes in self.lines:
            if first <= patch and event in changes:
                found = changes[event]
        return found


@dataclass(frozen=True)
class Master:
    """The master snapshot the model was checked against: band L's behaviour."""

    version: Version  # master's VERSION file: CI builds of master carry this number
    commit: str
    describe: str  # `git describe` of the commit, for notes
    lines: Mapping[str, int]  # event -> its line (`log_events.FILE` names the file)
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
        Branch(
            1,
            7,
            last=3,
            lines=(
                (0, {DELETE_FAILED: 235, GC_ERROR: 498}),
                (1, {LOST: 251, DELETED: 233, GC_ERROR: 508}),
                (2, {GC_ERROR: 517}),
                (3, {LOST: 263, DELETED: 245, DELETE_FAILED: 247, GC_ERROR: None}),
            ),
        ),
        Branch(
            1,
            8,
            last=18,
            lines=(
                (0, {LOST: 252, DELETED: 234, DELETE_FAILED: 236, GC_ERROR: 565}),
                (1, {LOST: 264, DELETED: 246, DELETE_FAILED: 248}),
                (2, {GC_ERROR: 566}),
                (3, {LOST: 268, DELETED: 250, DELETE_FAILED: 252, GC_ERROR: 565}),
                (5, {LOST: 285, DELETED: 253, DELETE_FAILED: 255}),
                (7, {LOST: 289, DELETED: 257, DELETE_FAILED: 259}),
                (14, {GC_ERROR: 569}),
                (15, {LOST: 292, DELETED: 260, DELETE_FAILED: 262}),
            ),
            never_tagged=(10, 13, 16, 17),
        ),
        Branch(
            1,
            9,
            last=41,
            lines=(
                (0, {LOST: 267, DELETED: 249, DELETE_FAILED: 251, GC_ERROR: 573}),
                (1, {LOST: 268, DELETED: 250, DELETE_FAILED: 252}),
                (3, {LOST: 285, DELETED: 253, DELETE_FAILED: 255}),
                (4, {LOST: 289, DELETED: 257, DELETE_FAILED: 259}),
                (5, {LOST: 283, DELETED: 263, DELETE_FAILED: 265, GC_ERROR: 587}),
                (6, {LOST: 314, DELETED: 294, DELETE_FAILED: 296, GC_ERROR: 591}),
                (13, {GC_ERROR: 595}),
                (15, {LOST: 316, DELETED: 296, DELETE_FAILED: 298}),
                (17, {GC_ERROR: 586}),
                (25, {LOST: 317, DELETED: 297, DELETE_FAILED: 299}),
                (29, {LOST: 309, DELETED: 289, DELETE_FAILED: 291, GC_ERROR: 578}),
            ),
            never_tagged=(21, 24, 26, 34),
        ),
        Branch(
            1,
            10,
            last=10,
            lines=(
                (0, {LOST: 328, DELETED: 305, DELETE_FAILED: 307, GC_ERROR: 710}),
                (1, {LOST: 335, DELETED: 315, DELETE_FAILED: 317, GC_ERROR: 716}),
                (2, {GC_ERROR: 719}),
                (3, {GC_ERROR: 723}),
                (7, {GC_ERROR: 726}),
                (8, {LOST: 337, DELETED: 317, DELETE_FAILED: 319, GC_ERROR: 717}),
            ),
            never_tagged=(9,),
        ),
        Branch(
            1,
            11,
            last=24,
            lines=(
                (0, {LOST: 376, DELETED: 356, DELETE_FAILED: 358, GC_ERROR: 966}),
                (2, {GC_ERROR: 968}),
                (11, {LOST: 368, DELETED: 348, DELETE_FAILED: 350, GC_ERROR: 946}),
                (12, {GC_ERROR: 939}),
                (13, {LOST: 384}),
                (14, {GC_ERROR: 949}),
                (15, {GC_ERROR: 941}),
                (16, {LOST: 386, DELETED: 350, DELETE_FAILED: 352, GC_ERROR: 945}),
                (22, {GC_ERROR: 944}),
            ),
            never_tagged=(4, 9),
        ),
        Branch(
            1,
            12,
            last=35,
            lines=(
                (0, {LOST: 384, DELETED: 363, DELETE_FAILED: 365, GC_ERROR: 1074}),
                (1, {GC_ERROR: 1058}),
                (3, {GC_ERROR: 1051}),
                (4, {LOST: 400}),
                (5, {LOST: 401, DELETED: 364, DELETE_FAILED: 366, GC_ERROR: 1003}),
                (9, {GC_ERROR: 1013}),
                (15, {LOST: 415, DELETED: 378, DELETE_FAILED: 380}),
                (18, {GC_ERROR: 1015}),
                (19, {GC_ERROR: 1016}),
                (20, {LOST: 417, DELETED: 380, DELETE_FAILED: 382, GC_ERROR: 1014}),
                (23, {GC_ERROR: 1023}),
                (29, {LOST: 427, DELETED: 390, DELETE_FAILED: 392, GC_ERROR: 1027}),
                (32, {LOST: 431, DELETED: 394, DELETE_FAILED: 396, GC_ERROR: 1028}),
            ),
            maintained=True,
        ),
        Branch(
            1,
            13,
            last=15,
            lines=(
                (0, {LOST: 426, DELETED: 386, DELETE_FAILED: 388, GC_ERROR: 1167}),
                (3, {GC_ERROR: 1194}),
                (4, {LOST: 430, DELETED: 390, DELETE_FAILED: 392, GC_ERROR: 1195}),
                (15, {LOST: 449, DELETED: 409, DELETE_FAILED: 411}),
            ),
            maintained=True,
        ),
        Branch(
            1,
            14,
            last=41,
            lines=(
                (0, {LOST: 476, DELETED: 436, DELETE_FAILED: 438, GC_ERROR: 1283}),
                (4, {GC_ERROR: 1287}),
                (7, {LOST: 533, DELETED: 493, DELETE_FAILED: 495}),
                (16, {IP_KEPT: 1796}),
                (19, {IP_KEPT: 1806}),
                (21, {MIGRATION_SKIPPED: 170, IP_KEPT: 1793}),
                (30, {LOST: 559, DELETED: 519, DELETE_FAILED: 521, GC_ERROR: 1290}),
                (31, {MIGRATION_SKIPPED: 175}),
            ),
            maintained=True,
        ),
        Branch(
            1,
            15,
            last=24,
            lines=(
                (
                    0,
                    {
                        LOST: 538,
                        DELETED: 498,
                        DELETE_FAILED: 500,
                        GC_ERROR: 1381,
                        MIGRATION_SKIPPED: 170,
                        IP_KEPT: 1811,
                    },
                ),
                (2, {GC_ERROR: 1384}),
                (3, {LOST: 564, DELETED: 524, DELETE_FAILED: 526, GC_ERROR: 1387, MIGRATION_SKIPPED: 175}),
                (8, {IP_KEPT: 1817}),
                (9, {GC_ERROR: 1389, MIGRATION_SKIPPED: 187}),
                (11, {IP_KEPT: 1833}),
                (14, {GC_ERROR: 1392}),
                (17, {GC_ERROR: 1394}),
                (20, {GC_ERROR: 1402, IP_KEPT: 1854}),
                (24, {GC_ERROR: 1411}),
            ),
            maintained=True,
        ),
        Branch(
            1,
            16,
            last=2,
            lines=(
                (
                    0,
                    {
                        LOST: 553,
                        DELETED: 513,
                        DELETE_FAILED: 515,
                        GC_ERROR: 1408,
                        MIGRATION_SKIPPED: 187,
                        IP_KEPT: 1955,
                    },
                ),
                (1, {IP_KEPT: 1971}),
                (2, {GC_ERROR: 1414, IP_KEPT: 1983}),
            ),
            maintained=True,
        ),
    ),
    master=Master(
        Version(1, 17, 0),
        "1533681d7",
        "v1.16.0-400",
        {LOST: 562, DELETED: 522, DELETE_FAILED: 524, GC_ERROR: 1548, MIGRATION_SKIPPED: 187, IP_KEPT: 2187},
        "L",
    ),
)
