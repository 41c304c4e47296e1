"""Port state beyond existence: the live-migration options each release sets, and on which ports.

While KubeVirt live-migrates a VM, Kube-OVN gives the VM's ports `options:requested-chassis=<src>,<dst>` and
`options:activation-strategy=rarp` (`SetLogicalSwitchPortMigrateOptions`, pkg/ovs/ovn-nb-logical_switch_port.go)
so OVN binds the port on both chassis; on success/failure they are reset to one chassis. *Which* ports get them,
and when, changed six times (pkg/controller/kubevirt.go `handleAddOrUpdateVMIMigration`, pod.go
`reconcileAllocateSubnets`; tag ranges and file:line in docs/upstream-findings.md §7). Not every port of a
migrating VM carries them: before v1.15.9/v1.16.0 (kubeovn/kube-ovn#6241) an attachment port never does.

A needed port that GC leaves alone but lacks the options the migration needs is `degraded` (exit 6):
- MIG1: the release's handler sets them only on `<vm>.<ns>`, never on this attachment port (v1.14.21–v1.14.41,
  v1.15.0–v1.15.8; fixed v1.15.9 / v1.16.0 by #6241);
- MIG2: the handler sets them on no port at all (v1.13.3–v1.13.14: `needAllocateSubnets(sourcePod)` is empty for
  an allocated source pod; fixed v1.13.15 / v1.14.0 by #5388 "fix migrate down time");
- MIG3: the release sets them on this port by now, but NB lacks them (handler failing or not run, or
  `--enable-live-migration-optimize=false`): not a known release bug; read the controller log;
- MIG4: the same, in a release whose handler skips a migration whose target pod had no node yet and never
  retries (`migration setup skipped`, kubeovn/kube-ovn#6823: v1.14.21–v1.14.41, v1.15.0–v1.15.13,
  v1.16.0–v1.16.2; fixed v1.15.14, release-1.16 head, #6834).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kubectl_ovn_lsp.model.bands import Behaviour
from kubectl_ovn_lsp.model.gc_pods import is_pod_alive
from kubectl_ovn_lsp.model.port_rows import MIGRATION_LABEL
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.snapshot import DEGRADED, OK, WorkloadSnapshot

NODE_LABEL = "kubevirt.io/nodeName"
REQUESTED_CHASSIS = "requested-chassis"
ACTIVATION_STRATEGY = "activation-strategy"
# v1.12.29–v1.13.2 react only to these Kube-OVN-specific target-pod annotations (pkg/util/const.go), which
# upstream KubeVirt does not write.
KUBE_OVN_TARGET_ANNOTATION = "kubevirt.io/migration-target"
KUBE_OVN_SOURCE_NODE_ANNOTATION = "kubevirt.io/migration-source-node"
KUBE_OVN_PHASE_ANNOTATION = "kubevirt.io/migration-phase"


class Shape(Enum):
    """How a release sets the migration options (one value per distinct upstream code shape)."""

    NONE = "none"  # ≤v1.12.28, v1.8–v1.11: no migration options at all
    POD_ANNOTATIONS = "pod-annotations"  # v1.12.29–v1.12.35, v1.13.0–v1.13.2: pod.go, Kube-OVN's own annotations
    HANDLER_NONE = "handler-none"  # v1.13.3–v1.13.14: kubevirt.go, but needAllocateSubnets(sourcePod) is empty
    HANDLER_ALL_NETS = "handler-all-nets"  # v1.13.15, v1.14.0–v1.14.12: every net of the source pod, phase Running
    TARGET_POD = "target-pod"  # v1.14.13–v1.14.20: pod.go while allocating the target pod, every net
    PRIMARY_ONLY = "primary-only"  # v1.14.21–v1.14.41, v1.15.0–v1.15.8: phase Scheduling, <vmi>.<ns> only
    ALL_VM_PORTS = "all-vm-ports"  # v1.15.9+, v1.16.0+, master: every listed port with pod=<ns>/<vmi>


def shape_of(behaviour: Behaviour) -> Shape:
    """The newest shape whose switch is on (later shapes replace earlier ones on every branch)."""
    b = behaviour
    if b.migrate_all_vm_ports:
        return Shape.ALL_VM_PORTS
    if b.migrate_primary_only:
        return Shape.PRIMARY_ONLY
    if b.migrate_target_pod:
        return Shape.TARGET_POD
    if b.migrate_handler_all_nets:
        return Shape.HANDLER_ALL_NETS
    if b.migrate_handler:
        return Shape.HANDLER_NONE
    if b.migrate_options_pod:
        return Shape.POD_ANNOTATIONS
    return Shape.NONE


@dataclass(frozen=True)
class Migration:
    """A live migration in progress, as the snapshot shows it."""

    source_node: str
    target_node: str  # "" while the target pod is not scheduled
    target_pod: Mapping[str, Any] | None
    started: bool  # VMI status.migrationState.startTimestamp: the migration has reached phase Running

    @property
    def nodes(self) -> str:
        return f"{self.source_node or '?'} → {self.target_node or '(not scheduled yet)'}"


def _labels(pod: Mapping[str, Any]) -> Mapping[str, str]:
    return (pod.get("metadata") or {}).get("labels") or {}


def running_migration(snapshot: WorkloadSnapshot) -> Migration | None:
    """A migration runs when an alive launcher pod carries the migration-job label, or the VMI's migrationState is
    neither completed nor failed. Nodes from the VMI's migrationState, else the pods."""
    targets = [p for p in snapshot.pods if MIGRATION_LABEL in _labels(p) and is_pod_alive(p, snapshot.now)]
    vmi_status = (snapshot.vmi or {}).get("status") or {}
    state = vmi_status.get("migrationState") or {}
    open_state = bool(state) and not state.get("completed") and not state.get("failed")
    if not targets and not open_state:
        return None
    target = targets[0] if targets else None
    target_node = str(((target or {}).get("spec") or {}).get("nodeName") or state.get("targetNode") or "")
    started = bool(state.get("startTimestamp")) and open_state
    return Migration(_source_node(snapshot, target, state, vmi_status), target_node, target, started)


