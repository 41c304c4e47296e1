"""Why GC deletes a port the workload still needs (every deletion-risk gets a DEL code), and what a leftover
port of an earlier pod of the same name means (stale, with what happens next).

Codes (model/reasons.py has the index, advice.py the texts; docs/contracts.md lists them):
DEL1 bare networkName v1.12.0–v1.12.3; DEL2 empty template annotation v1.14.0–v1.14.4; DEL3 v1.8.1–v1.8.18
attachment ports; DEL5 no VM path in GC (before v1.8.7/v1.9.4/v1.10.1/v1.11.0); DEL6 the VM path does not read
the network naming the port (spec.networks before v1.12.0); DEL7 a running StatefulSet pod GC thinks is going
away; DEL8 the pod's logical_switch Subnet (or the annotation) is missing; DEL9 the Subnet's provider fails the
release's OVN-subnet test; DEL11 a stopped VM's per-interface port (v1.16 repeated NAD) that GC's VM path
knows only un-suffixed. (DEL4, a foreign port deleted under --enable-external-vpc=false, is the replay's.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubectl_ovn_lsp.model.gc_pods import statefulset_owner
from kubectl_ovn_lsp.model.gc_vms import SOURCE_TEMPLATE, vm_template_annotation
from kubectl_ovn_lsp.model.naming import OVN_PROVIDER
from kubectl_ovn_lsp.model.port_rows import Collected, Row
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.snapshot import WorkloadSnapshot

RESERVED_LABEL = "ovn.kubernetes.io/ip_reserved"
MISSING_SUBNET = "DEL8"
PER_INTERFACE = "DEL11"  # FP4's other half: the suffixed ports of a stopped VM are not kept


def in_family(name: str, col: Collected) -> bool:
    """A per-interface port (`.<iface>`, v1.16 repeated NAD) of a name the VM path knows un-suffixed."""
    return any(name.startswith(base + ".") for base in col.family_bases)


def _vm_reason(row: Row, col: Collected, snapshot: WorkloadSnapshot) -> tuple[str, str] | None:
    """A stopped VM's port (no pod uses it now) that GC's VM path leaves out."""
    b, vm_result = col.behaviour, col.vm_result
    if snapshot.vm is None or row.pod_entries:
        return None
    if not b.vm_lsps:
        return "DEL5", (
            "the VM is stopped and this release's GC has no VM path (getVmLsps arrives in v1.8.7, v1.9.4, "
            "v1.10.1 and v1.11.0), so nothing protects its retained ports: GC deletes this one and its IP"
        )
    if vm_result is not None and row.network:
        if row.network.split("/", 1)[-1] in set(vm_result.skipped_bare):
            return "DEL1", (
                "this VM is stopped and its spec names the network without a namespace; "
                "v1.12.0–v1.12.3 ignore a bare networkName, so GC deletes the port and its IP"
            )
        if vm_result.template_error is not None and snapshot.vm is not None:
            empty = vm_template_annotation(snapshot.vm) == ""
            if empty and b.nadutils_parser and not b.vm_empty_annotation_guard:
                return "DEL2", (
                    f"GC failed to parse the VM template annotation ({vm_result.template_error}) and "
                    "skipped the VM's networks, so it deletes this port of the stopped VM and its IP"
                )
            return "DEL6", (
                f"GC failed to parse the VM template annotation ({vm_result.template_error}) and "
                "skipped the VM's networks, so it deletes this port of the stopped VM and its IP"
            )
    return None


def _vm_unread(col: Collected, template_named: bool) -> tuple[str, str]:
    b = col.behaviour
    read = (
        ["<vm>.<ns>"]
        + (["the template's Multus annotation"] if b.vm_template_annotation else [])
        + (["spec.networks"] if b.vm_spec_networks else [])
    )
    if template_named and not b.vm_template_annotation:
        return "DEL6", (
            f"the VM is stopped and this release's GC VM path reads only {', '.join(read)}, not the template's "
            "Multus annotation that names this port (read from v1.9.23, v1.11.5 and v1.12.0: #2504, "
            "kubeovn/kube-ovn#2486): GC deletes it and its IP"
        )
    return "DEL6", (
        f"the VM is stopped and this release's GC VM path reads only {', '.join(read)}, which do not "
        "name this port (spec.networks are read from v1.12.0): GC deletes it and its IP"
    )


def deletion_reason(row: Row, col: Collected, snapshot: WorkloadSnapshot) -> tuple[str, str]:
    """(code, detail) for a needed port GC does not expect. Every path has a code."""
    b = col.behaviour
    if row.pod_entries and b.ovn_predicate == "exact" and row.provider.endswith("." + OVN_PROVIDER):
        return "DEL3", (
            'v1.8.1–v1.8.18 expect only provider "ovn": this Kube-OVN attachment port is never '
            "expected and is deleted after two GC runs"
        )
    vm = _vm_reason(row, col, snapshot)
    if vm is not None:
        return vm
    if in_family(row.name, col):
        return PER_INTERFACE, (
            "a per-interface port (v1.16 repeated NAD) of a stopped VM: GC's VM path only knows the "
            "un-suffixed name, so it deletes this port"
        )
    if snapshot.vm is not None and not row.pod_entries:
        return _vm_unread(col, SOURCE_TEMPLATE in row.sources)
    rejected = [e for e in row.pod_entries if not e.expected]
    whys = "; ".join(dict.fromkeys(e.why for e in rejected))
    if any("StatefulSet" in e.why for e in rejected):
        fixed = "" if b.sts_to_gc else " (a scaled-down pod that still runs is kept from v1.13.7 and v1.14.0, #5122)"
        return "DEL7", f"GC ignores this running pod because {whys}, so it deletes the port{fixed}"
    if any("does not exist" in e.why or "no logical_switch annotation" in e.why for e in rejected):
        return MISSING_SUBNET, f"GC does not expect it because {whys}, so it deletes the port the pod uses"
    if rejected:
        return "DEL9", f"GC does not expect it because {whys}, so it deletes the port the pod uses"
    return "DEL9", "GC's pod loop does not expect this port although the workload uses it"


def missing_subnet(row: Row, snapshot: WorkloadSnapshot) -> str | None:
    """The Subnet a pod's `<p>.kubernetes.io/logical_switch` names when it does not exist (for LOST1/DEL8)."""
    for entry in row.pod_entries:
        if entry.logical_switch and entry.logical_switch not in snapshot.subnets:
            return entry.logical_switch
    return None


