"""Version parsing, the band table, every behaviour switch on both sides of the release where it flips,
and controller settings from the Deployment."""

from __future__ import annotations

import pytest
from factories import deployment

from kubectl_ovn_lsp.model.bands import BANDS, SWITCHES, band_of, behaviour_for
from kubectl_ovn_lsp.model.settings import controller_flags, settings_from_deployment
from kubectl_ovn_lsp.model.versions import Version, image_tag, parse_version


@pytest.mark.parametrize(
    "text,expected",
    [
        ("v1.13.4", Version(1, 13, 4)),
        ("1.13.4", Version(1, 13, 4)),
        ("kubeovn/kube-ovn:v1.14.0-x86", Version(1, 14, 0)),
        ("registry.example.com:5000/x/kube-ovn:v1.12.20-mc", Version(1, 12, 20)),
        ("v1.13.4-debug", Version(1, 13, 4)),
        ("docker.io/kubeovn/kube-ovn:v1.15.3@sha256:" + "a" * 64, Version(1, 15, 3)),
        ("docker.io/kubeovn/kube-ovn@sha256:" + "a" * 64, None),
        ("kubeovn/kube-ovn:latest", None),
        ("master", None),
        ("latest", None),
        ("registry:5000/kube-ovn", None),
        ("", None),
        (None, None),
        ("v1.13", None),
    ],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_version_order_and_text():
    assert Version(1, 9, 23) < Version(1, 10, 0) < Version(1, 12, 35) < Version(1, 13, 0)
    assert str(Version(1, 13, 4)) == "v1.13.4"
    assert image_tag("reg:5000/kube-ovn") is None


@pytest.mark.parametrize(
    "version,band",
    [
        ("v1.7.3", "A"),
        ("v1.8.0", "B"),
        ("v1.8.1", "C"),
        ("v1.8.18", "C"),
        ("v1.9.0", "D"),
        ("v1.11.24", "D"),
        ("v1.12.0", "E"),
        ("v1.12.35", "E"),
        ("v1.13.0", "F"),
        ("v1.13.5", "F"),
        ("v1.13.6", "G"),
        ("v1.13.15", "G"),
        ("v1.14.0", "H"),
        ("v1.14.4", "H"),
        ("v1.14.5", "I"),
        ("v1.14.41", "I"),
        ("v1.15.0", "J"),
        ("v1.15.24", "J"),
        ("v1.16.0", "K"),
        ("v1.16.2", "K"),
        ("v1.17.0", "L"),
    ],
)
def test_band_boundaries(version, band):
    assert band_of(parse_version(version)).letter == band


def test_unknown_version_is_newest_band():
    assert band_of(None).letter == BANDS[-1].letter == "L"


# (switch, a release without it, the first release with it) — one row per flip, per release branch. With
# backports, "without" may sit on an older branch (v1.12.35 lacks what v1.13.7 and v1.14.0 got).
FLIPS = [
    ("gc_lsp", "v1.7.0", "v1.7.1"),
    ("sts_rules", "v1.8.0", "v1.8.1"),
    ("sts_rules", "v1.7.2", "v1.7.3"),
    ("provider_test", "v1.8.0", "v1.8.1"),
    ("provider_suffix_test", "v1.8.18", "v1.9.0"),
    ("provider_three_field_test", "v1.12.35", "v1.13.0"),
    ("sts_to_gc", "v1.13.6", "v1.13.7"),
    ("sts_to_gc", "v1.12.35", "v1.14.0"),
    ("sts_ordinals_start", "v1.11.21", "v1.11.22"),
    ("sts_ordinals_start", "v1.12.30", "v1.12.31"),
    ("sts_ordinals_start", "v1.13.2", "v1.13.3"),
    ("sts_ordinals_start", "v1.10.10", "v1.14.0"),
    ("sts_uid_check", "v1.12.18", "v1.12.19"),
    ("sts_uid_check", "v1.11.24", "v1.13.0"),
    ("name_by_pod", "v1.8.2", "v1.8.3"),
    ("name_by_pod", "v1.9.0", "v1.9.1"),
    ("name_by_pod", "v1.9.0", "v1.10.0"),
    ("node_only_if_allocated", "v1.8.2", "v1.8.3"),
    ("ls_annotation_required", "v1.11.6", "v1.11.7"),
    ("hostnetwork_skip", "v1.14.41", "v1.15.0"),
    ("vm_lsps", "v1.8.6", "v1.8.7"),
    ("vm_lsps", "v1.9.3", "v1.9.4"),
    ("vm_lsps", "v1.10.0", "v1.10.1"),
    ("vm_lsps", "v1.10.0", "v1.11.0"),
    ("vm_template_annotation", "v1.9.22", "v1.9.23"),
    ("vm_template_annotation", "v1.10.10", "v1.11.5"),
    ("vm_template_annotation", "v1.11.4", "v1.11.5"),
    ("vm_spec_networks", "v1.11.24", "v1.12.0"),
    ("vm_bare_network_name", "v1.12.3", "v1.12.4"),
    ("vm_bare_network_name", "v1.12.3", "v1.13.0"),
    ("vm_skip_default_multus", "v1.13.5", "v1.13.6"),
    ("vm_skip_default_multus", "v1.12.35", "v1.14.0"),
    ("vm_empty_annotation_guard", "v1.14.4", "v1.14.5"),
    ("vm_empty_annotation_guard", "v1.14.4", "v1.15.0"),
    ("default_net_own_provider", "v1.8.1", "v1.8.2"),
    ("nadutils_parser", "v1.13.15", "v1.14.0"),
    ("periodic_only", "v1.9.28", "v1.9.29"),
    ("periodic_only", "v1.10.10", "v1.11.11"),
    ("periodic_only", "v1.11.10", "v1.11.11"),
    ("periodic_only", "v1.12.35", "v1.13.0"),
    ("reserved_ip_label", "v1.12.35", "v1.13.0"),
    ("vip_ports", "v1.13.15", "v1.14.0"),
    ("gc_interval_zero_disables", "v1.12.31", "v1.12.32"),
    ("gc_interval_zero_disables", "v1.13.3", "v1.13.4"),
    ("inspect_pod", "v1.8.1", "v1.8.2"),
    ("inspect_unfiltered", "v1.11.24", "v1.12.0"),
    ("iface_suffix_providers", "v1.15.24", "v1.16.0"),
    ("strict_kubevirt_prefix", "v1.14.41", "v1.15.0"),
    ("keep_vm_ip_default_true", "v1.11.24", "v1.12.0"),
    ("ext_vpc_default_false", "v1.14.4", "v1.14.5"),
    ("non_primary_cni_flag", "v1.14.41", "v1.15.0"),
    ("ext_vpc_flag", "v1.7.3", "v1.8.0"),
    ("ipam_by_nad_type", "v1.16.2", "v1.17.0"),
    ("libovsdb_port_create", "v1.11.24", "v1.12.0"),
    ("port_update_sets_addresses", "v1.12.14", "v1.12.15"),
    ("port_update_in_place", "v1.12.4", "v1.12.5"),
    ("port_update_in_place", "v1.11.24", "v1.13.0"),
    ("port_update_keeps_vendor", "v1.12.6", "v1.12.7"),
    ("port_update_keeps_vendor", "v1.11.24", "v1.13.0"),
    ("port_update_sets_addresses", "v1.11.24", "v1.13.0"),
    ("migrate_options_pod", "v1.12.28", "v1.12.29"),
    ("migrate_options_pod", "v1.11.24", "v1.13.0"),
    ("migrate_handler", "v1.13.2", "v1.13.3"),
    ("migrate_handler", "v1.12.35", "v1.14.0"),
    ("migrate_handler_all_nets", "v1.13.14", "v1.13.15"),
    ("migrate_handler_all_nets", "v1.12.35", "v1.14.0"),
    ("migrate_target_pod", "v1.14.12", "v1.14.13"),
    ("migrate_primary_only", "v1.14.20", "v1.14.21"),
    ("migrate_primary_only", "v1.13.15", "v1.15.0"),
    ("migrate_all_vm_ports", "v1.15.8", "v1.15.9"),
    ("migrate_all_vm_ports", "v1.14.41", "v1.16.0"),
    ("migrate_defer_unscheduled", "v1.15.13", "v1.15.14"),
    ("migrate_defer_unscheduled", "v1.16.2", "v1.17.0"),
    ("port_update_moves_switch", "v1.12.17", "v1.12.18"),
    ("port_update_moves_switch", "v1.11.24", "v1.13.0"),
    ("vm_port_deleted_with_vm", "v1.11.12", "v1.11.13"),
    ("vm_port_deleted_with_vm", "v1.12.3", "v1.12.4"),
    ("node_stale_port_deleted", "v1.13.10", "v1.13.11"),
    ("node_stale_port_deleted", "v1.12.35", "v1.14.0"),
    ("gc_delete_libovsdb", "v1.11.24", "v1.12.0"),
    ("gc_delete_skips_no_ls", "v1.12.35", "v1.13.0"),
    ("gc_delete_by_uuid", "v1.14.7", "v1.14.8"),
    ("gc_delete_by_uuid", "v1.13.15", "v1.15.0"),
    ("gc_delete_no_ls_lookup", "v1.14.23", "v1.14.24"),
    ("gc_delete_no_ls_lookup", "v1.13.15", "v1.15.0"),
    ("gc_ip", "v1.13.14", "v1.13.15"),
    ("gc_ip", "v1.12.35", "v1.14.0"),
    ("gc_ip_owner_check", "v1.14.6", "v1.14.7"),
    ("gc_ip_owner_check", "v1.13.15", "v1.15.0"),
    ("nad_gone_cleanup", "v1.14.15", "v1.14.16"),
    ("ipam_only_released", "v1.15.19", "v1.15.20"),
    ("ipam_only_released", "v1.16.2", "v1.17.0"),
]


@pytest.mark.parametrize("switch", ["ipam_by_nad_type", "migrate_defer_unscheduled", "ipam_only_released"])
def test_unreleased_switches_apply_only_to_the_branch_head(switch):
    """release-1.16's head (VERSION v1.16.3, untagged) has them: a head build or a newer v1.16.x, not v1.16.2."""
    assert getattr(behaviour_for(parse_version("v1.16.2"), head=True), switch) is False
    assert getattr(behaviour_for(parse_version("v1.16.3"), head=False), switch) is False
    assert getattr(behaviour_for(parse_version("v1.16.3"), head=True), switch) is True
    assert getattr(behaviour_for(parse_version("v1.16.9"), head=True), switch) is True
    assert behaviour_for(parse_version("v1.15.25"), head=True).ipam_by_nad_type is False


@pytest.mark.parametrize("switch,before,after", FLIPS)
def test_switch_flips(switch, before, after):
    assert getattr(behaviour_for(parse_version(before)), switch) is False
    assert getattr(behaviour_for(parse_version(after)), switch) is True


def test_every_switch_has_a_flip_test():
    assert {row[0] for row in FLIPS} == set(SWITCHES)


@pytest.mark.parametrize(
    "version,predicate",
    [
        ("v1.8.0", "none"),
        ("v1.8.1", "exact"),
        ("v1.11.24", "suffix"),
        ("v1.12.35", "suffix"),
        ("v1.13.0", "three-field"),
    ],
)
def test_ovn_predicate_per_band(version, predicate):
    assert behaviour_for(parse_version(version)).ovn_predicate == predicate


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["--keep-vm-ip=true"], {"keep-vm-ip": "true"}),
        (["--keep-vm-ip"], {"keep-vm-ip": "true"}),
        (["--keep-vm-ip", "false"], {"keep-vm-ip": "true"}),  # Go bool flags never take the next word
        (["-keep-vm-ip=false"], {"keep-vm-ip": "false"}),
        (["--gc-interval", "0", "--enable-external-vpc=false"], {"gc-interval": "0", "enable-external-vpc": "false"}),
        (["/kube-ovn/start-controller.sh", "--default-cidr=10.16.0.0/16"], {"default-cidr": "10.16.0.0/16"}),
    ],
)
def test_controller_flags(argv, expected):
    assert controller_flags(argv) == expected