def _source_node(
    snapshot: WorkloadSnapshot, target: Mapping[str, Any] | None, state: Mapping[str, Any], vmi: Mapping[str, Any]
) -> str:
    """The VMI's migrationState, else the VMI's node, else the node of an alive pod that is not the target."""
    sources = [p for p in snapshot.pods if p is not target and is_pod_alive(p, snapshot.now)]
    return str(
        state.get("sourceNode")
        or vmi.get("nodeName")
        or (((sources[0].get("spec") or {}).get("nodeName")) if sources else "")
        or ""
    )


def has_options(port: NbPort, migration: Migration) -> bool:
    """Both chassis requested (and, when known, the target among them) and RARP activation."""
    chassis = port.options.get(REQUESTED_CHASSIS, "")
    both = "," in chassis and (not migration.target_node or migration.target_node in chassis.split(","))
    return both and port.options.get(ACTIVATION_STRATEGY) == "rarp"


@dataclass(frozen=True)
class Expectation:
    """What the release does for one port during this migration."""

    sets_now: bool  # the release has set the options on this port by now
    never: str | None  # reason code when the release never sets them on this port although the migration needs them
    why: str  # one clause for the detail


def _target_annotations_ready(migration: Migration) -> bool:
    ann = ((migration.target_pod or {}).get("metadata") or {}).get("annotations") or {}
    return bool(
        ann.get(KUBE_OVN_TARGET_ANNOTATION)
        and ann.get(KUBE_OVN_SOURCE_NODE_ANNOTATION)
        and ann.get(KUBE_OVN_PHASE_ANNOTATION) == "started"
        and migration.target_node
    )


