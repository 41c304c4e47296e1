"""Multus parsing as each release parses it, NAD classification, providers and the OVN-provider predicate."""

from __future__ import annotations

import pytest
from factories import nad, pod, subnet

from kubectl_ovn_lsp.model.errors import MultusParseError
from kubectl_ovn_lsp.model.multus import Attachment, is_default_net, parse_network_annotation, pod_attachments
from kubectl_ovn_lsp.model.nad import (
    KIND_INVALID,
    KIND_IPAM,
    KIND_KUBE_OVN,
    KIND_MISSING,
    KIND_OTHER,
    classify_nad,
    is_ovn_provider,
    kube_ovn_provider,
)

BOTH = [False, True]


@pytest.mark.parametrize("nadutils", BOTH)
@pytest.mark.parametrize(
    "value,expected",
    [
        ("attachnet", [("default", "attachnet", "")]),
        ("other/attachnet", [("other", "attachnet", "")]),
        ("other/attachnet@eth1", [("other", "attachnet", "eth1")]),
        (" a , b@net2 ,ns/c ", [("default", "a", ""), ("default", "b", "net2"), ("ns", "c", "")]),
        ("a,,b", [("default", "a", ""), ("default", "", ""), ("default", "b", "")]),  # empty items pass the regex
        ('[{"name":"nad-a","namespace":"vmns","interface":"pod7e0055a6880"}]', [("vmns", "nad-a", "pod7e0055a6880")]),
        ('[{"name":"my.net"}]', [("default", "my.net", "")]),  # JSON names are not regex-checked
        ("null", [("default", "null", "")]),  # no [ { or " : the text form
        ("[]", []),
    ],
)
def test_parse_accepts(value, expected, nadutils):
    got = parse_network_annotation(value, "default", nadutils=nadutils)
    assert [(a.namespace, a.name, a.interface) for a in got] == expected


@pytest.mark.parametrize("nadutils", BOTH)
@pytest.mark.parametrize(
    "value",
    [
        '{"name":"attachnet"}',  # a single object is not a list
        "[{bad json",
        "a/b/c",  # more than one '/'
        "a@b@c",  # more than one '@'
        "My_Net",  # not a DNS-1123 label
        "ns/my.net",  # dots are not allowed in the text form
        '[{"name": 5}]',
        "[1]",
    ],
)
def test_parse_rejects(value, nadutils):
    with pytest.raises(MultusParseError):
        parse_network_annotation(value, "default", nadutils=nadutils)


def test_empty_string_per_parser():
    assert parse_network_annotation("", "ns", nadutils=False) == []  # kube-ovn's parser, ≤v1.13
    with pytest.raises(MultusParseError, match='not having "network" as key'):  # nadutils, ≥v1.14
        parse_network_annotation("", "ns", nadutils=True)


def test_parser_differences_mac_ips_interface_request():
    bad_mac = '[{"name":"a","mac":"zz"}]'
    with pytest.raises(MultusParseError):
        parse_network_annotation(bad_mac, "ns", nadutils=False)
    assert parse_network_annotation(bad_mac, "ns", nadutils=True)[0].name == "a"
    legacy = '[{"name":"a","interfaceRequest":"eth9"}]'
    assert parse_network_annotation(legacy, "ns", nadutils=False)[0].interface == "eth9"
    assert parse_network_annotation(legacy, "ns", nadutils=True)[0].interface == ""
    both = '[{"name":"a","ips":["10.0.0.1/24"],"ipam-claim-reference":"c"}]'
    with pytest.raises(MultusParseError):
        parse_network_annotation(both, "ns", nadutils=True)


def test_is_default_net_compares_raw_string():
    att = Attachment("subnet-a", "test-ns")
    assert is_default_net("subnet-a", att) and is_default_net("test-ns/subnet-a", att)
    assert not is_default_net('[{"name":"subnet-a","namespace":"test-ns"}]', att)


def test_pod_attachments_default_first_and_guarded_empty():
    p = pod("p", "ns", {"v1.multus-cni.io/default-network": "ns/a", "k8s.v1.cni.cncf.io/networks": "b"})
    got = pod_attachments(p, nadutils=True)
    assert [(a.name, a.is_default) for a in got] == [("a", True), ("b", False)]
    assert pod_attachments(pod("p", "ns", {"k8s.v1.cni.cncf.io/networks": ""}), nadutils=True) == []


