"""Records that cross the boundary between the collectors (I/O) and the model (pure logic)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)  # one per port: 50,000 in an audit of 10,000 pods
class NbPort:
    """One Logical_Switch_Port row as read from the OVN Northbound DB.

    Only the columns the plugin reads; the switch it names comes from `external_ids:ls` (Kube-OVN writes it with
    the port); which switches hold it, from the Logical_Switch rows read beside it (`NbLookup.switches`).
    """

    name: str
    type: str = ""
    external_ids: Mapping[str, str] = field(default_factory=dict)
    addresses: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    uuid: str = ""
    port_security: tuple[str, ...] = ()

    @property
    def logical_switch(self) -> str | None:
        return self.external_ids.get("ls")

    @property
    def pod_key(self) -> str | None:
        """`<ns>/<name>` as Kube-OVN stores it; shared by all ports of one pod or VM."""
        return self.external_ids.get("pod")


@dataclass(frozen=True)
class Selection:
    """Which NB rows to read, as data (the model plans reads; `nb/` sends them): Logical_Switch_Ports by name and by
    `external_ids:pod` key plus the named Logical_Switches (explain), or every port and every switch (audit, triage,
    and explain's check for a stalled GC cycle). Names, keys and switches are sorted and unique (`of`)."""

    names: tuple[str, ...] = ()
    pod_keys: tuple[str, ...] = ()
    every_port: bool = False
    switches: tuple[str, ...] = ()  # Logical_Switch names whose `ports` to read (ignored with every_port)
    # explain's check for a stalled GC cycle (commands/stall.py), filtered on the server in three steps:
    switch_names: bool = False  # every Logical_Switch's name, without its ports
    ls_outside: tuple[str, ...] | None = None  # ports whose external_ids:ls is none of these (absent, empty, other)
    held: tuple[str, ...] = ()  # port UUIDs: the Logical_Switches holding any of them, with their ports

    @classmethod
    def of(cls, names: Iterable[str], pod_keys: Iterable[str], switches: Iterable[str] = ()) -> Selection:
        return cls(tuple(sorted(set(names))), tuple(sorted(set(pod_keys))), switches=tuple(sorted(set(switches))))

    def covers(self, other: Selection) -> bool:
        """Whether the answer to this selection holds every row `other` asks for, so `other` can be answered from
        it (`answer`) instead of NB: the same selection, or a narrow one whose names and keys are among these and
        which asks for no switch this one did not read. A full read never answers a narrow one: it comes from
        another member (a full read spares the raft leader, explain's read does not)."""
        if self == other:
            return True
        if self.every_port or other.every_port or self.stall_step or other.stall_step:
            return False
        return set(other.names) <= set(self.names) and set(other.pod_keys) <= set(self.pod_keys) and not other.switches

    @property
    def stall_step(self) -> bool:
        """One of the three filtered reads of explain's stalled-GC check (`switch_names`, `ls_outside`, `held`)."""
        return self.switch_names or self.ls_outside is not None or bool(self.held)

    def answer(self, lookup: NbLookup, asked: Selection) -> NbLookup:
        """The rows of `lookup` (this selection's answer) that `asked` selects, as NB would have returned them
        (`covers` must hold): the ports named in `asked` or keyed by its pod keys, in the order read."""
        if asked == self:
            return lookup
        names, keys = set(asked.names), set(asked.pod_keys)
        ports = tuple(p for p in lookup.ports if p.name in names or p.pod_key in keys)
        return replace(lookup, ports=ports, switches={}, every_switch=False, switches_asked=())


@dataclass(frozen=True)
class NbLookup:
    """The answer of one NB read, with where it came from (for `nb` in the explain document)."""

    ports: tuple[NbPort, ...]
    via: str  # "exec" or "direct"
    endpoint: str  # "namespace/pod" for exec, the remote that answered for direct
    leader_only: bool
    notes: tuple[str, ...] = ()  # what the reader must know (a member that failed, a fallback that was used)
    # Logical_Switch name -> the UUIDs of the ports it holds, for the switches read (every switch for a full read,
    # the owner's Subnets for explain); a switch missing here was not read or does not exist (see `every_switch`)
    switches: Mapping[str, frozenset[str]] = field(default_factory=dict)
    every_switch: bool = False  # `switches` holds every Logical_Switch of NB (a name not in it does not exist)
    switches_asked: tuple[str, ...] = ()  # the switch names read by name (one of them not in `switches`: absent)

    def without_rows(self) -> NbLookup:
        """Where the answer came from, without its rows (ports, switches): what a document's `nb` reads, once the
        replay is done with the rows (a full read's 50,000 ports are ~45 MB at 10,000 pods)."""
        return replace(self, ports=(), switches={}, switches_asked=())


@dataclass(frozen=True)
class SwitchView:
    """Which Logical_Switch holds which port, as far as NB was read: every switch (audit, triage: `complete`), or
    the Subnets an owner is allocated on (explain). Unknown is None, never a guess.

    Why it matters: Kube-OVN's GC and allocation act on the switch `external_ids:ls` names, while OVN forwards on
    the switch that holds the port (docs/kube-ovn-facts.md, "Port state", "GC cycles that cannot complete").
    """

    ports_of: Mapping[str, frozenset[str]] = field(default_factory=dict)  # switch name -> port UUIDs it holds
    complete: bool = False
    asked: frozenset[str] = frozenset()  # switches read by name: one missing from `ports_of` does not exist

    @classmethod
    def of(cls, lookup: NbLookup) -> SwitchView:
        return cls(lookup.switches, lookup.every_switch, frozenset(lookup.switches_asked))

    def holds(self, switch: str, uuid: str) -> bool | None:
        """Whether `switch` holds the port; None when that switch was not read (and is not known to be absent)."""
        held = self.ports_of.get(switch)
        if held is None:
            return False if self.exists(switch) is False else None
        return uuid in held

    def exists(self, switch: str) -> bool | None:
        if switch in self.ports_of:
            return True
        return False if self.complete or switch in self.asked else None

    def holders(self, uuid: str) -> tuple[str, ...] | None:
        """Every switch holding the port (complete views only; None otherwise)."""
        if not self.complete:
            return None
        return self._inverse.get(uuid, ())

    @functools.cached_property
    def _inverse(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for name in sorted(self.ports_of):
            for uuid in self.ports_of[name]:
                out[uuid] = out.get(uuid, ()) + (name,)
        return out