def stale_detail(col: Collected) -> str:
    text = "not expected by GC and not used by the workload: deleted on GC's second consecutive run"
    if col.behaviour.reserved_ip_label:
        text += f"; its IP CR too unless labelled {RESERVED_LABEL}=true"
    else:
        text += ", with its IP CR"
    return text


def _pod_addresses(pod: Mapping[str, Any], provider: str) -> set[str]:
    ann = (pod.get("metadata") or {}).get("annotations") or {}
    prefix = f"{provider}.kubernetes.io/"
    return {
        a.strip().lower()
        for key in ("ip_address", "mac_address")
        for a in str(ann.get(prefix + key) or "").split(",")
        if a.strip()
    }


def _reuse(row: Row, col: Collected, ext_vpc: bool, sts: bool) -> str:
    """What the pod's allocation does to the existing port of its name, per release (bands.py port_update_*).
    A StatefulSet pod normally gets the same address back: handleDeletePod keeps its IPAM entry and InitIPAM
    restores it from the IP CR (v1.12.6 pod.go:941-1070, init.go:316-337)."""
    b = col.behaviour
    same = " (normally with the same address: the StatefulSet pod's IPAM entry is kept)" if sts else ""
    first = f"if the pod is allocated first{same}, Kube-OVN reuses the port"
    if not b.libovsdb_port_create or (
        b.port_update_in_place and b.port_update_keeps_vendor and b.port_update_sets_addresses
    ):
        return first + " and rewrites it, and GC keeps it from then on"
    if not b.port_update_in_place:
        return first + (
            " as it is (v1.12.0–v1.12.4 update nothing) and GC keeps it; a different address would stay "
            "wrong on the port"
        )
    text = first + " but rewrites only its port_security and external_ids"
    if not b.port_update_keeps_vendor:
        text += ", dropping external_ids vendor and ls (fixed in v1.12.7 and v1.13.0, #3778)" + (
            ": with --enable-external-vpc=true GC no longer lists it and logs 'lsp lost' for it every cycle"
            if ext_vpc
            else ""
        )
    if not b.port_update_sets_addresses:
        text += (
            f"; its addresses are never updated (fixed in v1.12.15 and v1.13.0, #4011), so a pod given another "
            f"address cannot start (kubeovn/kube-ovn#4738): delete the leftover first (kubectl ko nbctl lsp-del "
            f"{row.name})"
        )
    return text


def leftover_detail(
    row: Row, port: NbPort, col: Collected, snapshot: WorkloadSnapshot, settings_ext_vpc: bool = True
) -> str:
    """A port named like a pod that is not allocated for that provider yet: the old pod's leftover.

    v1.12.6 (kubeovn/kube-ovn#4738): `reconcileAllocateSubnets` → `CreateLogicalSwitchPort` reuses an existing
    port of the same name (pkg/ovs/ovn-nb-logical_switch_port.go:83-97 at v1.12.6: update in place, external_ids and
    port_security only); `markAndCleanLSP` deletes an unexpected listed port on its second run, then the IP CR and
    the pod key's IPAM addresses (`ReleaseAddressByPod`)."""
    b = col.behaviour
    pods = [p for p in snapshot.pods if p["metadata"]["name"] in {e.pod for e in row.pod_entries}] or list(
        snapshot.pods
    )
    theirs = set().union(*(_pod_addresses(p, row.provider) for p in pods)) if pods else set()
    ours = {w.lower() for a in port.addresses for w in a.split()}
    owner = port.pod_key or f"{snapshot.namespace}/{col.owner}"
    if theirs and theirs & ours:
        head = (
            "present before the pod's allocation is recorded; its address is the one the pod asks for, so "
            "Kube-OVN is probably creating it right now"
        )
    else:
        head = (
            f"a leftover of an earlier pod {owner} (addresses {', '.join(port.addresses) or 'none'}): the pod "
            "of that name now has no allocation for this network, so nothing it has uses them"
        )
    when = "on its second consecutive run" + ("" if b.periodic_only else " (at once on a controller restart)")
    ip_cr = f"IP CR {row.name}" + (f" (unless labelled {RESERVED_LABEL}=true)" if b.reserved_ip_label else "")
    after = (
        f"GC deletes it {when}, with {ip_cr} and {owner}'s IPAM addresses; if that comes first, the pod's "
        "allocation later creates a fresh port"
    )
    before = _reuse(row, col, settings_ext_vpc, any(statefulset_owner(p) for p in pods))
    return f"{head}. {after}; {before}"
