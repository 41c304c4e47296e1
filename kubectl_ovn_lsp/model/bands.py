"""Kube-OVN release bands A–L and every behaviour switch of GC and naming, as data (docs/kube-ovn-facts.md, "Release
bands and switches").

Why two tables: band letters are contiguous version ranges (what the user sees), but many switches were
backported to several release branches at different patch numbers (v1.9.23 *and* v1.11.5, not v1.10.x), so
a switch is "on from this first release in each listed branch; newer branches inherit it". A release that starts
a new band is one `BANDS` row; a new behaviour is one field of `Behaviour` (its `switch(...)` names the first
releases). Which releases exist comes from the release register (`release_register.REGISTER`): the band ranges are read
off it, and a switch's first release that is not a checked tag yet is *unreleased* (it applies only to a branch-head
build, `head=True`) until the register has it. Nothing else in the model compares versions: it asks `Behaviour`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from typing import Any

from kubectl_ovn_lsp.model import release_register, releases
from kubectl_ovn_lsp.model.release_register import Register
from kubectl_ovn_lsp.model.versions import Version, parse_version


@dataclass(frozen=True)
class Since:
    """On from the first release listed for the version's branch; branches newer than all entries inherit it.

    A first release the register does not hold yet (the next patch of a branch, read on its head: the number in
    its VERSION file) is *unreleased*: it applies only to a build of that branch head or a release past the newest
    checked one (`head=True`, see releases.resolve). Once the register holds the tag, it applies like any other.
    """

    firsts: tuple[Version, ...]

    def applies(self, version: Version, head: bool = False, register: Register | None = None) -> bool:
        released = self.released(register)
        for first in self.firsts if head else released:
            if first.branch == version.branch:
                return version >= first
        return version.branch > max(first.branch for first in released)

    def released(self, register: Register | None = None) -> tuple[Version, ...]:
        """The first releases the register holds (tags, or master's number)."""
        register = register or release_register.REGISTER
        return tuple(f for f in self.firsts if register.is_released(f))

    def unreleased(self, register: Register | None = None) -> tuple[Version, ...]:
        """The first releases not tagged yet: the next patch of a branch, read on its head."""
        register = register or release_register.REGISTER
        return tuple(f for f in self.firsts if not register.is_released(f))


def since(*texts: str) -> Since:
    return Since(tuple(_release(t) for t in texts))


def switch(*texts: str) -> Any:
    """A `Behaviour` field: on from these first releases (one per branch; see `Since`)."""
    return field(metadata={"since": since(*texts)})


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

    @property
    def tags(self) -> str:
        """The releases of the band as the register holds them now: `v1.9.0–v1.11.24`, `< v1.8.0` for the band
        before any checked behaviour, `master (v1.17-dev)` for master's."""
        return band_range(self)


BANDS: tuple[Band, ...] = (
    Band("A", Version(0, 0, 0)),
    Band("B", Version(1, 8, 0)),
    Band("C", Version(1, 8, 1)),
    Band("D", Version(1, 9, 0)),
    Band("E", Version(1, 12, 0)),
    Band("F", Version(1, 13, 0)),
    Band("G", Version(1, 13, 6)),
    Band("H", Version(1, 14, 0)),
    Band("I", Version(1, 14, 5)),
    Band("J", Version(1, 15, 0)),
    Band("K", Version(1, 16, 0)),
    Band("L", Version(1, 17, 0)),  # master (release_register.Master.version)
)
NEWEST_BAND = BANDS[-1]


def band_range(band: Band) -> str:
    """What `version` prints for a band, read off the register (`release_register.REGISTER`)."""
    head = releases.master()
    later = [b.first for b in BANDS if b.first > band.first]
    if band.first == Version(0, 0, 0) and later:
        return f"< {later[0]}"
    if band.first == head.version:
        return f"master (v{head.version.major}.{head.version.minor}-dev)"
    tags = [v for v in releases.checked_tags() if band.first <= v and (not later or v < later[0])]
    if not tags:
        return str(band.first)
    return str(tags[0]) if tags[0] == tags[-1] else f"{tags[0]}–{tags[-1]}"


@dataclass(frozen=True)
class Behaviour:
    """Every switch resolved for one version: the only thing the rest of the model consults. Each field but `band`
    is a switch: `switch(first releases…)` with the upstream PR/commit and what flips as its comment."""

    band: str
    # Comments: upstream PR/commit and what flips.
    gc_lsp: bool = switch("v1.7.1")  # 9b70842a0: the "lsp lost" log and the two-strike delete (v1.7.1, not v1.8.0)
    sts_rules: bool = switch("v1.7.3", "v1.8.1")  # StatefulSet pods skip isPodAlive; isStatefulSetPodToDel
    provider_test: bool = switch("v1.7.3", "v1.8.1")  # isOVNProvided: subnet.spec.provider must be exactly "ovn"
    provider_suffix_test: bool = switch("v1.9.0")  # gc.go isOVNProvided: HasSuffix(provider, "ovn") ("" is not OVN)
    provider_three_field_test: bool = switch("v1.13.0")  # #3915 isOvnSubnet/IsOvnProvider: "" | ovn | <a>.<b>.ovn
    sts_to_gc: bool = switch("v1.13.7", "v1.14.0")  # #5122 isStatefulSetPodToGC: downscaled pods only when dead
    # #4967 (fixes #4955): + ordinals.start
    sts_ordinals_start: bool = switch("v1.11.22", "v1.12.31", "v1.13.3", "v1.14.0")
    sts_uid_check: bool = switch("v1.12.19", "v1.13.0")  # a re-created StatefulSet (other UID) no longer owns the pod
    # #1307/#1347 getNameByPod, --keep-vm-ip (v1.9.0 lacks it)
    name_by_pod: bool = switch("v1.8.3", "v1.9.1", "v1.10.0")
    node_only_if_allocated: bool = switch("v1.8.3", "v1.9.0")  # node-<n> expected only with ovn.kubernetes.io/allocated
    ls_annotation_required: bool = switch("v1.11.7")  # no logical_switch annotation -> provider skipped (subnet lister)
    hostnetwork_skip: bool = switch("v1.15.0")  # #6091: hostNetwork pods ignored by the pod loop
    vm_lsps: bool = switch("v1.8.7", "v1.9.4", "v1.10.1", "v1.11.0")  # getVmLsps: <vm>.<ns> for every VM
    vm_template_annotation: bool = switch("v1.9.23", "v1.11.5")  # + VM template k8s.v1.cni.cncf.io/networks nets
    vm_spec_networks: bool = switch("v1.12.0")  # + spec.template.spec.networks[].multus.networkName ("ns/name" only)
    vm_bare_network_name: bool = switch("v1.12.4", "v1.13.0")  # #3378: bare networkName -> VM namespace
    vm_skip_default_multus: bool = switch("v1.13.6", "v1.14.0")  # #5106: no <vm>.<ns> when multus.default
    vm_empty_annotation_guard: bool = switch("v1.14.5", "v1.15.0")  # #5557: "" template annotation not parsed
    default_net_own_provider: bool = switch("v1.8.2")  # a03a858c1: kube-ovn NAD as Multus default net -> <nad>.<ns>.ovn
    nadutils_parser: bool = switch("v1.14.0")  # nadutils.ParseNetworkAnnotation: "" is an error
    periodic_only: bool = switch("v1.9.29", "v1.11.11", "v1.13.0")  # #3124: no double markAndCleanLSP at start
    reserved_ip_label: bool = switch("v1.13.0")  # ovn.kubernetes.io/ip_reserved=true keeps the IP CR
    vip_ports: bool = switch("v1.14.0")  # #5148 vipsMap replaces the arp_proxy option skip
    gc_interval_zero_disables: bool = switch("v1.12.32", "v1.13.4", "v1.14.0")  # #5005
    inspect_pod: bool = switch("v1.8.2")  # inspectPod re-creates a missing LSP of a live pod every 20 s
    inspect_unfiltered: bool = switch("v1.12.0")  # LogicalSwitchPortExists by name; before: GC's filtered list
    iface_suffix_providers: bool = switch("v1.16.0")  # #6060: same NAD twice with interface names -> .<iface>
    strict_kubevirt_prefix: bool = switch("v1.15.0")  # isVMPod: apiVersion must start with "kubevirt.io/"
    keep_vm_ip_default_true: bool = switch("v1.12.0")  # --keep-vm-ip flag default
    ext_vpc_default_false: bool = switch("v1.14.5", "v1.15.0")  # dbc6a9e91 / 351401009 --enable-external-vpc default
    non_primary_cni_flag: bool = switch("v1.15.0")  # --non-primary-cni-mode exists
    ext_vpc_flag: bool = switch("v1.8.0")  # before: the NB list always requires vendor=kube-ovn (ovn-nbctl.go:321)
    # master isKubeOVNIPAMNetwork; tags match only a <nad>.<ns> subnet. v1.16.3 is not tagged yet (unreleased): the
    # release-1.16 head aa0776df0 (VERSION v1.16.3) has it (50ec00e16, #7180 backport); release-1.15 head does not.
    ipam_by_nad_type: bool = switch("v1.17.0", "v1.16.3")
    # What allocating a pod does to an existing port of the same name (CreateLogicalSwitchPort,
    # pkg/ovs/ovn-nb-logical_switch_port.go): ≤v1.11 ovn-nbctl `--may-exist lsp-add` + `lsp-set-addresses` +
    # external_ids incl. vendor (v1.11.24 ovn-nbctl-legacy.go:321-390) rewrote everything; v1.12.0 libovsdb:
    libovsdb_port_create: bool = switch("v1.12.0")  # v1.12.0-v1.12.4: an existing port is left as it is
    port_update_in_place: bool = switch("v1.12.5", "v1.13.0")  # #3700 8e0e4b17f: port_security + external_ids rewritten
    port_update_keeps_vendor: bool = switch("v1.12.7", "v1.13.0")  # #3778 16b563e20: v1.12.5-6 drop vendor and ls
    port_update_sets_addresses: bool = switch("v1.12.15", "v1.13.0")  # #4011 505c041d2/64452939c: addresses too
    # Live-migration options (requested-chassis=<src>,<dst>, activation-strategy=rarp) per release: see
    # model/migration.py for which ports each shape sets them on, and docs/upstream-findings.md §7.
    migrate_options_pod: bool = switch("v1.12.29", "v1.13.0")  # ee560e8d4 #3767: pod.go, target pod, every net
    migrate_handler: bool = switch("v1.13.3", "v1.14.0")  # 7b633257b #4773: kubevirt.go VMI-migration handler
    migrate_handler_all_nets: bool = switch("v1.13.15", "v1.14.0")  # 01bfde741/936150dd2 #5388: every net, not none
    migrate_target_pod: bool = switch("v1.14.13")  # 25504091e #5873: pod.go sets them for the target pod again
    migrate_primary_only: bool = switch("v1.14.21", "v1.15.0")  # ec6279d2c #6066: phase Scheduling, <vmi>.<ns> only
    migrate_all_vm_ports: bool = switch("v1.15.9", "v1.16.0")  # 5f2dec037/9d4330ef9 #6241: every port pod=<ns>/<vmi>
    # #6823: at phase Scheduling the handler logs "migration setup skipped" and returns nil when the target pod has
    # no node yet, never retrying (v1.14.21 kubevirt.go:170, from #6066); #6834 returns an error to requeue instead.
    # v1.16.3 is not tagged yet (unreleased): 680185c05/a229dec3d
    migrate_defer_unscheduled: bool = switch("v1.15.14", "v1.17.0", "v1.16.3")
    # What repairs a present-but-wrong port (docs/kube-ovn-facts.md, "Port state"): the pod's allocation rewrites an
    # existing port (port_update_* above); only from #4015/#4199 does it move a port whose external_ids:ls names
    # another switch (v1.12.16-v1.12.17 compared the new port's ls with itself, so never moved it).
    port_update_moves_switch: bool = switch("v1.12.18", "v1.13.0")  # 65641d31d/183b2e606 (#4199 on #4015)
    vm_port_deleted_with_vm: bool = switch("v1.11.13", "v1.12.4", "v1.13.0")  # #3476: handleDeletePod by the VM key
    # #5172: handleAddNode drops a port it cannot annotate
    node_stale_port_deleted: bool = switch("v1.13.11", "v1.14.0")
    # GC's delete of a listed, unexpected port by the state of external_ids:ls (docs/kube-ovn-facts.md, "GC cycles
    # that cannot complete"): <=v1.11 ovn-nbctl lsp-del by name; v1.12 libovsdb, no ls -> the switch found by the
    # port's UUID (#2544); v1.13.0 returns no operation without ls (#4157 d9b5e4f61); v1.14.8 deletes by UUID with ls
    # checked first, "" -> "empty logical switch name" (#5735 75a1eac11); #6103 looks the switch up again.
    gc_delete_libovsdb: bool = switch("v1.12.0")  # 98dc2f251 (#2544) in the first libovsdb release
    gc_delete_skips_no_ls: bool = switch("v1.13.0")  # d9b5e4f61 (#4157): `if !ok { return nil, nil }`
    gc_delete_by_uuid: bool = switch("v1.14.8", "v1.15.0")  # 75a1eac11/efd240f83 (#5735)
    gc_delete_no_ls_lookup: bool = switch("v1.14.24", "v1.15.0")  # bf81a984f/38025b277 (#6103)
    # IP CRs (docs/kube-ovn-facts.md, "IP CRs"): gcIP runs once at controller start (c.gc), never periodically.
    gc_ip: bool = switch("v1.13.15", "v1.14.0")  # b19557edc/501b4e8e1 (#5364): IP CRs of a Subnet that is gone
    gc_ip_owner_check: bool = switch("v1.14.7", "v1.15.0")  # 96b08d582/b9b1a055b (#5702) checkIPOwnerExists
    nad_gone_cleanup: bool = switch("v1.14.16", "v1.15.0")  # 226794b68/e0d44c836 (#5929): NAD deleted before the pod
    # #6943: that cleanup looks for a `<nad>.<ns>.ovn` Subnet only, so an IPAM-only attachment's IP CR leaks (#7034);
    # v1.16.3 is not tagged yet (unreleased): 88b440446/af46e9a92/c944e314a
    ipam_only_released: bool = switch("v1.15.20", "v1.17.0", "v1.16.3")

    @property
    def ovn_predicate(self) -> str:
        """The test on the pod's logical_switch subnet: none (≤v1.8.0) | exact | suffix | three-field."""
        if self.provider_three_field_test:
            return "three-field"
        if self.provider_suffix_test:
            return "suffix"
        return "exact" if self.provider_test else "none"


SWITCHES: dict[str, Since] = {f.name: f.metadata["since"] for f in fields(Behaviour) if "since" in f.metadata}


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


def behaviour_for(version: Version | None, head: bool = False) -> Behaviour:
    """All switches for a release; None (unknown) behaves like the first release of the newest band.

    `head`: also the unreleased entries (a branch-head build, or a release newer than the newest checked)."""
    return _behaviour(release_register.REGISTER, version, head)


@functools.lru_cache(maxsize=256)
def _behaviour(register: Register, version: Version | None, head: bool) -> Behaviour:
    band = band_of(version)
    effective = version or band.first
    return Behaviour(
        band=band.letter, **{name: rule.applies(effective, head, register) for name, rule in SWITCHES.items()}
    )


def check_switches(register: Register) -> None:
    """Every first release a switch names is a checked tag, master's number, or the next patch of a checked branch
    (unreleased, read on its head): anything else is a typo. Raises ValueError."""
    for name, rule in SWITCHES.items():
        for first in rule.unreleased(register):
            newest = register.newest(first.branch)
            if newest is None or first.patch != newest.patch + 1:
                raise ValueError(f"switch {name}: {first} is neither a checked release nor the next one of its branch")


check_switches(release_register.REGISTER)
