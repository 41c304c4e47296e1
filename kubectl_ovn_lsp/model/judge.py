"""Per-port verdicts and reason codes (docs/contracts.md, "Port verdicts and reason codes").

Three facts decide a port: does GC expect the name, does GC's NB list show it (`type == ""`, plus
`vendor=kube-ovn` under --enable-external-vpc), and does the workload need it. GC logs expected ∖ listed and
deletes listed ∖ expected on the second run; "needed" separates a false alarm from a real loss or risk.
"""

from __future__ import annotations

from typing import Any

from kubectl_ovn_lsp.model import migration as mig
from kubectl_ovn_lsp.model import port_state
from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.deletion import in_family
from kubectl_ovn_lsp.model.gc_pods import is_pod_alive, statefulset_owner
from kubectl_ovn_lsp.model.nad import KIND_IPAM, KIND_KUBE_OVN, network_of_provider
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER, port_name
from kubectl_ovn_lsp.model.port_rows import MIGRATION_LABEL, SOURCE_NB, Collected, Row, collect, has_allocation
from kubectl_ovn_lsp.model.port_verdict import Pass, gc_skips_delete, gc_verdict
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import (
    DELETION_RISK,
    LOST,
    OK,
    STALE,
    Decision,
    Judgement,
    PortFinding,
    WorkloadSnapshot,
    port_finding,
    worst,
)
from kubectl_ovn_lsp.model.verdicts import severity

LOST_LINE = "lsp lost for pod {}, please delete the pod and retry"


def listed_by_gc(port: NbPort, enable_external_vpc: bool) -> bool:
    """`ListNormalLogicalSwitchPorts`: type "" and, only with --enable-external-vpc, vendor=kube-ovn."""
    if port.type != "":
        return False
    return not enable_external_vpc or port.external_ids.get("vendor") == "kube-ovn"


def _attach_nb(col: Collected, snapshot: WorkloadSnapshot) -> dict[str, NbPort]:
    keys = {f"{snapshot.namespace}/{o}" for o in col.owners | col.alt_owners}
    found: dict[str, NbPort] = {}
    for port in snapshot.nb_ports:
        if port.name in col.rows or port.pod_key in keys or in_family(port.name, col):
            found[port.name] = port
    for name, port in found.items():
        row = col.row(name)
        if not row.sources:
            row.sources.add(SOURCE_NB)
        if in_family(name, col):
            row.needed = True
        if not row.provider:
            row.provider, row.network = _reverse_provider(port, snapshot.namespace)
        row.logical_switch = port.logical_switch or row.logical_switch
    return found


def _reverse_provider(port: NbPort, namespace: str) -> tuple[str, str]:
    """`stalePortNetworkDetails`: strip the known `<owner>.<ns>` prefix; the rest is the provider."""
    owner = (port.pod_key or "/").split("/", 1)[1]
    prefix = f"{owner}.{namespace}"
    if port.name == prefix:
        return OVN_PROVIDER, "default"
    provider = port.name[len(prefix) + 1 :] if port.name.startswith(prefix + ".") else ""
    return provider, network_of_provider(provider)


def judge(snapshot: WorkloadSnapshot, settings: ControllerSettings, collected: Collected | None = None) -> Judgement:
    """Every port of the workload with its verdict, what GC logs and deletes, the top verdict and advice.

    Steps: collect the rows (`port_rows.collect`), attach NB's ports (`_attach_nb`), settle the facts every port
    reads (`_settle`: a VM that never ran, which spec ports it needs), decide each port (`_decide`: GC's view,
    then the state a running migration asks for), then sum up (`_judgement`: log lines, deletions, notes,
    advice). A new per-port check goes into `_decide` after the GC verdict, as the migration one does.
    `collected`: the rows `collect(snapshot, settings)` returned for this snapshot when the caller already needed
    them (the replay, for the NB selection); they do not depend on `nb_ports` and are used up here.
    Raises MalformedMultusAnnotation / MissingNad (ModelError) for a pod Kube-OVN itself could not allocate.
    """
    col = collected if collected is not None else collect(snapshot, settings)
    step = _settle(col, _attach_nb(col, snapshot), snapshot, settings)
    findings = [_finding(step, name) for name in sorted(col.rows)]
    return _judgement(step, findings)


