"""Kube-OVN release bands A–L and every behaviour switch of GC and naming, as data (docs/kube-ovn-facts.md, "Release
bands and switches").

Why two tables: band letters are contiguous version ranges (what the user sees), but many switches were
backported to several release branches at different patch numbers (v1.9.23 *and* v1.11.5, not v1.10.x), so
a switch is "on from this first release in each listed branch; newer branches inherit it". Adding a release
that starts a new band is one `BANDS` row; a new behaviour is one `SWITCHES` row. Nothing else in the model
compares versions: it asks `Behaviour`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

from kubectl_ovn_lsp.model.versions import Version, parse_version


@dataclass(frozen=True)
class Since:
    """On from the first release listed for the version's branch; branches newer than all entries inherit it.

    `unreleased`: first releases that are not tagged yet, read on a release branch head (the next patch number
    in its VERSION file). They apply only to a build of that branch head or a release past the newest checked
    one (`head=True`, see releases.resolve); when the release is tagged and checked, move it into `firsts`.
    """

    firsts: tuple[Version, ...]
    unreleased: tuple[Version, ...] = ()

    def applies(self, version: Version, head: bool = False) -> bool:
        entries = self.firsts + (self.unreleased if head else ())
        for first in entries:
            if first.branch == version.branch:
                return version >= first
        return version.branch > max(first.branch for first in self.firsts)


def since(*texts: str, unreleased: tuple[str, ...] = ()) -> Since:
    return Since(tuple(_release(t) for t in texts), tuple(_release(t) for t in unreleased))


def _release(text: str) -> Version:
    """A release the tables name; a typo in them is a bug here, so it fails at import."""
    version = parse_version(text)
    if version is None:
        raise ValueError(f"not a release: {text!r}")
    return version


@dataclass(frozen=True)
class Band:
    letter: str
    first: Version
    tags: str  # as the spec writes the range


BANDS: tuple[Band, ...] = (
    Band("A", Version(0, 0, 0), "< v1.8.0"),
    Band("B", Version(1, 8, 0), "v1.8.0"),
    Band("C", Version(1, 8, 1), "v1.8.1–v1.8.18"),
    Band("D", Version(1, 9, 0), "v1.9.0–v1.11.24"),
    Band("E", Version(1, 12, 0), "v1.12.0–v1.12.35"),
    Band("F", Version(1, 13, 0), "v1.13.0–v1.13.5"),
    Band("G", Version(1, 13, 6), "v1.13.6–v1.13.15"),
    Band("H", Version(1, 14, 0), "v1.14.0–v1.14.4"),
    Band("I", Version(1, 14, 5), "v1.14.5–v1.14.41"),
    Band("J", Version(1, 15, 0), "v1.15.0–v1.15.24"),
    Band("K", Version(1, 16, 0), "v1.16.0–v1.16.2"),
    Band("L", Version(1, 17, 0), "master (v1.17-dev)"),
)
NEWEST_BAND = BANDS[-1]

# name -> first release per branch. Comments: upstream PR/commit and what flips.
SWITCHES: dict[str, Since] = {
    "gc_lsp": since("v1.7.1"),  # 9b70842a0: the "lsp lost" log and the two-strike delete (v1.7.1, not v1.8.0)
    "sts_rules": since("v1.7.3", "v1.8.1"),  # StatefulSet pods skip isPodAlive; isStatefulSetPodToDel
    "provider_test": since("v1.7.3", "v1.8.1"),  # isOVNProvided: subnet.spec.provider must be exactly "ovn"
    "provider_suffix_test": since("v1.9.0"),  # gc.go isOVNProvided: HasSuffix(provider, "ovn") ("" is not OVN)
    "provider_three_field_test": since("v1.13.0"),  # #3915 isOvnSubnet/IsOvnProvider: "" | ovn | <a>.<b>.ovn
    "sts_to_gc": since("v1.13.7", "v1.14.0"),  # #5122 isStatefulSetPodToGC: downscaled pods only when dead
    "sts_ordinals_start": since("v1.11.22", "v1.12.31", "v1.13.3", "v1.14.0"),  # #4967 (fixes #4955): + ordinals.start
    "sts_uid_check": since("v1.12.19", "v1.13.0"),  # a re-created StatefulSet (other UID) no longer owns the pod
    "name_by_pod": since("v1.8.3", "v1.9.1", "v1.10.0"),  # #1307/#1347 getNameByPod, --keep-vm-ip (v1.9.0 lacks it)
    "node_only_if_allocated": since("v1.8.3", "v1.9.0"),  # node-<n> expected only with ovn.kubernetes.io/allocated
    "ls_annotation_required": since("v1.11.7"),  # no logical_switch annotation -> provider skipped (subnet lister)
    "hostnetwork_skip": since("v1.15.0"),  # #6091: hostNetwork pods ignored by the pod loop
    "vm_lsps": since("v1.8.7", "v1.9.4", "v1.10.1", "v1.11.0"),  # getVmLsps: <vm>.<ns> for every VM
    "vm_template_annotation": since("v1.9.23", "v1.11.5"),  # + VM template k8s.v1.cni.cncf.io/networks nets
    "vm_spec_networks": since("v1.12.0"),  # + spec.template.spec.networks[].multus.networkName ("ns/name" only)
    "vm_bare_network_name": since("v1.12.4", "v1.13.0"),  # #3378: bare networkName -> VM namespace
    "vm_skip_default_multus": since("v1.13.6", "v1.14.0"),  # #5106: no <vm>.<ns> when multus.default
    "vm_empty_annotation_guard": since("v1.14.5", "v1.15.0"),  # #5557: "" template annotation not parsed
    "vm_list_aborts_cycle": since("v1.17.0"),  # #6824: cluster-wide VM list; error aborts the GC cycle
    "default_net_own_provider": since("v1.8.2"),  # a03a858c1: kube-ovn NAD as Multus default net -> <nad>.<ns>.ovn
    "nadutils_parser": since("v1.14.0"),  # nadutils.ParseNetworkAnnotation: "" is an error
    "periodic_only": since("v1.9.29", "v1.11.11", "v1.13.0"),  # #3124: no double markAndCleanLSP at start
    "reserved_ip_label": since("v1.13.0"),  # ovn.kubernetes.io/ip_reserved=true keeps the IP CR
    "vip_ports": since("v1.14.0"),  # #5148 vipsMap replaces the arp_proxy option skip
    "gc_interval_zero_disables": since("v1.12.32", "v1.13.4", "v1.14.0"),  # #5005
    "inspect_pod": since("v1.8.2"),  # inspectPod re-creates a missing LSP of a live pod every 20 s
    "inspect_unfiltered": since("v1.12.0"),  # LogicalSwitchPortExists by name; before: GC's filtered list
    "iface_suffix_providers": since("v1.16.0"),  # #6060: same NAD twice with interface names -> .<iface>
    "strict_kubevirt_prefix": since("v1.15.0"),  # isVMPod: apiVersion must start with "kubevirt.io/"
    "keep_vm_ip_default_true": since("v1.12.0"),  # --keep-vm-ip flag default
    "ext_vpc_default_false": since("v1.14.5", "v1.15.0"),  # dbc6a9e91 / 351401009 --enable-external-vpc default
    "non_primary_cni_flag": since("v1.15.0"),  # --non-primary-cni-mode exists
    "ext_vpc_flag": since("v1.8.0"),  # before: the NB list always requires vendor=kube-ovn (ovn-nbctl.go:321)
    # master isKubeOVNIPAMNetwork; tags match only a <nad>.<ns> subnet. Unreleased on release-1.16: its head
    # aa0776df0 (VERSION v1.16.3) has it (50ec00e16, #7180 backport), no tag yet; release-1.15 head does not.
    "ipam_by_nad_type": since("v1.17.0", unreleased=("v1.16.3",)),
    # #6965 "require subnet for attachment provider": "provider %s is not bound to any subnet" instead of falling
    # back to the pod's default subnet (v1.15.18 pod.go:1891; master; release-1.16 head aae8da81e, untagged).
    "attachment_subnet_required": since("v1.15.18", "v1.17.0", unreleased=("v1.16.3",)),
    # What allocating a pod does to an existing port of the same name (CreateLogicalSwitchPort,
    # pkg/ovs/ovn-nb-logical_switch_port.go): ≤v1.11 ovn-nbctl `--may-exist lsp-add` + `lsp-set-addresses` +
    # external_ids incl. vendor (v1.11.24 ovn-nbctl-legacy.go:321-390) rewrote everything; v1.12.0 libovsdb:
    "libovsdb_port_create": since("v1.12.0"),  # v1.12.0-v1.12.4: an existing port is left as it is
    "port_update_in_place": since("v1.12.5", "v1.13.0"),  # #3700 8e0e4b17f: port_security + external_ids rewritten
    "port_update_keeps_vendor": since("v1.12.7", "v1.13.0"),  # #3778 16b563e20: v1.12.5-6 drop vendor and ls
    "port_update_sets_addresses": since("v1.12.15", "v1.13.0"),  # #4011 505c041d2/64452939c: addresses too
    # Live-migration options (requested-chassis=<src>,<dst>, activation-strategy=rarp) per release: see
    # model/migration.py for which ports each shape sets them on, and docs/upstream-findings.md §7.
    "migrate_options_pod": since("v1.12.29", "v1.13.0"),  # ee560e8d4 #3767: pod.go, target pod, every net
    "migrate_handler": since("v1.13.3", "v1.14.0"),  # 7b633257b #4773: kubevirt.go VMI-migration handler
    "migrate_handler_all_nets": since("v1.13.15", "v1.14.0"),  # 01bfde741/936150dd2 #5388: every net, not none
    "migrate_target_pod": since("v1.14.13"),  # 25504091e #5873: pod.go sets them for the target pod again
    "migrate_primary_only": since("v1.14.21", "v1.15.0"),  # ec6279d2c #6066: phase Scheduling, <vmi>.<ns> only
    "migrate_all_vm_ports": since("v1.15.9", "v1.16.0"),  # 5f2dec037/9d4330ef9 #6241: every port pod=<ns>/<vmi>
    # #6823: at phase Scheduling the handler logs "migration setup skipped" and returns nil when the target pod has
    # no node yet, never retrying (v1.14.21 kubevirt.go:170, from #6066); #6834 returns an error to requeue instead.
    "migrate_defer_unscheduled": since("v1.15.14", "v1.17.0", unreleased=("v1.16.3",)),  # 680185c05/a229dec3d
    # What repairs a present-but-wrong port (docs/kube-ovn-facts.md, "Port state"): the pod's allocation rewrites an
    # existing port (port_update_* above); only from #4015/#4199 does it move a port whose external_ids:ls names
    # another switch (v1.12.16-v1.12.17 compared the new port's ls with itself, so never moved it).
    "port_update_moves_switch": since("v1.12.18", "v1.13.0"),  # 65641d31d/183b2e606 (#4199 on #4015)
    "vm_port_deleted_with_vm": since("v1.11.13", "v1.12.4", "v1.13.0"),  # #3476: handleDeletePod by the VM key
    "node_stale_port_deleted": since("v1.13.11", "v1.14.0"),  # #5172: handleAddNode drops a port it cannot annotate
    # GC's delete of a listed, unexpected port by the state of external_ids:ls (docs/kube-ovn-facts.md, "GC cycles
    # that cannot complete"): <=v1.11 ovn-nbctl lsp-del by name; v1.12 libovsdb, no ls -> the switch found by the
    # port's UUID (#2544); v1.13.0 returns no operation without ls (#4157 d9b5e4f61); v1.14.8 deletes by UUID with ls
    # checked first, "" -> "empty logical switch name" (#5735 75a1eac11); #6103 looks the switch up again.
    "gc_delete_libovsdb": since("v1.12.0"),  # 98dc2f251 (#2544) in the first libovsdb release
    "gc_delete_skips_no_ls": since("v1.13.0"),  # d9b5e4f61 (#4157): `if !ok { return nil, nil }`
    "gc_delete_by_uuid": since("v1.14.8", "v1.15.0"),  # 75a1eac11/efd240f83 (#5735)
    "gc_delete_no_ls_lookup": since("v1.14.24", "v1.15.0"),  # bf81a984f/38025b277 (#6103)
    # IP CRs (docs/kube-ovn-facts.md, "IP CRs"): gcIP runs once at controller start (c.gc), never periodically.
    "gc_ip": since("v1.13.15", "v1.14.0"),  # b19557edc/501b4e8e1 (#5364): IP CRs of a Subnet that is gone
    "gc_ip_owner_check": since("v1.14.7", "v1.15.0"),  # 96b08d582/b9b1a055b (#5702) checkIPOwnerExists
    "nad_gone_cleanup": since("v1.14.16", "v1.15.0"),  # 226794b68/e0d44c836 (#5929): NAD deleted before the pod
    # #6943: that cleanup looks for a `<nad>.<ns>.ovn` Subnet only, so an IPAM-only attachment's IP CR leaks (#7034)
    "ipam_only_released": since("v1.15.20", "v1.17.0", unreleased=("v1.16.3",)),  # 88b440446/af46e9a92/c944e314a
}


@dataclass(frozen=True)
class Behaviour:
    """Every switch resolved for one version: the only thing the rest of the model consults."""

    band: str
    gc_lsp: bool
    sts_rules: bool
    provider_test: bool
    provider_suffix_test: bool
    provider_three_field_test: bool
    sts_to_gc: bool
    sts_ordinals_start: bool
    sts_uid_check: bool
    name_by_pod: bool
    node_only_if_allocated: bool
    ls_annotation_required: bool
    hostnetwork_skip: bool
    vm_lsps: bool
    vm_template_annotation: bool
    vm_spec_networks: bool
    vm_bare_network_name: bool
    vm_skip_default_multus: bool
    vm_empty_annotation_guard: bool
    vm_list_aborts_cycle: bool
    default_net_own_provider: bool
    nadutils_parser: bool
    periodic_only: bool
    reserved_ip_label: bool
    vip_ports: bool
    gc_interval_zero_disables: bool
    inspect_pod: bool
    inspect_unfiltered: bool
    iface_suffix_providers: bool
    strict_kubevirt_prefix: bool
    keep_vm_ip_default_true: bool
    ext_vpc_default_false: bool
    non_primary_cni_flag: bool
    ext_vpc_flag: bool
    ipam_by_nad_type: bool
    attachment_subnet_required: bool
    libovsdb_port_create: bool
    port_update_in_place: bool
    port_update_keeps_vendor: bool
    port_update_sets_addresses: bool
    migrate_options_pod: bool
    migrate_handler: bool
    migrate_handler_all_nets: bool
    migrate_target_pod: bool
    migrate_primary_only: bool
    migrate_all_vm_ports: bool
    migrate_defer_unscheduled: bool
    port_update_moves_switch: bool
    vm_port_deleted_with_vm: bool
    node_stale_port_deleted: bool
    gc_delete_libovsdb: bool
    gc_delete_skips_no_ls: bool
    gc_delete_by_uuid: bool
    gc_delete_no_ls_lookup: bool
    gc_ip: bool
    gc_ip_owner_check: bool
    nad_gone_cleanup: bool
    ipam_only_released: bool

    @property
    def ovn_predicate(self) -> str:
        """The test on the pod's logical_switch subnet: none (≤v1.8.0) | exact | suffix | three-field."""
        if self.provider_three_field_test:
            return "three-field"
        if self.provider_suffix_test:
            return "suffix"
        return "exact" if self.provider_test else "none"