@pytest.mark.parametrize(
    "image,args,keep,ext,band",
    [
        ("kubeovn/kube-ovn:v1.13.4", [], True, True, "F"),
        ("kubeovn/kube-ovn:v1.11.24", [], False, True, "D"),  # flag default false up to v1.11.x
        ("kubeovn/kube-ovn:v1.11.24", ["--keep-vm-ip=true"], True, True, "D"),  # install.sh passes it
        ("kubeovn/kube-ovn:v1.14.4", [], True, True, "H"),
        ("kubeovn/kube-ovn:v1.14.5", [], True, False, "I"),
        ("kubeovn/kube-ovn:v1.15.0-x86", ["--enable-external-vpc=true", "--keep-vm-ip=false"], False, True, "J"),
        ("kubeovn/kube-ovn:v1.12.20-mc", ["--keep-vm-ip", "--enable-external-vpc=F"], True, False, "E"),
    ],
)
def test_settings_from_deployment(image, args, keep, ext, band):
    s = settings_from_deployment(deployment(image, args), {})
    assert (s.keep_vm_ip, s.enable_external_vpc, s.band, s.detected_from) == (keep, ext, band, "deployment")
    assert s.version_text == image.rsplit(":", 1)[1] and s.non_primary_cni_mode is False


def test_settings_overrides_win():
    s = settings_from_deployment(
        deployment("kubeovn/kube-ovn:v1.13.4", ["--keep-vm-ip=true"]),
        {"version": "v1.13.6", "keep_vm_ip": "false", "enable_external_vpc": None},
    )
    # #18: the version came from the flag, so detectedFrom says so (it said "deployment" because the Deployment
    # still decided enable-external-vpc); the flags the Deployment set are `explicit`, not the version's source
    assert (str(s.version), s.band, s.keep_vm_ip, s.enable_external_vpc, s.detected_from) == (
        "v1.13.6",
        "G",
        False,
        True,
        "flags",
    )


