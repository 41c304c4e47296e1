"""Plain-language texts for reason codes (docs/contracts.md, "Port verdicts and reason codes"): what the class is and
what the operator should do.

Kept apart from the rules so wording can be reviewed without reading the decision logic.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubectl_ovn_lsp.model.fixes import fixed_text
from kubectl_ovn_lsp.model.port_state import REPAIR_MARK
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.snapshot import DEGRADED, DELETION_RISK, FALSE_POSITIVE, LOST, OK, STALE, PortFinding

# Advice without a running release names every fixed release (fixes.fixed_text with version None).
UNKNOWN_RELEASE = ControllerSettings(None, None, "L", True, False, False, "assumed")

ADVICE: dict[str, str] = {
    "FP1": (
        "Harmless: the VM's network is intact; GC adds <vm>.<ns> for every VM, even one whose only network is "
        "a Multus default network. Upgrade: {fix}. Do not delete the pod: it does not help."
    ),
    "FP2": (
        "Harmless: GC's VM path appends .ovn to every Multus network of a VM without checking the NAD type, so "
        "an IPAM-only or non-Kube-OVN attachment is reported lost. Still open upstream; ignore the line."
    ),
    "FP3": (
        "Harmless: the VM has never run, so none of its ports exist yet, but GC expects them from the VM object. "
        "The line stops once the VM starts; ignore it or delete an unused VM object."
    ),
    "FP4": (
        "GC does not know the v1.16 per-interface names of a NAD attached twice: the un-suffixed name is logged "
        "lost (harmless), and the suffixed ports of a stopped VM are not protected from deletion."
    ),
    "FP5": (
        "Harmless: with --non-primary-cni-mode the VM has no default-network port, but GC still expects <vm>.<ns>. "
        "Still open upstream; ignore the line."
    ),
    "FP6": (
        "The port exists but GC's list filter hides it (type is not empty, or external_ids:vendor=kube-ovn is "
        "missing while --enable-external-vpc=true), so GC logs it lost on every cycle. Set "
        "external_ids:vendor=kube-ovn on the port, or run with --enable-external-vpc=false if you do not use it."
    ),
    "FP7": (
        "Harmless: a hostNetwork pod carries allocated/logical_switch annotations, so GC expects a port it never "
        "gets ({fix}); remove the stray annotations to silence it."
    ),
    "FP8": (
        "Harmless: an IPAM-only attachment (an IP from Kube-OVN, no OVN port) is mistaken for an OVN network by "
        "this release's subnet test. Upgrade: {fix} (three-field provider rule)."
    ),
    "FP9": (
        "Probably transient: the pod was allocated moments ago; inspectPod re-creates a missing port within about "
        "20 s. Check again after the next GC cycle."
    ),
    "DEL1": (
        "GC deletes the Multus port (and its IP) of a stopped VM whose spec uses a bare networkName; the VM gets "
        "a new address when it starts. Upgrade ({fix}), or write networkName as <namespace>/<name>."
    ),
    "DEL2": (
        "GC deletes the Multus ports and IPs of a stopped VM that has no Multus annotation on its template "
        "(kubeovn/kube-ovn#5556). Upgrade ({fix}), or keep the VM running."
    ),
    "DEL3": (
        "GC in v1.8.1–v1.8.18 never expects Kube-OVN Multus attachment ports and deletes them after two runs. "
        "Upgrade: {fix}."
    ),
    "DEL5": (
        "This release's GC has no VM path, so the ports a stopped VM keeps are deleted with their IPs; the VM "
        "gets new addresses when it starts. Upgrade ({fix}), or keep the VM running."
    ),
    "DEL6": (
        "GC's VM path in this release does not read the network that names {port}, so the stopped VM loses "
        "that port and its IP. Upgrade ({fix}), or name the network in the template's k8s.v1.cni.cncf.io/networks "
        "annotation, or keep the VM running."
    ),
    "DEL7": (
        "GC ignores this running StatefulSet pod (its StatefulSet is gone, being deleted, re-created, or scaled "
        "below its ordinal) and deletes {port} while the pod still uses it. A scaled-down pod that still runs is "
        "kept by later releases ({fix}); otherwise finish the StatefulSet change so the pod is replaced."
    ),
    "DEL8": (
        "The pod is allocated on Subnet {subnet}, which does not exist (or its logical_switch annotation is "
        "missing): GC does not expect {port} and deletes it. Re-create Subnet {subnet}, or delete the pod so "
        "Kube-OVN allocates it on an existing Subnet."
    ),
    "DEL9": (
        "GC's subnet test in this release rejects the provider of the Subnet this pod is allocated on, so it "
        'deletes {port} while the pod uses it. Give the Subnet an OVN provider ("ovn" or <nad>.<ns>.ovn).'
    ),
    "DEL10": (
        "GC deletes {port}, the port of a Vip that still exists: from v1.14.0 GC keeps the ports of Vips that "
        "have a type, before v1.14 only ports with options:arp_proxy=true. On v1.14.0+ give the Vip a type; on "
        "an older release set options:arp_proxy=true on the port, or upgrade."
    ),
    "DEL11": (
        "GC deletes {port}, a per-interface port (the NAD is attached twice, v1.16+) of a stopped VM: GC's VM "
        "path knows only the un-suffixed name, so it does not keep the suffixed ports while the VM is stopped. "
        "Still open upstream: keep the VM running, or attach the NAD once."
    ),
    "LOST1": (
        "The pod is allocated on Subnet {subnet}, which does not exist: Kube-OVN cannot create {port} and "
        "nothing repairs it. Re-create Subnet {subnet}, or delete the pod so it is allocated on an existing "
        "Subnet."
    ),
    "LOST2": (
        "{port} is missing from NB while the VM is stopped (an earlier release's GC, or a hand, deleted it), and "
        "this release's GC expects it, so it logs 'lsp lost' for it on every cycle; nothing creates a VM's port "
        "while it is stopped. Start the VM: Kube-OVN creates {port} again when the launcher pod is added, with a "
        "new address if its IP CR went with it (GC deletes both). Nothing to delete: the VM has no pod, so the "
        "line's 'delete the pod' does not apply."
    ),
    "PORT1": "{port} sits on the wrong logical switch for its owner. {repair} The allocation moving it: {fix}.",
    "PORT2": "{port} carries another MAC than its owner was allocated. {repair}",
    "PORT3": "{port} carries other IP addresses than its owner was allocated. {repair}",
    "PORT4": "{port}'s port_security drops its owner's traffic. {repair}",
    "PORT5": "{port} has no port_security although its owner asks for it. {repair}",
    "PORT6": "{port}'s external_ids:ls names another switch than the one holding it. {repair}",
    "GC1": (
        "GC's delete of {port} fails on every cycle, which stops GC cluster-wide (see the cluster finding): delete "
        "the port by hand (kubectl ko nbctl lsp-del {port}) or set its external_ids:ls to the switch holding it. "
        "Upgrade: {fix}."
    ),
    "GC2": (
        "GC's delete of {port} does nothing: the port stays while GC deletes its IP CR and releases its address, "
        "which IPAM can give to another pod. Delete the port by hand (kubectl ko nbctl lsp-del {port}) before any "
        "upgrade: v1.14.8–v1.14.23 fail this delete and stop GC cluster-wide. Upgrade: {fix}."
    ),
    "GC3": (
        "GC's delete of {port} does nothing: its external_ids:ls names a switch that does not hold it. Delete the "
        "port by hand (kubectl ko nbctl lsp-del {port}); no release handles this."
    ),
    "GC4": (
        "GC's delete of {port} fails on every cycle, which stops GC cluster-wide (see the cluster finding): delete "
        "the port by hand (kubectl ko nbctl lsp-del {port}). Upgrade: {fix}."
    ),
    "IP1": (
        "The IP CR {port} outlived its owner and nothing in this release collects it: its address stays taken. "
        "Delete it (kubectl delete ip {port}). Upgrade: {fix}."
    ),
    "IP2": (
        "The IP CR {port} outlived its owner; only gcIP, when kube-ovn-controller starts, collects it: restart the "
        "controller leader, or delete it (kubectl delete ip {port}), to free its address."
    ),
    "IP3": (
        "The IP CR {port} of an IPAM-only attachment was left behind when its pod was deleted after its NAD "
        "(kubeovn/kube-ovn#6943), and the Subnet's usage counts it. Restart the kube-ovn-controller leader (gcIP "
        "collects it at start) or delete it (kubectl delete ip {port}); upgrade so pod deletion releases such "
        "addresses: {fix}."
    ),
    "MIG4": (
        "The live migration of the VM holding {port} is stuck: this release's VMI-migration handler ran while the "
        "target pod had no node yet, logged 'migration setup skipped' and never retries (kubeovn/kube-ovn#6823), "
        "so the target pod waits in ContainerCreating. Look for 'migration setup skipped' in the "
        "kube-ovn-controller log; cancel the migration (delete the VirtualMachineInstanceMigration) and retry "
        "once the target node is chosen. Upgrade: {fix}."
    ),
    "MIG1": (
        "The live migration cannot carry {port}: this release sets the migration options "
        "(requested-chassis=<src>,<dst>, activation-strategy=rarp) only on <vm>.<ns>, never on an attachment "
        "port, so the VM's NIC on that network stays bound to the source node until the migration ends. Upgrade "
        "before migrating VMs with attachments: {fix}."
    ),
    "MIG2": (
        "The live migration cannot carry {port}: the VMI-migration handler of v1.13.3–v1.13.14 sets the "
        "migration options on no port (kubeovn/kube-ovn#5388, 'fix migrate down time'), so the VM loses its "
        "network until the migration ends. Upgrade: {fix}."
    ),
    "MIG3": (
        "{port} lacks the migration options this release sets during a live migration: the handler has not "
        "run or is failing (look for 'migrate options' in the kube-ovn-controller log), or the controller runs "
        "with --enable-live-migration-optimize=false."
    ),
}


# FP1 beside a port this VM really lacks or loses: the <vm>.<ns> line is still a false positive, but "the VM's
# network is intact" and "do not delete the pod" would contradict the lost port's own advice
FP1_BESIDE_LOSS = (
    "{port} is a false positive: GC adds <vm>.<ns> for every VM, even one whose only network is a Multus default "
    "network. Upgrade: {fix}. The VM's other ports are not intact: see the advice for them."
)

# Verdicts whose uncoded ports need their generic line even beside coded ones (most severe first, as ranked)
_ACTION = (LOST, DELETION_RISK, DEGRADED)

# DEL6 of a port the VM template's Multus annotation names (kubeovn/kube-ovn#2486): naming the network there is
# what the VM already does, so DEL6's own workaround does not apply
DEL6_TEMPLATE = (
    "GC's VM path in this release does not read the VM template's k8s.v1.cni.cncf.io/networks annotation that "
    "names {port} (kubeovn/kube-ovn#2486), so the stopped VM loses that port and its IP. Upgrade ({fix}), or keep "
    "the VM running."
)


def _fix(finding: PortFinding, settings: ControllerSettings | None) -> str:
    """The fix of the finding's code on the running branch; DEL6 of a network the VM template's Multus annotation
    names is fixed by #2504 (kubeovn/kube-ovn#2486), not by spec.networks."""
    code = finding.reason or ""
    if code == "DEL6" and "vm-template-annotation" in finding.sources:
        code = "DEL6-template"
    return fixed_text(code, settings or UNKNOWN_RELEASE)


