"""Where Kube-OVN logs that a GC cycle ended early (docs/kube-ovn-facts.md, "GC cycles that cannot complete";
docs/upstream-findings.md §12), two lines that name a known bug (§14, §15), and the one lookup for every line's
releases (`releases`).

- `failed to delete lsp <name>: <error>` (gc.go, Error): the delete after `gc logical switch port <name>` failed;
  `markAndCleanLSP` returns there, before it saves its marks and logs `lsp lost`.
- `gc lsp error: <error>` (controller.go, Error): `wait.Until`'s closure logs what `markAndCleanLSP` returned
  (absent from v1.7.3, which logs nothing).

- `VM pod <ns>/<pod> migration setup skipped, source node: …, target node: … (…)` (kubevirt.go, Warning):
  kubeovn/kube-ovn#6823 when the target node is empty (never retried before #6834).
- `deleting pod <ns>/<pod> net-attach-def <nad> not found and cannot determine subnet, gc will clean its ip cr`
  (pod.go, Error): kubeovn/kube-ovn#6943 for an IPAM-only attachment (fixed by #7034).

Line numbers read on every tag v1.7.0–v1.16.2 and master `1533681d7`; like `gc_lines`, a line narrows the release
down and never decides it.
"""

from __future__ import annotations

from kubectl_ovn_lsp.model import gc_lines
from kubectl_ovn_lsp.model.gc_lines import ReleaseRange, newest_maintained
from kubectl_ovn_lsp.model.versions import parse_version

DELETE_FAILED, GC_ERROR = "delete-failed", "gc-error"
MIGRATION_SKIPPED, IP_KEPT = "migration-skipped", "ip-kept"

# kubevirt.go:<line> -> tag ranges logging `migration setup skipped`
SKIPPED_LINES: dict[int, tuple[tuple[str, str], ...]] = {
    170: (("v1.14.21", "v1.14.30"), ("v1.15.0", "v1.15.2")),
    175: (("v1.14.31", "v1.14.41"), ("v1.15.3", "v1.15.8")),
    187: (("v1.15.9", "v1.15.24"), ("v1.16.0", "v1.16.2"), ("master", "master")),
}
# pod.go:<line> -> tag ranges logging `… cannot determine subnet, gc will clean its ip cr`
KEPT_LINES: dict[int, tuple[tuple[str, str], ...]] = {
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
FILE = {DELETE_FAILED: "gc.go", GC_ERROR: "controller.go", MIGRATION_SKIPPED: "kubevirt.go", IP_KEPT: "pod.go"}


def releases(event: str, line: int) -> list[ReleaseRange]:
    """The tag ranges that log `event` at that line (any GC line kind: lost, deleted, delete-failed, gc-error)."""
    table = {
        DELETE_FAILED: FAILED_DELETE_LINES,
        GC_ERROR: GC_ERROR_LINES,
        MIGRATION_SKIPPED: SKIPPED_LINES,
        IP_KEPT: KEPT_LINES,
    }.get(event)
    if table is None:
        return gc_lines.releases(event, line)
    out = []
    for first, last in table.get(line, ()):
        version = parse_version(last)
        newest = newest_maintained(version.branch) if version else None
        out.append(ReleaseRange(first, last, and_newer=last == newest or last == "master"))
    return out


__all__ = ["DELETE_FAILED", "FILE", "GC_ERROR", "IP_KEPT", "MIGRATION_SKIPPED", "releases"]
