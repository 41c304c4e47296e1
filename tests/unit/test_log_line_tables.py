"""The release ranges of every log line the model reads (`gc_lines`), as read in the upstream mirror tag by tag
(docs/upstream-findings.md §§ on GC lines, §12, §14, §15): written out here as literals, they must equal what the
model derives from its release register (`release_register.REGISTER`)."""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model.gc_lines import line_table, logs_at
from kubectl_ovn_lsp.model.log_events import DELETE_FAILED, DELETED, EVENTS, GC_ERROR, IP_KEPT, LOST, MIGRATION_SKIPPED
from kubectl_ovn_lsp.model.versions import parse_version

# What the upstream mirror shows, tag by tag (docs/upstream-findings.md): line -> ranges of tags (first, last) that
# log it there. The model derives these from its release register (releases.REGISTER); they must agree.
LOST_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    251: (("v1.7.1", "v1.7.2"),),
    252: (("v1.8.0", "v1.8.0"),),
    263: (("v1.7.3", "v1.7.3"),),
    264: (("v1.8.1", "v1.8.2"),),
    267: (("v1.9.0", "v1.9.0"),),
    268: (("v1.8.3", "v1.8.4"), ("v1.9.1", "v1.9.2")),
    283: (("v1.9.5", "v1.9.5"),),
    285: (("v1.8.5", "v1.8.6"), ("v1.9.3", "v1.9.3")),
    289: (("v1.8.7", "v1.8.14"), ("v1.9.4", "v1.9.4")),
    292: (("v1.8.15", "v1.8.18"),),
    309: (("v1.9.29", "v1.9.41"),),
    314: (("v1.9.6", "v1.9.14"),),
    316: (("v1.9.15", "v1.9.23"),),
    317: (("v1.9.25", "v1.9.28"),),
    328: (("v1.10.0", "v1.10.0"),),
    335: (("v1.10.1", "v1.10.7"),),
    337: (("v1.10.8", "v1.10.10"),),
    368: (("v1.11.11", "v1.11.12"),),
    376: (("v1.11.0", "v1.11.10"),),
    384: (("v1.11.13", "v1.11.15"), ("v1.12.0", "v1.12.3")),
    386: (("v1.11.16", "v1.11.24"),),
    400: (("v1.12.4", "v1.12.4"),),
    401: (("v1.12.5", "v1.12.14"),),
    415: (("v1.12.15", "v1.12.19"),),
    417: (("v1.12.20", "v1.12.28"),),
    426: (("v1.13.0", "v1.13.3"),),
    427: (("v1.12.29", "v1.12.31"),),
    430: (("v1.13.4", "v1.13.14"),),
    431: (("v1.12.32", "v1.12.35"),),
    449: (("v1.13.15", "v1.13.15"),),
    476: (("v1.14.0", "v1.14.6"),),
    533: (("v1.14.7", "v1.14.29"),),
    538: (("v1.15.0", "v1.15.2"),),
    553: (("v1.16.0", "v1.16.2"),),
    559: (("v1.14.30", "v1.14.41"),),
    562: (("master", "master"),),
    564: (("v1.15.3", "v1.15.24"),),
}
DELETE_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    233: (("v1.7.1", "v1.7.2"),),
    245: (("v1.7.3", "v1.7.3"),),
    234: (("v1.8.0", "v1.8.0"),),
    246: (("v1.8.1", "v1.8.2"),),
    250: (("v1.8.3", "v1.8.4"), ("v1.9.1", "v1.9.2")),
    253: (("v1.8.5", "v1.8.6"), ("v1.9.3", "v1.9.3")),
    257: (("v1.8.7", "v1.8.14"), ("v1.9.4", "v1.9.4")),
    260: (("v1.8.15", "v1.8.18"),),
    249: (("v1.9.0", "v1.9.0"),),
    263: (("v1.9.5", "v1.9.5"),),
    294: (("v1.9.6", "v1.9.14"),),
    296: (("v1.9.15", "v1.9.23"),),
    297: (("v1.9.25", "v1.9.28"),),
    289: (("v1.9.29", "v1.9.41"),),
    305: (("v1.10.0", "v1.10.0"),),
    315: (("v1.10.1", "v1.10.7"),),
    317: (("v1.10.8", "v1.10.10"),),
    356: (("v1.11.0", "v1.11.10"),),
    348: (("v1.11.11", "v1.11.15"),),
    350: (("v1.11.16", "v1.11.24"),),
    363: (("v1.12.0", "v1.12.4"),),
    364: (("v1.12.5", "v1.12.14"),),
    378: (("v1.12.15", "v1.12.19"),),
    380: (("v1.12.20", "v1.12.28"),),
    390: (("v1.12.29", "v1.12.31"), ("v1.13.4", "v1.13.14")),
    394: (("v1.12.32", "v1.12.35"),),
    386: (("v1.13.0", "v1.13.3"),),
    409: (("v1.13.15", "v1.13.15"),),
    436: (("v1.14.0", "v1.14.6"),),
    493: (("v1.14.7", "v1.14.29"),),
    519: (("v1.14.30", "v1.14.41"),),
    498: (("v1.15.0", "v1.15.2"),),
    524: (("v1.15.3", "v1.15.24"),),
    513: (("v1.16.0", "v1.16.2"),),
    522: (("master", "master"),),
}


