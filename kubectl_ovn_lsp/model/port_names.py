"""Port names as GC logs them, read back into the owners that could have formed them.

Kube-OVN names a port `<owner>.<ns>` (provider ovn) or `<owner>.<ns>.<provider>` (`ovs.PodNameToPortName`),
and a node's join port `node-<node>`. Pod and VM names may hold dots, namespaces never do (DNS labels), so a
name with k dots has k ways to split; the edge keeps the splits whose owner exists (or whose NB port carries
that `external_ids:pod`), and a name that still fits several owners is ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubectl_ovn_lsp.model.gc_nodes import NODE_PREFIX

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class PortOwnerCandidate:
    """One reading of a port name: the owner `<name>` in `<namespace>`, and the provider the rest names."""

    namespace: str
    name: str
    provider: str  # "ovn" for `<name>.<ns>`

    @property
    def pod_key(self) -> str:
        return f"{self.namespace}/{self.name}"


def owner_candidates(port_name: str) -> list[PortOwnerCandidate]:
    """Every (namespace, owner, provider) split of a port name, most specific owner name first.

    `vm-a.test-ns.subnet-a.test-ns.ovn` → (test-ns, vm-a, subnet-a.test-ns.ovn), then splits with dotted owner
    names (`vm-a.test-ns` in namespace `subnet-a`, …) whose namespace part is a valid DNS label.
    """
    parts = port_name.split(".")
    out = []
    for i in range(1, len(parts)):
        owner, namespace, rest = ".".join(parts[:i]), parts[i], ".".join(parts[i + 1 :])
        if not owner or not _DNS_LABEL.match(namespace):
            continue
        out.append(PortOwnerCandidate(namespace, owner, rest or "ovn"))
    return out


def node_of_port(port_name: str) -> str | None:
    """`node-<node>` → the node name (a node port has no namespace part), else None."""
    if port_name.startswith(NODE_PREFIX) and "." not in port_name and len(port_name) > len(NODE_PREFIX):
        return port_name[len(NODE_PREFIX) :]
    return None


def looks_like_port_name(text: str) -> bool:
    """A name that only a port could carry: it has a split into owner and namespace."""
    return bool(owner_candidates(text)) or node_of_port(text) is not None