def test_settings_everything_on_the_command_line_is_flags():
    s = settings_from_deployment(
        deployment("kubeovn/kube-ovn:v1.13.4", ["--keep-vm-ip=true"]),
        {"version": "v1.14.0", "keep_vm_ip": "true", "enable_external_vpc": "false", "non_primary_cni_mode": "false"},
    )
    assert (s.band, s.keep_vm_ip, s.enable_external_vpc, s.detected_from) == ("H", True, False, "flags")


@pytest.mark.parametrize(
    "dep", [None, deployment("kubeovn/kube-ovn:latest"), deployment("kubeovn/kube-ovn@sha256:" + "b" * 64)]
)
def test_settings_unknown_version_assumed_newest(dep):
    s = settings_from_deployment(dep, None)
    assert (s.version, s.band, s.detected_from, s.keep_vm_ip, s.enable_external_vpc) == (
        None,
        "L",
        "assumed",
        True,
        False,
    )
    assert s.notes


def test_settings_master_override_is_band_l():
    s = settings_from_deployment(None, {"version": "master"})
    assert (s.band, s.detected_from, s.version_text) == ("L", "flags", "master")


def test_settings_gc_interval_and_non_primary():
    s = settings_from_deployment(deployment("kubeovn/kube-ovn:v1.15.3", ["--gc-interval=0", "--non-primary-cni-mode"]))
    assert (s.gc_interval, s.non_primary_cni_mode) == (0, True)
