"""NetworkAttachmentDefinition classification and provider strings (docs/kube-ovn-facts.md, "Multus and NADs").

The controller never reads the NAD's `provider` field: it derives the provider from the NAD's name and
namespace and the CNI type. We do the same, and only compare the configured provider to flag a NAD the
kube-ovn-cni daemon would wait on forever.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kubectl_ovn_lsp.model import json_text
from kubectl_ovn_lsp.model.multus import Attachment

KUBE_OVN_CNI = "kube-ovn"
OVN = "ovn"

KIND_KUBE_OVN = "kube-ovn"  # an OVN port: provider <nad>.<ns>.ovn
KIND_IPAM = "ipam"  # another CNI with kube-ovn IPAM: an IP, no port
KIND_OTHER = "other"  # nothing to do with Kube-OVN
KIND_MISSING = "missing"  # looked up, not found
KIND_INVALID = "invalid"  # spec.config is not JSON; the controller errors on this pod


@dataclass(frozen=True)
class NadClass:
    """What a NAD is to Kube-OVN: an OVN port, an IP only, or nothing."""

    kind: str
    cni_type: str = ""
    config_provider: str | None = None  # `provider` (kube-ovn type) or `ipam.provider` as written in the NAD


def classify_nad(
    nad: Mapping[str, Any] | None,
    namespace: str = "",
    name: str = "",
    subnets: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    ipam_by_type: bool = True,
) -> NadClass:
    """kube-ovn type at top level or any `plugins[].type`; else kube-ovn IPAM; else other.

    IPAM-only: every tag up to v1.16.2 only asks whether a Subnet has provider `<nad>.<ns>`; master
    (`isKubeOVNIPAMNetwork`, `ipam_by_type`) also accepts `ipam.type: kube-ovn` without such a subnet.
    """
    if nad is None:
        return NadClass(KIND_MISSING)
    spec = nad.get("spec") or {}
    raw = spec.get("config") or "" if isinstance(spec, dict) else ""
    if not raw:
        return NadClass(KIND_OTHER)
    if not isinstance(raw, str):
        return NadClass(KIND_INVALID)
    found = _classify_config(raw)
    if isinstance(found, NadClass):
        return found
    confs, cni_type = found
    meta = nad.get("metadata") or {}
    provider = f"{name or meta.get('name', '')}.{namespace or meta.get('namespace', '')}"
    return _ipam_or_other(list(confs), cni_type, provider, subnets or {}, ipam_by_type)


def _ipam_or_other(
    confs: list[dict[str, Any]],
    cni_type: str,
    provider: str,
    subnets: Mapping[str, Mapping[str, Any]],
    ipam_by_type: bool,
) -> NadClass:
    """Another CNI: kube-ovn IPAM when a Subnet has provider `<nad>.<ns>` (or, on master, `ipam.type:
    kube-ovn`), else nothing to Kube-OVN."""
    ipam = next(
        (c["ipam"] for c in confs if isinstance(c.get("ipam"), dict) and c["ipam"].get("type") == KUBE_OVN_CNI), None
    )
    if (ipam is not None and ipam_by_type) or any(subnet_provider(s) == provider for s in subnets.values()):
        return NadClass(KIND_IPAM, cni_type, (ipam or {}).get("provider"))
    return NadClass(KIND_OTHER, cni_type)


@lru_cache(maxsize=1024)
def _classify_config(raw: str) -> NadClass | tuple[tuple[dict[str, Any], ...], str]:
    """What `spec.config` alone decides, once per distinct text (a cluster has a few NADs and every pod attached
    to one classified it again: 45,000 times in a 10,000-pod audit): invalid when loadNetConf's json.Unmarshal
    fails (not a JSON object, `plugins` not a list), an OVN port when a kube-ovn type is there, else the configs
    and the CNI type for the IPAM test (which also depends on the Subnets). The configs are shared: callers only
    read them."""
    try:
        config = json_text.loads(raw)
    except ValueError:
        return NadClass(KIND_INVALID)
    if not isinstance(config, dict) or not isinstance(config.get("plugins", []), list):
        return NadClass(KIND_INVALID)
    # loadNetConf reads `plugins` only when the top-level `type` is empty (a conflist).
    plugins = [p for p in config.get("plugins") or [] if isinstance(p, dict)] if not config.get("type") else []
    confs = [config] if config.get("type") else plugins
    kube_ovn = next((c for c in confs if c.get("type") == KUBE_OVN_CNI), None)
    if kube_ovn is not None:
        return NadClass(KIND_KUBE_OVN, KUBE_OVN_CNI, kube_ovn.get("provider"))
    cni_type = str(config.get("type") or (plugins[0].get("type") if plugins else "") or "")
    return tuple(confs), cni_type


def kube_ovn_provider(nad_name: str, nad_namespace: str, iface: str = "") -> str:
    """`<nad>.<ns>.ovn`, with `.<iface>` for a repeated NAD from v1.16 (caller decides)."""
    base = f"{nad_name}.{nad_namespace}.{OVN}"
    return f"{base}.{iface}" if iface else base


def ipam_provider(nad_name: str, nad_namespace: str) -> str:
    return f"{nad_name}.{nad_namespace}"


def repeated_keys(attachments: Iterable[Attachment]) -> set[tuple[str, str]]:
    """NADs listed more than once (default-network + networks): an element of such a NAD that names an
    interface gets provider `<nad>.<ns>.ovn.<iface>` from v1.16 (#6060, pod.go nadCounts)."""
    seen: set[tuple[str, str]] = set()
    repeated: set[tuple[str, str]] = set()
    for attachment in attachments:
        (repeated if attachment.key in seen else seen).add(attachment.key)
    return repeated


def subnet_provider(subnet: Mapping[str, Any]) -> str:
    return str((subnet.get("spec") or {}).get("provider") or "")


def is_ovn_provider(provider: str, predicate: str) -> bool:
    """The band's test on the Subnet named by `<p>.kubernetes.io/logical_switch` (docs/kube-ovn-facts.md, "Providers
    and subnets").

    exact (v1.7.3, v1.8.1–18): == "ovn"; suffix (v1.9–v1.12, gc.go's own test, so "" is *not* OVN):
    HasSuffix "ovn"; three-field (v1.13+, `util.IsOvnProvider`): "" | "ovn" | "<a>.<b>.ovn"; none (v1.8.0): no test.
    """
    if predicate == "none":
        return True
    if predicate == "exact":
        return provider == OVN
    if predicate == "suffix":
        return provider.endswith(OVN)
    if provider in ("", OVN):
        return True
    parts = provider.split(".")
    return len(parts) == 3 and parts[-1] == OVN


def network_of_provider(provider: str) -> str:
    """ "default" for `ovn`, "ns/nad" for `<nad>.<ns>.ovn[.<iface>]` or IPAM `<nad>.<ns>`; "" when ambiguous.

    Names with dots make the split ambiguous, so this is only a fallback when the NAD is not known.
    """
    if provider == OVN:
        return "default"
    parts = provider.split(".")
    if (len(parts) in (3, 4) and parts[2] == OVN) or len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return ""
