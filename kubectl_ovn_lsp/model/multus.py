"""Multus network-selection annotations, parsed exactly as the Kube-OVN release does (docs/kube-ovn-facts.md, "Multus
and NADs").

Why per release: ≤v1.13 uses kube-ovn's own `util.ParsePodNetworkAnnotation` (an empty string is "no
networks"), ≥v1.14 uses `nadutils.ParseNetworkAnnotation`, which errors on an empty string — the error that
makes GC skip a stopped VM's networks in band H (DEL2). Acceptance and errors must match, or the model would
expect ports Kube-OVN never computes.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kubectl_ovn_lsp.model import json_text
from kubectl_ovn_lsp.model.errors import MultusParseError

NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks"
DEFAULT_NETWORK_ANNOTATION = "v1.multus-cni.io/default-network"
_MAC_RE = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$")
_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
EMPTY_ERROR = 'parsePodNetworkAnnotation: pod annotation not having "network" as key'
CACHE_SIZE = 4096  # distinct annotation values kept parsed (a bound for `serve`, which runs for days)


@dataclass(frozen=True)
class Attachment:
    """One NetworkSelectionElement after namespace defaulting."""

    name: str
    namespace: str
    interface: str = ""
    is_default: bool = False  # came from v1.multus-cni.io/default-network

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)

    @property
    def network(self) -> str:
        return f"{self.namespace}/{self.name}"


def parse_network_annotation(value: str | None, default_namespace: str, *, nadutils: bool) -> list[Attachment]:
    """`[ns/]name[@iface]` comma list or a JSON list; raises MultusParseError as Kube-OVN would fail."""
    if value is None or value == "":
        if nadutils and value == "":
            raise MultusParseError(EMPTY_ERROR)
        return []
    return list(_parse_value(value, default_namespace, nadutils))


@lru_cache(maxsize=CACHE_SIZE)
def _parse_value(value: str, default_namespace: str, nadutils: bool) -> tuple[Attachment, ...]:
    """The parse of one non-empty annotation value, memoised by value: a cluster's pods repeat a few values
    (every replica of a workload, every launcher of a VM), and an audit reads each pod's annotation twice (NADs
    to read, then the ports it needs). Errors are raised again each time (lru_cache keeps no exception)."""
    if any(ch in value for ch in '[{"'):
        elements = _parse_json(value, nadutils)
    else:
        elements = [_parse_text(item.strip()) for item in value.split(",")]
    return tuple(
        Attachment(name=name, namespace=ns or default_namespace, interface=iface) for ns, name, iface in elements
    )


def _parse_json(value: str, nadutils: bool) -> list[tuple[str, str, str]]:
    """JSON list of NetworkSelectionElement. Names are not regex-checked in this form (dots are possible).

    kube-ovn's parser (≤v1.13) maps the legacy `interfaceRequest` key and validates `mac` and `ips`;
    nadutils (≥v1.14) does neither but rejects `ips` together with `ipam-claim-reference`.
    """
    try:
        data = json_text.loads(value)
    except ValueError as exc:
        raise MultusParseError(
            f"failed to parse pod Network Attachment Selection Annotation JSON format: {exc}"
        ) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise MultusParseError(
            "failed to parse pod Network Attachment Selection Annotation JSON format: "
            f"cannot unmarshal {type(data).__name__} into a list of NetworkSelectionElement"
        )
    out = []
    for element in data:
        if not isinstance(element, dict):
            raise MultusParseError(f"network selection element {element!r} is not an object")
        for key in ("name", "namespace", "interface", "interfaceRequest", "mac"):
            if not isinstance(element.get(key, ""), str):
                raise MultusParseError(f"network selection field {key!r} must be a string")
        iface = element.get("interface", "")
        if nadutils:
            if element.get("ips") and element.get("ipam-claim-reference"):
                raise MultusParseError("multiple IP sources: ips and ipam-claim-reference")
        else:
            iface = iface or element.get("interfaceRequest", "")
            _validate_mac_ips(element)
        out.append((element.get("namespace", ""), element.get("name", ""), iface))
    return out


def _validate_mac_ips(element: Mapping[str, Any]) -> None:
    mac = element.get("mac") or ""
    if mac and not _MAC_RE.match(mac):
        raise MultusParseError(f"failed to parse mac address {mac!r}")
    ips = element.get("ips") or []
    if not isinstance(ips, list):
        raise MultusParseError("network selection field 'ips' must be a list")
    for ip in ips:
        try:
            if "/" in str(ip):
                ipaddress.ip_interface(str(ip))
            else:
                ipaddress.ip_address(str(ip))
        except ValueError:
            raise MultusParseError(f"failed to parse ip address {ip!r}") from None


def _parse_text(item: str) -> tuple[str, str, str]:
    """`parsePodNetworkObjectText`: empty parts are allowed, non-empty parts must be DNS-1123 labels."""
    slash = item.split("/")
    if len(slash) == 2:
        ns, name = slash[0].strip(), slash[1]
    elif len(slash) == 1:
        ns, name = "", slash[0]
    else:
        raise MultusParseError("Invalid network object (failed at '/')")
    at = name.split("@")
    name = at[0].strip()
    iface = ""
    if len(at) == 2:
        iface = at[1].strip()
    elif len(at) != 1:
        raise MultusParseError("Invalid network object (failed at '@')")
    for part in (ns, name, iface):
        if part and not _LABEL_RE.match(part):
            raise MultusParseError(
                "one or more items did not match comma-delimited format (must consist of lower "
                f"case alphanumeric characters), mismatch @ {part!r}"
            )
    return ns, name, iface


def is_default_net(default_annotation: str, attachment: Attachment) -> bool:
    """`util.IsDefaultNet`: the raw annotation equals `name` or `namespace/name`."""
    return default_annotation in (attachment.name, f"{attachment.namespace}/{attachment.name}")


def pod_attachments(pod: Mapping[str, Any], *, nadutils: bool) -> list[Attachment]:
    """Default-network entries first, then `networks` entries (getPodKubeovnNets order).

    An empty annotation on a pod is never an error: pod.go guards both parsers with `!= ""`.
    """
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    default_raw = annotations.get(DEFAULT_NETWORK_ANNOTATION) or ""
    networks_raw = annotations.get(NETWORKS_ANNOTATION) or ""
    if not default_raw and not networks_raw:
        return []
    return list(_pod_attachments(default_raw, networks_raw, meta.get("namespace", ""), nadutils))


@lru_cache(maxsize=CACHE_SIZE)
def _pod_attachments(default_raw: str, networks_raw: str, namespace: str, nadutils: bool) -> tuple[Attachment, ...]:
    """`pod_attachments` of the two annotation values, memoised by value (see `_parse_value`)."""
    found: list[Attachment] = []
    for key, raw in ((DEFAULT_NETWORK_ANNOTATION, default_raw), (NETWORKS_ANNOTATION, networks_raw)):
        if raw:
            try:
                found.extend(parse_network_annotation(raw, namespace, nadutils=nadutils))
            except MultusParseError as exc:
                exc.annotation = key
                raise
    return tuple(
        Attachment(a.name, a.namespace, a.interface, is_default=bool(default_raw) and is_default_net(default_raw, a))
        for a in found
    )