# kubevirt.go:<line> -> tag ranges logging `migration setup skipped`
MIGRATION_SKIPPED_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    170: (("v1.14.21", "v1.14.30"), ("v1.15.0", "v1.15.2")),
    175: (("v1.14.31", "v1.14.41"), ("v1.15.3", "v1.15.8")),
    187: (("v1.15.9", "v1.15.24"), ("v1.16.0", "v1.16.2"), ("master", "master")),
}
# pod.go:<line> -> tag ranges logging `… cannot determine subnet, gc will clean its ip cr`
IP_KEPT_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    1793: (("v1.14.21", "v1.14.41"),),
    1796: (("v1.14.16", "v1.14.18"),),
    1806: (("v1.14.19", "v1.14.20"),),
    1811: (("v1.15.0", "v1.15.7"),),
    1817: (("v1.15.8", "v1.15.10"),),
    1833: (("v1.15.11", "v1.15.19"),),
    1854: (("v1.15.20", "v1.15.24"),),
    1955: (("v1.16.0", "v1.16.0"),),
    1971: (("v1.16.1", "v1.16.1"),),
    1983: (("v1.16.2", "v1.16.2"),),
    2187: (("master", "master"),),
}

# gc.go:<line> -> tag ranges logging `failed to delete lsp`
FAILED_DELETE_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    235: (("v1.7.0", "v1.7.2"),),
    236: (("v1.8.0", "v1.8.0"),),
    247: (("v1.7.3", "v1.7.3"),),
    248: (("v1.8.1", "v1.8.2"),),
    251: (("v1.9.0", "v1.9.0"),),
    252: (("v1.8.3", "v1.8.4"), ("v1.9.1", "v1.9.2")),
    255: (("v1.8.5", "v1.8.6"), ("v1.9.3", "v1.9.3")),
    259: (("v1.8.7", "v1.8.14"), ("v1.9.4", "v1.9.4")),
    262: (("v1.8.15", "v1.8.18"),),
    265: (("v1.9.5", "v1.9.5"),),
    291: (("v1.9.29", "v1.9.41"),),
    296: (("v1.9.6", "v1.9.14"),),
    298: (("v1.9.15", "v1.9.23"),),
    299: (("v1.9.25", "v1.9.28"),),
    307: (("v1.10.0", "v1.10.0"),),
    317: (("v1.10.1", "v1.10.7"),),
    319: (("v1.10.8", "v1.10.10"),),
    350: (("v1.11.11", "v1.11.15"),),
    352: (("v1.11.16", "v1.11.24"),),
    358: (("v1.11.0", "v1.11.10"),),
    365: (("v1.12.0", "v1.12.4"),),
    366: (("v1.12.5", "v1.12.14"),),
    380: (("v1.12.15", "v1.12.19"),),
    382: (("v1.12.20", "v1.12.28"),),
    388: (("v1.13.0", "v1.13.3"),),
    392: (("v1.12.29", "v1.12.31"), ("v1.13.4", "v1.13.14")),
    396: (("v1.12.32", "v1.12.35"),),
    411: (("v1.13.15", "v1.13.15"),),
    438: (("v1.14.0", "v1.14.6"),),
    495: (("v1.14.7", "v1.14.29"),),
    500: (("v1.15.0", "v1.15.2"),),
    515: (("v1.16.0", "v1.16.2"),),
    521: (("v1.14.30", "v1.14.41"),),
    524: (("master", "master"),),
    526: (("v1.15.3", "v1.15.24"),),
}
# controller.go:<line> -> tag ranges logging `gc lsp error`
GC_ERROR_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    498: (("v1.7.0", "v1.7.0"),),
    508: (("v1.7.1", "v1.7.1"),),
    517: (("v1.7.2", "v1.7.2"),),
    565: (("v1.8.0", "v1.8.1"), ("v1.8.3", "v1.8.12")),
    566: (("v1.8.2", "v1.8.2"),),
    569: (("v1.8.14", "v1.8.18"),),
    573: (("v1.9.0", "v1.9.4"),),
    578: (("v1.9.29", "v1.9.41"),),
    586: (("v1.9.17", "v1.9.28"),),
    587: (("v1.9.5", "v1.9.5"),),
    591: (("v1.9.6", "v1.9.12"),),
    595: (("v1.9.13", "v1.9.16"),),
    710: (("v1.10.0", "v1.10.0"),),
    716: (("v1.10.1", "v1.10.1"),),
    717: (("v1.10.8", "v1.10.10"),),
    719: (("v1.10.2", "v1.10.2"),),
    723: (("v1.10.3", "v1.10.6"),),
    726: (("v1.10.7", "v1.10.7"),),
    939: (("v1.11.12", "v1.11.13"),),
    941: (("v1.11.15", "v1.11.15"),),
    944: (("v1.11.22", "v1.11.24"),),
    945: (("v1.11.16", "v1.11.21"),),
    946: (("v1.11.11", "v1.11.11"),),
    949: (("v1.11.14", "v1.11.14"),),
    966: (("v1.11.0", "v1.11.1"),),
    968: (("v1.11.2", "v1.11.10"),),
    1003: (("v1.12.5", "v1.12.8"),),
    1013: (("v1.12.9", "v1.12.17"),),
    1014: (("v1.12.20", "v1.12.22"),),
    1015: (("v1.12.18", "v1.12.18"),),
    1016: (("v1.12.19", "v1.12.19"),),
    1023: (("v1.12.23", "v1.12.28"),),
    1027: (("v1.12.29", "v1.12.31"),),
    1028: (("v1.12.32", "v1.12.35"),),
    1051: (("v1.12.3", "v1.12.4"),),
    1058: (("v1.12.1", "v1.12.2"),),
    1074: (("v1.12.0", "v1.12.0"),),
    1167: (("v1.13.0", "v1.13.2"),),
    1194: (("v1.13.3", "v1.13.3"),),
    1195: (("v1.13.4", "v1.13.15"),),
    1283: (("v1.14.0", "v1.14.3"),),
    1287: (("v1.14.4", "v1.14.29"),),
    1290: (("v1.14.30", "v1.14.41"),),
    1381: (("v1.15.0", "v1.15.1"),),
    1384: (("v1.15.2", "v1.15.2"),),
    1387: (("v1.15.3", "v1.15.8"),),
    1389: (("v1.15.9", "v1.15.13"),),
    1392: (("v1.15.14", "v1.15.16"),),
    1394: (("v1.15.17", "v1.15.19"),),
    1402: (("v1.15.20", "v1.15.23"),),
    1408: (("v1.16.0", "v1.16.1"),),
    1411: (("v1.15.24", "v1.15.24"),),
    1414: (("v1.16.2", "v1.16.2"),),
    1548: (("master", "master"),),
}