def _settle(col: Collected, nb: dict[str, NbPort], snapshot: WorkloadSnapshot, settings: ControllerSettings) -> Pass:
    """Decide what every port reads, and mark the VM spec's ports a VM needs.

    A stopped VM that has run keeps its ports (handleDeletePod) and needs them back on start; a VM that never
    ran has none yet, and a running one needs what its launcher pod uses, not what its spec now says."""
    never_ran = (
        snapshot.vm is not None
        and not has_allocation(snapshot)
        and not any((p.pod_key or "") == f"{snapshot.namespace}/{col.vm_name}" for p in nb.values())
    )
    for row in col.rows.values():
        if row.vm_spec and not never_ran and (not col.live_pod or row.awaiting_allocation):
            row.needed = True
    return Pass(
        col=col,
        nb=nb,
        snapshot=snapshot,
        settings=settings,
        never_ran=never_ran,
        vendor_filter=settings.enable_external_vpc or not col.behaviour.ext_vpc_flag,
        migration=mig.running_migration(snapshot) if col.gc_active or col.behaviour.gc_lsp else None,
    )


def _finding(step: Pass, name: str) -> PortFinding:
    row = step.col.rows[name]
    port = step.nb.get(name)
    listed = port is not None and listed_by_gc(port, step.vendor_filter)
    return port_finding(
        name,
        port,
        _decide(step, row, port, listed),
        provider=row.provider,
        network=row.network or network_of_provider(row.provider),
        sources=tuple(sorted(row.sources)),
        expected_by_gc=row.expected,
        listed_by_gc=listed,
        needed=row.needed,
        logical_switch=row.logical_switch,
    )


def _decide(step: Pass, row: Row, port: NbPort | None, listed: bool) -> Decision:
    """One port's verdict: GC's view (`port_verdict.gc_verdict`), then, for a present, needed, kept port of a VM named
    port being live-migrated, the options the running release sets (model/migration.py), then, for any present,
    needed, kept port, its state against the owner's allocation (model/port_state.py): the worse one wins."""
    decision = gc_verdict(step, row, port, listed)
    col = step.col
    vm_named = col.vm_name is not None and col.owner == col.vm_name
    if decision[0] == OK and port is not None and listed and row.needed and step.migration is not None and vm_named:
        primary = port_name(col.vm_name or col.owner, step.snapshot.namespace, OVN_PROVIDER)
        retries = col.behaviour.migrate_defer_unscheduled
        decision = mig.judge_port(mig.shape_of(col.behaviour), step.migration, port, primary, retries)
    if port is not None and listed and row.needed and severity(decision[0]) < severity(LOST):
        state = _port_state(step, row, port, vm_named)
        if state is not None and severity(state[0]) > severity(decision[0]):
            return state
    return decision


def _port_state(step: Pass, row: Row, port: NbPort, vm_named: bool) -> Decision | None:
    """The port against the allocation of the pod that uses it (the serving pod first: a migration target has the
    same values), and what repairs it for this kind of owner."""
    names = {e.pod: e.provider for e in row.pod_entries}
    pods = [p for p in step.snapshot.pods if (p.get("metadata") or {}).get("name") in names]
    now = step.snapshot.now

    def order(pod: dict[str, Any]) -> tuple[bool, bool]:
        return not is_pod_alive(pod, now), MIGRATION_LABEL in ((pod.get("metadata") or {}).get("labels") or {})

    pods.sort(key=order)
    for pod in pods:
        meta = pod.get("metadata") or {}
        source = f"pod {meta.get('namespace', '')}/{meta.get('name', '')}"
        alloc = port_state.allocation(pod, names[str(meta.get("name"))], source)
        if alloc is None:
            continue
        owner = port_state.VM if vm_named else port_state.STATEFULSET if statefulset_owner(pod) else port_state.POD
        return port_state.judge_state(port, alloc, step.snapshot.switches, step.col.behaviour, owner)
    return None


