"""What the sandbox loads into NB: switches and their ports, shaped the way Kube-OVN writes them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PortSpec:
    """A Logical_Switch_Port to create (columns as in the OVN NB schema)."""

    name: str
    type: str = ""
    addresses: list[str] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    port_security: list[str] = field(default_factory=list)


@dataclass
class SwitchSpec:
    """A Logical_Switch (named after its Subnet) and the ports it references.

    Ports must be inserted in the same transaction that references them from `ports`, or OVSDB
    garbage-collects them (Logical_Switch_Port is not a root table).
    """

    name: str
    external_ids: dict[str, str] = field(default_factory=dict)
    other_config: dict[str, str] = field(default_factory=dict)
    ports: list[PortSpec] = field(default_factory=list)
