"""Property-based tests (hypothesis) for the Multus and NAD parsers, port naming, and the promise behind
`model/shapes.py`: an object whose fields have the shapes it checks never makes the model fail with anything but
a ModelError (one clear line)."""

from __future__ import annotations

import contextlib
import copy
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubectl_ovn_lsp.model import lookups, shapes
from kubectl_ovn_lsp.model.errors import ModelError, MultusParseError
from kubectl_ovn_lsp.model.multus import parse_network_annotation, pod_attachments
from kubectl_ovn_lsp.model.nad import (
    KIND_INVALID,
    KIND_IPAM,
    KIND_KUBE_OVN,
    KIND_OTHER,
    classify_nad,
    kube_ovn_provider,
    network_of_provider,
)
from kubectl_ovn_lsp.model.naming import port_name
from tests.strategies import (
    dns_label,
    json_annotation,
    json_values,
    nad_config,
    network_element,
    owner_names,
    port_name_parts,
    text_annotation,
)
from tests.unit import factories as f

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BANDS = ("v1.11.0", "v1.12.4", "v1.13.4", "v1.14.2", "v1.16.2", "master")


# -- Multus ---------------------------------------------------------------------------------------------------------


@FAST
@given(text=st.text(max_size=60), nadutils=st.booleans())
def test_any_text_parses_or_raises_multus_parse_error(text: str, nadutils: bool) -> None:
    try:
        found = parse_network_annotation(text, "ns", nadutils=nadutils)
    except MultusParseError:
        return
    assert all(isinstance(a.name, str) and isinstance(a.namespace, str) for a in found)


@FAST
@given(elements=st.lists(network_element(), min_size=1, max_size=4), nadutils=st.booleans())
def test_text_form_round_trips(elements: list, nadutils: bool) -> None:
    found = parse_network_annotation(text_annotation(elements), "default-ns", nadutils=nadutils)
    assert [(a.namespace, a.name, a.interface) for a in found] == [
        (ns or "default-ns", name, iface) for ns, name, iface in elements
    ]


@FAST
@given(elements=st.lists(network_element(), min_size=1, max_size=4), nadutils=st.booleans())
def test_json_form_round_trips(elements: list, nadutils: bool) -> None:
    found = parse_network_annotation(json_annotation(elements), "default-ns", nadutils=nadutils)
    assert [(a.namespace, a.name, a.interface) for a in found] == [
        (ns or "default-ns", name, iface) for ns, name, iface in elements
    ]


@FAST
@given(value=json_values(), nadutils=st.booleans())
def test_any_json_parses_or_raises_multus_parse_error(value: Any, nadutils: bool) -> None:
    with contextlib.suppress(MultusParseError):
        parse_network_annotation(json.dumps(value), "ns", nadutils=nadutils)


@FAST
@given(
    networks=st.one_of(st.text(max_size=30), st.builds(json.dumps, json_values())),
    default=st.one_of(st.none(), st.text(max_size=20)),
    nadutils=st.booleans(),
)
def test_pod_attachments_raise_only_multus_errors_naming_the_key(
    networks: str, default: str | None, nadutils: bool
) -> None:
    annotations = {"k8s.v1.cni.cncf.io/networks": networks}
    if default is not None:
        annotations["v1.multus-cni.io/default-network"] = default
    try:
        pod_attachments(f.pod("p", "ns", annotations), nadutils=nadutils)
    except MultusParseError as exc:
        assert exc.annotation in annotations


# -- NADs -----------------------------------------------------------------------------------------------------------


@FAST
@given(config=nad_config(), ipam_by_type=st.booleans())
def test_classify_nad_never_raises(config: str, ipam_by_type: bool) -> None:
    nad = f.nad("net1", "ns", config=config)
    found = classify_nad(nad, "ns", "net1", {"s": f.subnet("s", "net1.ns")}, ipam_by_type=ipam_by_type)
    assert found.kind in (KIND_KUBE_OVN, KIND_IPAM, KIND_OTHER, KIND_INVALID)
    if found.kind == KIND_KUBE_OVN:
        assert "kube-ovn" in config


@FAST
@given(name=dns_label(), namespace=dns_label())
def test_kube_ovn_nad_is_an_ovn_port(name: str, namespace: str) -> None:
    assert classify_nad(f.nad(name, namespace), namespace, name).kind == KIND_KUBE_OVN
    assert classify_nad(f.nad(name, namespace, plugins=True), namespace, name).kind == KIND_KUBE_OVN


# -- port names -----------------------------------------------------------------------------------------------------


@FAST
@given(parts=port_name_parts())
def test_port_name_structure(parts: tuple[str, str, str]) -> None:
    owner, namespace, provider = parts
    name = port_name(owner, namespace, provider)
    assert name.startswith(f"{owner}.{namespace}")
    assert name == f"{owner}.{namespace}" if provider == "ovn" else name == f"{owner}.{namespace}.{provider}"
    # The provider comes back once the owner and namespace are known (how stale ports are explained).
    rest = name[len(owner) + len(namespace) + 2 :] if provider != "ovn" else "ovn"
    assert rest == provider