@pytest.mark.parametrize(
    "obj,kind",
    [
        (nad("a", "ns"), KIND_KUBE_OVN),
        (nad("a", "ns", plugins=True), KIND_KUBE_OVN),
        (nad("m", "ns", "macvlan", ipam="kube-ovn"), KIND_IPAM),
        (nad("m", "ns", "macvlan", ipam="kube-ovn", plugins=True), KIND_IPAM),
        (nad("m", "ns", "macvlan", ipam="whereabouts"), KIND_OTHER),
        (nad("x", "ns", config="not json"), KIND_INVALID),
        (nad("x", "ns", config=""), KIND_OTHER),
        # a field of the wrong JSON type fails json.Unmarshal in loadNetConf
        (nad("x", "ns", config='{"plugins": true}'), KIND_INVALID),
        (nad("x", "ns", config='{"plugins": {"type": "kube-ovn"}}'), KIND_INVALID),
        ({"metadata": {"name": "x", "namespace": "ns"}, "spec": {"config": 7}}, KIND_INVALID),
        # loadNetConf reads plugins only when the top-level type is empty
        (nad("x", "ns", config='{"type":"bridge","plugins":[{"type":"kube-ovn"}]}'), KIND_OTHER),
        (None, KIND_MISSING),
    ],
)
def test_classify_nad(obj, kind):
    assert classify_nad(obj).kind == kind


def test_ipam_by_type_only_on_master():
    obj = nad("m", "ns", "macvlan", ipam="kube-ovn")
    assert classify_nad(obj, "ns", "m", {}, ipam_by_type=False).kind == KIND_OTHER  # tags ≤v1.16.2: no subnet
    assert classify_nad(obj, "ns", "m", {}, ipam_by_type=True).kind == KIND_IPAM


def test_ipam_only_by_subnet_provider():
    """≤v1.16.2 recognise IPAM-only by a Subnet with provider <nad>.<ns>, whatever the NAD's ipam says."""
    obj = nad("m", "ns", "macvlan", ipam="host-local")
    assert classify_nad(obj, "ns", "m", {"s": subnet("s", "m.ns")}).kind == KIND_IPAM


def test_config_provider_reported():
    assert classify_nad(nad("a", "ns", provider="wrong")).config_provider == "wrong"


def test_providers():
    assert kube_ovn_provider("attachnet", "default") == "attachnet.default.ovn"
    assert kube_ovn_provider("nad-a", "vmns", "net1") == "nad-a.vmns.ovn.net1"


@pytest.mark.parametrize(
    "provider,none,exact,suffix,three",
    [
        ("", True, False, False, True),  # gc.go's own HasSuffix test before v1.13: "" is not OVN
        ("ovn", True, True, True, True),
        ("attachnet.default.ovn", True, False, True, True),
        ("macvlan.kube-ovn", True, False, True, False),  # FP8 before v1.13
        ("my.net.default.ovn", True, False, True, False),  # dots in names break the 3-field rule
        ("macvlan.default", True, False, False, False),
        ("other-provider", True, False, False, False),
        ("invalid.format", True, False, False, False),
        ("namespace.cluster.ovn", True, False, True, True),
    ],
)
def test_is_ovn_provider(provider, none, exact, suffix, three):
    assert [is_ovn_provider(provider, p) for p in ("none", "exact", "suffix", "three-field")] == [
        none,
        exact,
        suffix,
        three,
    ]


def test_memoised_parses_hand_out_fresh_lists_and_raise_every_time():
    """Parses are memoised by value (an audit reads each pod's annotations twice, and replicas repeat them): a
    caller changing the list it got must not change the next caller's, and a malformed value fails every time,
    naming its annotation."""
    value = "ns2/net-a@eth1,net-b"
    first = parse_network_annotation(value, "ns", nadutils=True)
    first.append(Attachment("intruder", "ns"))
    assert parse_network_annotation(value, "ns", nadutils=True) == [
        Attachment("net-a", "ns2", "eth1"),
        Attachment("net-b", "ns"),
    ]
    p = pod("p", "ns", {"v1.multus-cni.io/default-network": "net-b", "k8s.v1.cni.cncf.io/networks": value})
    got = pod_attachments(p, nadutils=True)
    got.clear()
    assert [a.is_default for a in pod_attachments(p, nadutils=True)] == [True, False, True]
    bad = pod("p", "ns", {"k8s.v1.cni.cncf.io/networks": "a/b/c"})
    for _ in range(2):
        with pytest.raises(MultusParseError) as info:
            pod_attachments(bad, nadutils=True)
        assert info.value.annotation == "k8s.v1.cni.cncf.io/networks"