TABLES = [
    (LOST, LOST_LINES),
    (DELETED, DELETE_LINES),
    (DELETE_FAILED, FAILED_DELETE_LINES),
    (GC_ERROR, GC_ERROR_LINES),
    (MIGRATION_SKIPPED, MIGRATION_SKIPPED_LINES),
    (IP_KEPT, IP_KEPT_LINES),
]


@pytest.mark.parametrize("event, table", TABLES)
def test_the_register_derives_the_line_tables_read_upstream(event: str, table: dict) -> None:
    assert line_table(event) == table


@pytest.mark.parametrize("event, table", TABLES)
def test_the_line_table_on_every_tag_it_names(event: str, table: dict) -> None:
    for line, ranges in table.items():
        for first, last in ranges:
            for tag in {first, last} - {"master"}:
                assert logs_at(event, line, parse_version(tag)), (event, line, tag)
            if first != "master":
                before = parse_version(first)
                earlier = parse_version(f"v{before.major}.{before.minor}.{before.patch - 1}") if before.patch else None
                if earlier and not any(
                    line in (n,)
                    for n, rs in table.items()
                    for f, la in rs
                    if parse_version(f) and parse_version(f) <= earlier <= parse_version(la) and n == line
                ):
                    assert not logs_at(event, line, earlier), (event, line, str(earlier))


def test_every_event_has_its_table() -> None:
    assert {event for event, _ in TABLES} == set(EVENTS)


def test_a_line_given_up_and_taken_again_is_two_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """An event not logged for a while (None) and then logged at its old line again: the ranges do not bridge the
    gap, and a never-tagged patch inside a run does not split it."""
    from kubectl_ovn_lsp.model import release_register
    from kubectl_ovn_lsp.model.release_register import Branch, Master, Register
    from kubectl_ovn_lsp.model.versions import Version

    branch = Branch(
        2, 0, last=6, lines=((0, {GC_ERROR: 10}), (2, {GC_ERROR: None}), (4, {GC_ERROR: 10})), never_tagged=(5,)
    )
    register = Register((branch,), Master(Version(2, 1, 0), "abc", "v2.0.6-1", {GC_ERROR: 11}, "L"))
    monkeypatch.setattr(release_register, "REGISTER", register)
    assert line_table(GC_ERROR) == {10: (("v2.0.0", "v2.0.1"), ("v2.0.4", "v2.0.6")), 11: (("master", "master"),)}
    assert line_table(LOST) == {}
    assert branch.line_of(GC_ERROR, 3) is None and branch.line_of(GC_ERROR, 6) == 10
