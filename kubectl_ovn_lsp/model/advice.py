"""Plain-language texts for reason codes (spec §4.9): what the class is and what the operator should do.

Kept apart from the rules so wording can be reviewed without reading the decision logic.
"""

from __future__ import annotations

from kubectl_ovn_lsp.model.snapshot import DELETION_RISK, FALSE_POSITIVE, LOST, OK

ADVICE: dict[str, str] = {
    "FP1": ("Harmless: the VM's network is intact; GC adds <vm>.<ns> for every VM, even one whose only network is "
            "a Multus default network. Fixed in v1.13.6 and v1.14.0 (kubeovn/kube-ovn#5106); no v1.12 release has "
            "the fix. Do not delete the pod: it does not help."),
    "FP2": ("Harmless: GC's VM path appends .ovn to every Multus network of a VM without checking the NAD type, so "
            "an IPAM-only or non-Kube-OVN attachment is reported lost. Still open upstream; ignore the line."),
    "FP3": ("Harmless: the VM has never run, so none of its ports exist yet, but GC expects them from the VM object. "
            "The line stops once the VM starts; ignore it or delete an unused VM object."),
    "FP4": ("GC does not know the v1.16 per-interface names of a NAD attached twice: the un-suffixed name is logged "
            "lost (harmless), and the suffixed ports of a stopped VM are not protected from deletion."),
    "FP5": ("Harmless: with --non-primary-cni-mode the VM has no default-network port, but GC still expects <vm>.<ns>. "
            "Still open upstream; ignore the line."),
    "FP6": ("The port exists but GC's list filter hides it (type is not empty, or external_ids:vendor=kube-ovn is "
            "missing while --enable-external-vpc=true), so GC logs it lost on every cycle. Set "
            "external_ids:vendor=kube-ovn on the port, or run with --enable-external-vpc=false if you do not use it."),
    "FP7": ("Harmless: a hostNetwork pod carries allocated/logical_switch annotations, so GC expects a port it never "
            "gets. Fixed in v1.15.0; remove the stray annotations to silence it."),
    "FP8": ("Harmless: an IPAM-only attachment (an IP from Kube-OVN, no OVN port) is mistaken for an OVN network by "
            "this release's subnet test. Fixed in v1.13.0 (three-field provider rule)."),
    "FP9": ("Probably transient: the pod was allocated moments ago; inspectPod re-creates a missing port within about "
            "20 s. Check again after the next GC cycle."),
    "DEL1": ("GC deletes the Multus port (and its IP) of a stopped VM whose spec uses a bare networkName; the VM gets "
             "a new address when it starts. Fixed in v1.12.4 and v1.13.0 (kubeovn/kube-ovn#3378): upgrade, or write "
             "networkName as <namespace>/<name>."),
    "DEL2": ("GC deletes the Multus ports and IPs of a stopped VM that has no Multus annotation on its template "
             "(kubeovn/kube-ovn#5556). Fixed in v1.14.5 and v1.15.0 (#5557): upgrade, or keep the VM running."),
    "DEL3": ("GC in v1.8.1–v1.8.18 never expects Kube-OVN Multus attachment ports and deletes them after two runs. "
             "Fixed in v1.9.0: upgrade."),
}

GENERIC: dict[str, str] = {
    LOST: ("A port the workload needs is missing from NB. For a live pod, inspectPod re-creates it within about 20 s "
           "(v1.9+); if it stays missing, check the kube-ovn-controller log for inspection or allocation errors, "
           "then delete the pod so it is re-allocated."),
    DELETION_RISK: "GC will delete a port this workload still needs on its next run after the current one.",
    FALSE_POSITIVE: "GC's 'lsp lost' line for this workload is a false positive: nothing it really has is missing.",
    OK: "Consistent: GC logs nothing for this workload and deletes nothing it needs.",
}


def advice_for(verdict: str, reasons: list[str]) -> tuple[str, ...]:
    """One line per reason code found, or the generic line for the verdict when no code applies."""
    out = [ADVICE[r] for r in dict.fromkeys(reasons) if r in ADVICE]
    return tuple(out) if out else (GENERIC.get(verdict, GENERIC[OK]),)
