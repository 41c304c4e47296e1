"""Records that cross the boundary between the collectors (I/O) and the model (pure logic)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NbPort:
    """One Logical_Switch_Port row as read from the OVN Northbound DB.

    Only the columns the plugin reads; the switch comes from `external_ids:ls` because conditional
    monitoring drops references to Logical_Switch rows outside the monitored set.
    """

    name: str
    type: str = ""
    external_ids: Mapping[str, str] = field(default_factory=dict)
    addresses: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    uuid: str = ""

    @property
    def logical_switch(self) -> str | None:
        return self.external_ids.get("ls")

    @property
    def pod_key(self) -> str | None:
        """`<ns>/<name>` as Kube-OVN stores it; shared by all ports of one pod or VM."""
        return self.external_ids.get("pod")


@dataclass(frozen=True)
class NbLookup:
    """The answer of one NB read, with where it came from (for `nb` in the explain document)."""

    ports: tuple[NbPort, ...]
    via: str  # "exec" or "direct"
    endpoint: str  # "namespace/pod" for exec, the remote that answered for direct
    leader_only: bool
    notes: tuple[str, ...] = ()  # what the reader must know (a member that failed, a fallback that was used)