def band_of(version: Version | None) -> Band:
    """The band a version falls in; unknown versions get the newest band (the contract's "assumed")."""
    if version is None:
        return NEWEST_BAND
    chosen = BANDS[0]
    for band in BANDS:
        if band.first <= version:
            chosen = band
    return chosen


def band_by_letter(letter: str) -> Band:
    """The band row for a letter (settings may know only the band, e.g. `master`)."""
    for band in BANDS:
        if band.letter == letter:
            return band
    raise KeyError(letter)


@functools.lru_cache(maxsize=256)
def behaviour_for(version: Version | None, head: bool = False) -> Behaviour:
    """All switches for a release; None (unknown) behaves like the first release of the newest band.

    `head`: also the unreleased entries (a branch-head build, or a release newer than the newest checked)."""
    band = band_of(version)
    effective = version or band.first
    return Behaviour(band=band.letter, **{name: rule.applies(effective, head) for name, rule in SWITCHES.items()})


assert {f.name for f in fields(Behaviour)} - {"band"} == set(SWITCHES), "Behaviour/SWITCHES drift"


# The controller's settings live in settings.py; these names stay importable from here.
from kubectl_ovn_lsp.model.settings import (  # noqa: E402
    CONTROLLER_CONTAINER,
    DEFAULT_GC_INTERVAL,
    ControllerSettings,
    controller_flags,
    flag_defaults,
    parse_go_bool,
    settings_from_deployment,
)

__all__ = [
    "BANDS",
    "CONTROLLER_CONTAINER",
    "DEFAULT_GC_INTERVAL",
    "NEWEST_BAND",
    "SWITCHES",
    "Band",
    "Behaviour",
    "ControllerSettings",
    "Since",
    "band_by_letter",
    "band_of",
    "behaviour_for",
    "controller_flags",
    "flag_defaults",
    "parse_go_bool",
    "settings_from_deployment",
    "since",
]
