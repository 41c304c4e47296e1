"""Hypothesis strategies for Kubernetes names, Multus annotations, NAD configs, providers, port names and
arbitrary JSON values. Shared by the property tests; the port-name parser (model/port_names.py, to come) can
reuse `port_name_parts` and `owner_names`."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


@st.composite
def dns_label(draw: st.DrawFn, max_size: int = 20) -> str:
    """A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric."""
    size = draw(st.integers(1, max_size))
    if size == 1:
        return draw(st.sampled_from(_ALNUM))
    middle = draw(st.text(_ALNUM + "-", min_size=size - 2, max_size=size - 2))
    return draw(st.sampled_from(_ALNUM)) + middle + draw(st.sampled_from(_ALNUM))


def dns_subdomain(max_labels: int = 3) -> st.SearchStrategy[str]:
    """Dotted labels (pod and VM names may have dots), at most 253 characters."""
    return st.lists(dns_label(), min_size=1, max_size=max_labels).map(".".join).filter(lambda s: len(s) <= 253)


def owner_names() -> st.SearchStrategy[str]:
    """Port owners: pod or VM names, dots included (what makes port names ambiguous)."""
    return st.one_of(dns_label(), dns_subdomain())


@st.composite
def network_element(draw: st.DrawFn) -> tuple[str, str, str]:
    """(namespace or "", NAD name, interface or "") of one Multus network selection."""
    return (
        draw(st.one_of(st.just(""), dns_label())),
        draw(dns_label()),
        draw(st.one_of(st.just(""), dns_label(max_size=8))),
    )


def text_annotation(elements: list[tuple[str, str, str]]) -> str:
    """The comma form `[ns/]name[@iface],…`."""
    return ",".join((f"{ns}/" if ns else "") + name + (f"@{iface}" if iface else "") for ns, name, iface in elements)


def json_annotation(elements: list[tuple[str, str, str]]) -> str:
    """The JSON form: a list of NetworkSelectionElement."""
    out = []
    for ns, name, iface in elements:
        item: dict[str, str] = {"name": name}
        if ns:
            item["namespace"] = ns
        if iface:
            item["interface"] = iface
        out.append(item)
    return json.dumps(out)


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value (what a replayed dump may hold where an object or a string is expected)."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=16), st.text(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=max_leaves,
    )


@st.composite
def nad_config(draw: st.DrawFn) -> str:
    """A NAD's spec.config: valid kube-ovn, macvlan with kube-ovn IPAM, conflists, and arbitrary JSON or text."""
    name, ns = draw(dns_label()), draw(dns_label())
    plugin = draw(
        st.one_of(
            st.fixed_dictionaries({"type": st.just("kube-ovn"), "provider": st.just(f"{name}.{ns}.ovn")}),
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["macvlan", "bridge", "ipvlan"]),
                    "ipam": st.fixed_dictionaries(
                        {"type": st.sampled_from(["kube-ovn", "host-local"]), "provider": st.just(f"{name}.{ns}")}
                    ),
                }
            ),
            st.dictionaries(
                st.sampled_from(["type", "ipam", "plugins", "provider", "name"]), json_values(6), max_size=4
            ),
        )
    )
    shape = draw(st.sampled_from(["plain", "conflist", "json", "text"]))
    if shape == "plain":
        return json.dumps(plugin)
    if shape == "conflist":
        return json.dumps({"cniVersion": "0.3.1", "plugins": [plugin, *draw(st.lists(json_values(4), max_size=2))]})
    if shape == "json":
        return json.dumps(draw(json_values()))
    return draw(st.text(max_size=30))


@st.composite
def port_name_parts(draw: st.DrawFn) -> tuple[str, str, str]:
    """(owner, namespace, provider) as Kube-OVN forms them: `ovn`, `<nad>.<ns>.ovn[.<iface>]`, IPAM `<nad>.<ns>`."""
    owner, namespace = draw(owner_names()), draw(dns_label())
    nad, nad_ns = draw(dns_label()), draw(dns_label())
    provider = draw(st.sampled_from(["ovn", f"{nad}.{nad_ns}.ovn", f"{nad}.{nad_ns}.ovn.eth1", f"{nad}.{nad_ns}"]))
    return owner, namespace, provider