def _judgement(step: Pass, findings: list[PortFinding]) -> Judgement:
    """Sum the findings up: GC's `lsp lost` lines, what it deletes, the top verdict, notes and advice."""
    col = step.col
    lost = tuple(f.name for f in findings if f.expected_by_gc and not f.listed_by_gc)
    delete = tuple(
        f.name
        for f in findings
        if f.listed_by_gc and not f.expected_by_gc and col.gc_active and not gc_skips_delete(step.nb[f.name], col)
    )
    assert all(f.verdict in (STALE, DELETION_RISK) for f in findings if f.name in delete), "wouldDelete vs verdicts"
    verdict = worst([f.verdict for f in findings])
    ranked = sorted(findings, key=lambda f: -severity(f.verdict))
    return Judgement(
        port_owner=col.owner,
        target_kind=col.target_kind,
        target_name=step.snapshot.target_name,
        pods=col.pods,
        ports=tuple(findings),
        lost_logged=lost,
        would_delete=delete,
        message="\n".join(LOST_LINE.format(n) for n in lost) or None,
        verdict=verdict,
        advice=advice_for(verdict, ranked, step.settings),
        notes=tuple(_notes(step, findings, delete)),
    )


def _notes(step: Pass, findings: list[PortFinding], delete: tuple[str, ...]) -> list[str]:
    col, settings = step.col, step.settings
    notes = list(col.notes) + list(settings.notes) + _provider_mismatches(col) + _no_port_notes(findings, step.snapshot)
    if delete and not col.behaviour.periodic_only:
        notes.append("this release runs GC twice at controller start: a restart deletes unexpected ports at once")
    vm_named = col.vm_name is not None and col.owner == col.vm_name
    if step.migration is not None and not vm_named and col.vm_name is not None:
        notes.append(
            f"live migration {step.migration.nodes} in progress; without keep-vm-ip each launcher pod has its own "
            "ports, and the VMI-migration handler (named after the VMI) does not set options on them"
        )
    return notes


def _no_port_notes(findings: list[PortFinding], snapshot: WorkloadSnapshot) -> list[str]:
    """Why a workload shows no ports at all (the table would only say "(no ports)")."""
    if findings:
        return []
    if any((p.get("spec") or {}).get("hostNetwork") for p in snapshot.pods):
        return [
            (
                "no ports: a hostNetwork pod uses its node's network, Kube-OVN allocates no address and creates "
                "no logical switch port for it (its node's port node-<node> carries its traffic)"
            )
        ]
    if not snapshot.pods:
        return ["no ports: no pod runs for this workload and nothing names a port for it"]
    return [
        (
            "no ports: the pod asks Kube-OVN for no network (a Multus default network of another CNI, or "
            "--non-primary-cni-mode without a kube-ovn attachment)"
        )
    ]


def _provider_mismatches(col: Collected) -> list[str]:
    """The controller derives the provider; the CNI reads the NAD's own `provider` (empty means "ovn",
    `loadNetConf`): if they differ, the kube-ovn-cni daemon waits forever for annotations (docs/kube-ovn-facts.md,
    "Multus and NADs")."""
    out = []
    for row in col.rows.values():
        nad = row.intended.nad if row.intended else None
        if nad is None or nad.kind not in (KIND_KUBE_OVN, KIND_IPAM):
            continue
        given = nad.config_provider or OVN_PROVIDER
        want = row.provider.split(".ovn.", 1)[0] + ".ovn" if ".ovn." in row.provider else row.provider
        if given != want:
            what = f"sets provider {given!r}" if nad.config_provider else "sets no provider (the CNI then uses 'ovn')"
            out.append(
                f"NAD {row.network} {what}, but Kube-OVN derives {want!r}: "
                "the CNI would wait forever for this network's annotations"
            )
    return sorted(set(out))