@FAST
@given(name=dns_label(), namespace=dns_label(), iface=st.one_of(st.just(""), dns_label(max_size=8)))
def test_network_of_a_kube_ovn_provider(name: str, namespace: str, iface: str) -> None:
    assert network_of_provider(kube_ovn_provider(name, namespace, iface)) == f"{namespace}/{name}"
    assert network_of_provider(f"{name}.{namespace}") == f"{namespace}/{name}"
    assert network_of_provider("ovn") == "default"


@FAST
@given(owner=owner_names(), namespace=dns_label())
def test_owner_names_with_dots_keep_their_prefix(owner: str, namespace: str) -> None:
    assert port_name(owner, namespace, "ovn").count(".") == owner.count(".") + 1


# -- shapes are enough for the model ----------------------------------------------------------------------------------


def _workload() -> dict[str, Any]:
    nets = "net1,ns/net2@eth1"
    launcher = f.launcher(
        "vm1",
        "ns",
        {"k8s.v1.cni.cncf.io/networks": nets, **f.allocated("ovn", "ovn-default"), **f.allocated("net1.ns.ovn", "s1")},
    )
    sts_pod = f.pod("db-3", "ns", owners=[f.sts_owner_ref("db")], annotations=f.allocated("ovn", "ovn-default"))
    return {
        "pod": launcher,
        "sts_pod": sts_pod,
        "vm": f.vm(
            "vm1",
            "ns",
            [f.multus_net("a", "ns/net1"), {"name": "default", "pod": {}}],
            template_annotations={"k8s.v1.cni.cncf.io/networks": "net2"},
        ),
        "vmi": f.vmi("vm1", "ns"),
        "nad": f.nad("net1", "ns"),
        "nad2": f.nad("net2", "ns", "macvlan", ipam="kube-ovn"),
        "subnet": f.subnet("s1", "net1.ns.ovn"),
        "sts": f.statefulset("db", "ns", 3),
        "deployment": f.deployment(args=["--keep-vm-ip=true"]),
    }


KINDS = {
    "pod": "Pod",
    "sts_pod": "Pod",
    "vm": "VirtualMachine",
    "vmi": "VirtualMachineInstance",
    "nad": "NetworkAttachmentDefinition",
    "nad2": "NetworkAttachmentDefinition",
    "subnet": "Subnet",
    "sts": "StatefulSet",
    "deployment": "Deployment",
}


def run_model(objs: dict[str, Any], version: str) -> Any:
    """The model's entry points in the order explain calls them."""
    settings_ = lookups.settings_from_deployment(objs["deployment"], {"version": version})
    pods = (objs["pod"], objs["sts_pod"])
    keys = lookups.nad_references(pods, objs["vm"], "ns", settings_)
    nads = {k: v for k, v in {("ns", "net1"): objs["nad"], ("ns", "net2"): objs["nad2"]}.items() if k in keys}
    snap = lookups.WorkloadSnapshot(
        namespace="ns",
        target_kind="VirtualMachine",
        target_name="vm1",
        pods=pods,
        vm=objs["vm"],
        vmi=objs["vmi"],
        nads=nads,
        subnets={"s1": objs["subnet"], "ovn-default": f.subnet("ovn-default")},
        statefulsets={("ns", "db"): objs["sts"]},
        now=f.NOW,
    )
    lookups.candidate_lookups(snap, settings_)
    return lookups.judge(replace(snap, nb_ports=(f.nb_port("vm1.ns", "ns", "vm1"),)), settings_)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, prefix + (index,))
    return out


def _replace_at(obj: Any, path: tuple, value: Any) -> Any:
    obj = copy.deepcopy(obj)
    here = obj
    for key in path[:-1]:
        here = here[key]
    here[path[-1]] = value
    return obj


@pytest.mark.parametrize("version", BANDS)
def test_the_workload_is_judged(version: str) -> None:
    assert run_model(_workload(), version).verdict


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), version=st.sampled_from(BANDS))
def test_objects_that_pass_the_shape_check_never_break_the_model(data: st.DataObject, version: str) -> None:
    """Replace any field of any object by any JSON value: either shapes.problems names it, or the model answers
    (a judgement or a ModelError). Anything else would be an `internal error` for the user."""
    objs = _workload()
    which = data.draw(st.sampled_from(sorted(objs)))
    path = data.draw(st.sampled_from(_paths(objs[which])))
    objs[which] = _replace_at(objs[which], path, data.draw(json_values()))
    if shapes.problems(KINDS[which], objs[which]):
        with pytest.raises(ModelError) as info:
            shapes.check_object(KINDS[which], objs[which])
        assert "\n" not in str(info.value) and "must be" in str(info.value)
        return
    try:
        run_model(objs, version)
    except ModelError as exc:
        assert "\n" not in str(exc)