GENERIC: dict[str, str] = {
    LOST: (
        "A port the workload needs is missing from NB. For a live pod, inspectPod re-creates it within about 20 s "
        "(v1.8.2+); if it stays missing, check the kube-ovn-controller log for inspection or allocation errors, "
        "then delete the pod so it is re-allocated."
    ),
    DELETION_RISK: "GC will delete a port this workload still needs on its next run after the current one.",
    FALSE_POSITIVE: "GC's 'lsp lost' line for this workload is a false positive: nothing it really has is missing.",
    DEGRADED: "A port exists and GC keeps it, but it is not in the state this release gives it for what the "
    "workload is doing now.",
    OK: "Consistent: GC logs nothing for this workload and deletes nothing it needs.",
}


def already_deleted(findings: list[PortFinding]) -> str:
    """What deletion-risk ports that are already gone mean: the fix of their DEL code stops further deletions. A
    stopped VM's port comes back only when the VM starts (GC never creates ports, inspectPod never inspects VM
    names); a live pod's, re-created by inspectPod (v1.8.2+), is deleted again by the same GC (docs/kube-ovn-facts.md,
    "What repairs a missing port")."""
    names = ", ".join(f.name for f in findings)
    one = len(findings) == 1
    pod = any("pod-annotation" in f.sources for f in findings)
    again = (
        "inspectPod re-creates a live pod's port within about 20 s (v1.8.2+), and this release's GC deletes it again"
        if pod
        else f"no release re-creates {'it' if one else 'them'} while the VM is stopped: Kube-OVN creates "
        f"{'it' if one else 'them'} again when the VM next starts, usually with a new address"
    )
    return (
        f"Already deleted: {names} {'is' if one else 'are'} gone from NB; {again}. Upgrading or the fix above "
        "stops further deletions."
    )