def expectation(shape: Shape, migration: Migration, port_name: str, primary: str) -> Expectation:
    """Does the running release set the migration options on `port_name` (a needed port of the VM) by now?"""
    scheduled = bool(migration.target_node) and migration.target_node != migration.source_node
    if shape is Shape.NONE:
        return Expectation(
            False,
            None,
            "this release sets no live-migration options on any port (they first appear in v1.12.29 and v1.13.0)",
        )
    if shape is Shape.POD_ANNOTATIONS:
        if _target_annotations_ready(migration):
            return Expectation(
                True, None, "this release sets them on every network's port while allocating the target pod"
            )
        return Expectation(
            False,
            None,
            "this release sets them only for a target pod carrying Kube-OVN's own "
            "kubevirt.io/migration-* annotations, which upstream KubeVirt does not write",
        )
    if shape is Shape.HANDLER_NONE:
        return Expectation(
            False,
            "MIG2",
            "the VMI-migration handler of v1.13.3–v1.13.14 picks the networks with "
            "needAllocateSubnets(source pod), which is empty for an allocated pod, so "
            "it sets them on no port (fixed in v1.13.15 and v1.14.0, #5388)",
        )
    if shape is Shape.HANDLER_ALL_NETS:
        return Expectation(
            migration.started,
            None,
            "this release sets them on every network's port once the migration reaches phase Running",
        )
    if shape is Shape.TARGET_POD:
        labels = _labels(migration.target_pod or {})
        ready = scheduled and labels.get(NODE_LABEL) not in (None, "", migration.target_node)
        return Expectation(
            ready,
            None,
            "this release sets them on every network's port while allocating the target "
            "pod, if its kubevirt.io/nodeName label names the source node",
        )
    if shape is Shape.PRIMARY_ONLY:
        if port_name != primary:
            return Expectation(
                False,
                "MIG1",
                f"this release's VMI-migration handler sets them only on {primary}, "
                "never on an attachment port (fixed in v1.15.9 and v1.16.0, #6241)",
            )
        return Expectation(scheduled, None, "this release sets them on <vm>.<ns> once the target pod is scheduled")
    return Expectation(
        scheduled, None, "this release sets them on every port of the VM once the target pod is scheduled"
    )


def judge_port(
    shape: Shape, migration: Migration, port: NbPort, primary: str, retries: bool = True
) -> tuple[str, str | None, str]:
    """(verdict, reason, detail) for a present, needed port that GC leaves alone, of a VM being migrated.
    `retries`: the handler requeues a migration whose target pod has no node yet (#6834, switch
    `migrate_defer_unscheduled`); without it the phase-Scheduling releases skip it for good (MIG4, #6823)."""
    if has_options(port, migration):
        chassis = port.options.get(REQUESTED_CHASSIS, "")
        return OK, None, f"present; live migration in progress ({REQUESTED_CHASSIS}={chassis})"
    current = port.options.get(REQUESTED_CHASSIS)
    state = f"{REQUESTED_CHASSIS}={current}" if current else f"no {REQUESTED_CHASSIS}"
    exp = expectation(shape, migration, port.name, primary)
    head = f"live migration {migration.nodes} in progress, but the port has {state}"
    if exp.never:
        return DEGRADED, exp.never, f"{head}: {exp.why}; OVN binds it on one chassis only"
    if exp.sets_now and not retries and shape in (Shape.PRIMARY_ONLY, Shape.ALL_VM_PORTS):
        return (
            DEGRADED,
            "MIG4",
            (
                f"{head}: {exp.why}, but this release's handler runs at phase Scheduling and, when the target pod "
                "has no node yet, logs 'migration setup skipped' and never retries (kubeovn/kube-ovn#6823); the "
                "target pod waits in ContainerCreating ('ovs interface … is not ready after 30s' in kube-ovn-cni)"
            ),
        )
    if exp.sets_now:
        return (
            DEGRADED,
            "MIG3",
            (
                f"{head}: {exp.why}, so it should carry {REQUESTED_CHASSIS}="
                f"{migration.source_node},{migration.target_node} and {ACTIVATION_STRATEGY}=rarp; "
                "see the kube-ovn-controller log for 'migrate options'"
            ),
        )
    return OK, None, f"present; live migration {migration.nodes} in progress; {exp.why}"
