"""The controller log lines the model reads, by event, and the Kube-OVN source file that logs each. At which line
of that file each checked release logs an event is the release register's (`release_register.Branch.lines`),
and `gc_lines` turns it into release ranges; `loglines` parses a line into its event.

From `markAndCleanLSP` (gc.go; docs/kube-ovn-facts.md, "GC log lines" and "GC cycles that cannot complete"):
- `lost`: `lsp lost for pod <name>, please delete the pod and retry` (Error), a keep-set name missing from NB;
- `deleted`: `gc logical switch port <name>` (Info; `… with uuid <uuid>` in v1.14.8–v1.14.41 and
  v1.15.0–v1.15.24, #5735, reverted in v1.16.0 by #6475), on the second consecutive run, just before the delete
  (the first strike logs nothing in any release);
- `delete-failed`: `failed to delete lsp <name>: <error>` (Error): the delete failed; `markAndCleanLSP` returns
  there, before it saves its marks and logs `lsp lost`.
- `gc-error`: `gc lsp error: <error>` (controller.go, Error): `wait.Until`'s closure logs what `markAndCleanLSP`
  returned (absent from v1.7.3, which logs nothing).
Two lines that name a known bug (docs/upstream-findings.md §14, §15):
- `migration-skipped`: `VM pod <ns>/<pod> migration setup skipped, source node: …, target node: … (…)`
  (kubevirt.go, Warning): kubeovn/kube-ovn#6823 when the target node is empty (never retried before #6834).
- `ip-kept`: `deleting pod <ns>/<pod> net-attach-def <nad> not found and cannot determine subnet, gc will clean
  its ip cr` (pod.go, Error): kubeovn/kube-ovn#6943 for an IPAM-only attachment (fixed by #7034).
A line number narrows the release down and never decides it.
"""

from __future__ import annotations

LOST, DELETED = "lost", "deleted"
DELETE_FAILED, GC_ERROR = "delete-failed", "gc-error"
MIGRATION_SKIPPED, IP_KEPT = "migration-skipped", "ip-kept"

FILE = {
    LOST: "gc.go",
    DELETED: "gc.go",
    DELETE_FAILED: "gc.go",
    GC_ERROR: "controller.go",
    MIGRATION_SKIPPED: "kubevirt.go",
    IP_KEPT: "pod.go",
}
EVENTS = tuple(FILE)

__all__ = ["DELETED", "DELETE_FAILED", "EVENTS", "FILE", "GC_ERROR", "IP_KEPT", "LOST", "MIGRATION_SKIPPED"]