def advice_for(
    verdict: str, findings: Iterable[PortFinding], settings: ControllerSettings | None = None
) -> tuple[str, ...]:
    """One line per distinct advice text (codes in the order given, most severe first), filled with the port and
    Subnet it is about and the release that fixes it on the running branch (`fixes.fixed_text`; without
    `settings`, every fixed release). A port that needs action (lost, deletion-risk, degraded) but has no code gets
    its verdict's generic line in its place, so a coded false positive never hides it; FP1 beside such a port does
    not call the VM's network intact. The generic line for the verdict when nothing else applies."""
    out: list[str] = []
    findings = list(findings)
    loss = any(f.verdict == LOST or (f.verdict == DELETION_RISK and not f.in_nb) for f in findings)  # gone now
    for finding in findings:
        text = ADVICE.get(finding.reason or "")
        if finding.reason == "DEL6" and "vm-template-annotation" in finding.sources:
            text = DEL6_TEMPLATE
        elif finding.reason == "FP1" and loss:
            text = FP1_BESIDE_LOSS
        if text is None:
            if not finding.reason and finding.verdict in _ACTION and GENERIC[finding.verdict] not in out:
                out.append(GENERIC[finding.verdict])  # an uncoded lost port beside a coded one keeps its advice
            continue
        repair = finding.detail.split(REPAIR_MARK, 1)[-1] if REPAIR_MARK in finding.detail else ""
        fix = _fix(finding, settings)
        line = text.format(
            port=finding.name, subnet=finding.logical_switch or "(unnamed)", repair=repair, fix=fix
        ).strip()
        if line not in out:
            out.append(line)
    gone = [f for f in findings if f.verdict == DELETION_RISK and not f.in_nb]
    if gone:
        out.append(already_deleted(gone))
    if out:
        return tuple(out)
    stale = [f.name for f in findings if f.verdict == STALE]
    if verdict == OK and stale:
        line = (
            f"Consistent for what the workload uses: GC logs nothing for it; it deletes only {', '.join(stale)}, "
            "which nothing uses now (stale: see the detail)."
        )
        return (line,)
    return (GENERIC.get(verdict, GENERIC[OK]),)
