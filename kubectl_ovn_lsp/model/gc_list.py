"""GC's view of NB and its run state, for the owners the per-workload judge does not cover (nodes, orphans).

`listed_by_gc` is `ListNormalLogicalSwitchPorts` (type "" and, with --enable-external-vpc, vendor=kube-ovn);
`gc_active` is whether `markAndCleanLSP` runs at all (`--gc-interval=0` disables it from #5005).
"""

from __future__ import annotations

from kubectl_ovn_lsp.model.judge import LOST_LINE, listed_by_gc
from kubectl_ovn_lsp.model.records import NbPort
from kubectl_ovn_lsp.model.settings import ControllerSettings

__all__ = ["LOST_LINE", "gc_active", "gc_lists", "kube_ovn_created", "skips_delete"]


def gc_active(settings: ControllerSettings) -> bool:
    """Whether this release runs LSP GC with these flags (no GC before v1.7.1; off with --gc-interval=0)."""
    b = settings.behaviour
    return b.gc_lsp and not (settings.gc_interval == 0 and b.gc_interval_zero_disables)


def gc_lists(port: NbPort, settings: ControllerSettings) -> bool:
    """Whether GC's NB list shows this port (only listed ports can be logged present or deleted)."""
    vendor_filter = settings.enable_external_vpc or not settings.behaviour.ext_vpc_flag
    return listed_by_gc(port, vendor_filter)


def kube_ovn_created(port: NbPort) -> bool:
    """Kube-OVN marks every port it creates with external_ids:vendor=kube-ovn."""
    return port.external_ids.get("vendor") == "kube-ovn"


def skips_delete(port: NbPort, settings: ControllerSettings) -> bool:
    """≤v1.13 never deletes a port with options:arp_proxy=true (v1.14 replaced it with the VIP map)."""
    return not settings.behaviour.vip_ports and port.options.get("arp_proxy") == "true"
