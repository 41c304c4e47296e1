"""A port that exists but is wrong is never `ok` (issue #16 item 1; model/port_state.py).

The property test builds owners (plain pods, VMs with keep-vm-ip, Nodes) and their ports exactly as the
controller writes them (addresses, port_security, external_ids:ls, the switch holding them), checks that the
replay calls every port `ok`, then perturbs one field of one kept port and checks that its verdict changes.
The literal cases pin the reason codes and what repairs each mismatch per release (docs/upstream-findings.md §13).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubectl_ovn_lsp.model.inventory import Inventory, by_key, by_name
from kubectl_ovn_lsp.model.port_state import normal_ip
from kubectl_ovn_lsp.model.records import NbPort, SwitchView
from kubectl_ovn_lsp.model.replay import replay
from tests.unit import factories as f

RELEASES = ["v1.9.30", "v1.11.24", "v1.12.0", "v1.12.15", "v1.13.4", "v1.14.8", "v1.15.9", "v1.16.2", "master"]
MACS = ["00:00:00:aa:00:01", "00:00:00:aa:00:02", "0a:58:0a:10:00:07"]


def _node(name: str, ip: str, mac: str) -> dict:
    ann = {
        "ovn.kubernetes.io/allocated": "true",
        "ovn.kubernetes.io/ip_address": ip,
        "ovn.kubernetes.io/mac_address": mac,
        "ovn.kubernetes.io/logical_switch": "join",
        "ovn.kubernetes.io/cidr": "100.64.0.0/16",
    }
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "annotations": ann}}


@st.composite
def cluster(draw: st.DrawFn) -> tuple[Inventory, list[NbPort], dict[str, frozenset[str]], str]:
    """(inventory, ports, switch -> port UUIDs, release) of one owner of each kind, as the controller leaves them."""
    release = draw(st.sampled_from(RELEASES))
    dual = draw(st.booleans())
    secured = draw(st.booleans())
    mac = draw(st.sampled_from(MACS))
    host = draw(st.integers(2, 250))
    ips = f"10.16.0.{host}" + (f",fd00:10:16::{host:x}" if dual else "")
    ports: list[NbPort] = []
    switches: dict[str, set[str]] = {"ovn-default": set(), "other": set(), "join": set()}

    def add(name: str, owner_key: str | None, ls: str, ip: str, m: str, security: bool) -> None:
        entry = f"{m} {ip.replace(',', ' ')}"
        ids = {"ls": ls, "vendor": "kube-ovn", **({"pod": owner_key} if owner_key else {})}
        uuid = f"uuid-{name}"
        ports.append(NbPort(name, "", ids, (entry,), {}, uuid, (entry,) if security else ()))
        switches[ls].add(uuid)

    ann = {**f.allocated("ovn", "ovn-default", ips, mac=mac)}
    if secured:
        ann["ovn.kubernetes.io/port_security"] = "true"
    web = f.pod("web", "app", ann)
    add("web.app", "app/web", "ovn-default", ips, mac, secured)
    vm_ann = {**f.allocated("ovn", "ovn-default", "10.16.1.5", mac="00:00:00:bb:00:05")}
    launcher = f.launcher("vm1", "app", vm_ann)
    add("vm1.app", "app/vm1", "ovn-default", "10.16.1.5", "00:00:00:bb:00:05", False)
    node = _node("node1", "100.64.0.2", "00:00:00:cc:00:02")
    add("node-node1", None, "join", "100.64.0.2", "00:00:00:cc:00:02", False)
    inventory = Inventory(
        now=f.NOW,
        pods=(web, launcher),
        vms=by_key([f.vm("vm1", "app", [{"name": "default", "pod": {}}])]),
        subnets=by_name([f.subnet("ovn-default"), f.subnet("other"), f.subnet("join", cidr="100.64.0.0/16")]),
        nodes=by_name([node]),
    )
    return inventory, ports, {k: frozenset(v) for k, v in switches.items()}, release


def _verdicts(inventory, ports, switches, release) -> dict[str, tuple[str, str | None]]:
    result = replay(inventory, ports, f.settings(release, keep_vm_ip=True), switches=SwitchView(switches, True))
    return {p.name: (p.verdict, p.reason) for i in result.items if i.judgement for p in i.judgement.ports}


def _perturb(port: NbPort, switches: dict[str, frozenset[str]], field: str) -> tuple[NbPort, dict]:
    """One field of the port changed the way a real incident leaves it."""
    entry = port.addresses[0].split()
    if field == "ip":
        bumped = entry[1].rsplit(".", 1)[0] + ".254" if entry[1] != "10.16.0.254" else "10.16.0.253"
        return replace(port, addresses=(" ".join([entry[0], bumped, *entry[2:]]),)), switches
    if field == "mac":
        other = "00:00:00:dd:00:09"
        return replace(port, addresses=(" ".join([other, *entry[1:]]),)), switches
    if field == "switch":  # another switch holds it, external_ids:ls unchanged (#3424 after v1.12.5's update)
        home = next(s for s, held in switches.items() if port.uuid in held)
        target = "other" if home != "other" else "ovn-default"
        moved = {s: (held - {port.uuid}) | ({port.uuid} if s == target else set()) for s, held in switches.items()}
        return port, moved
    if field == "ls":  # external_ids:ls names another switch
        return replace(port, external_ids={**port.external_ids, "ls": "other"}), switches
    if field == "port_security":
        if port.port_security:
            return replace(port, port_security=()), switches
        return replace(port, port_security=("00:00:00:dd:00:09 10.16.9.9",)), switches
    raise AssertionError(field)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cluster(),
    st.sampled_from(["web.app", "vm1.app", "node-node1"]),
    st.sampled_from(["ip", "mac", "switch", "ls", "port_security"]),
)
def test_perturbing_one_field_of_a_kept_port_changes_its_verdict_from_ok(world, name, field) -> None:
    inventory, ports, switches, release = world
    before = _verdicts(inventory, ports, switches, release)
    assert all(v == ("ok", None) for v in before.values()), before  # built as the controller builds them
    if field == "port_security" and name != "web.app":
        field = "mac"  # VM and node ports here carry no port_security: an empty one is what the controller sets
    index = next(i for i, p in enumerate(ports) if p.name == name)
    changed, moved = _perturb(ports[index], switches, field)
    after = _verdicts(inventory, [*ports[:index], changed, *ports[index + 1 :]], moved, release)
    assert after[name][0] != "ok", (field, after[name])
    assert after[name][1] is not None and after[name][1].startswith("PORT"), after[name]


# ------------------------------------------------------------------------------------------- literal cases


def _web(release: str, port: NbPort, held: str = "ovn-default", *, secured: bool = False) -> tuple[str, str, str]:
    ann = f.allocated("ovn", "ovn-default", "10.16.0.12")
    if secured:
        ann["ovn.kubernetes.io/port_security"] = "true"
    inventory = Inventory(now=f.NOW, pods=(f.pod("web", "app", ann),), subnets=by_name([f.subnet("ovn-default")]))
    other = "ovn-default" if held != "ovn-default" else "x"
    view = SwitchView({held: frozenset({port.uuid}), other: frozenset()}, True)
    [item] = replay(inventory, [port], f.settings(release), switches=view).items
    [finding] = item.judgement.ports
    return finding.verdict, finding.reason, finding.detail


GOOD = f.nb_port("web.app", "app", "web")
NO_LS = {"pod": "app/web", "vendor": "kube-ovn"}


@pytest.mark.parametrize(
    "port,held,secured,expected",
    [
        (GOOD, "ovn-default", False, ("ok", None)),
        (replace(GOOD, addresses=("00:00:00:5a:1b:2c 10.16.0.99",)), "ovn-default", False, ("degraded", "PORT3")),
        (replace(GOOD, addresses=("00:00:00:00:00:01 10.16.0.12",)), "ovn-default", False, ("lost", "PORT2")),
        (GOOD, "sub-old", False, ("lost", "PORT1")),
        (replace(GOOD, external_ids=NO_LS), "ovn-default", False, ("degraded", "PORT6")),
        (GOOD, "ovn-default", True, ("degraded", "PORT5")),
        (replace(GOOD, port_security=("00:00:00:5a:1b:2c 10.16.0.12",)), "ovn-default", True, ("ok", None)),
        (replace(GOOD, port_security=("00:00:00:5a:1b:2c 10.16.0.77",)), "ovn-default", False, ("lost", "PORT4")),
    ],
)
def test_each_mismatch_has_its_code(port, held, secured, expected) -> None:
    assert _web("v1.13.4", port, held, secured=secured)[:2] == expected


def test_the_mac_is_compared_without_case_and_ipv6_in_one_spelling() -> None:
    port = replace(GOOD, addresses=("00:00:00:5A:1B:2C 10.16.0.12",))
    assert _web("v1.13.4", port)[:2] == ("ok", None)


def test_a_live_pod_port_is_repaired_by_deleting_the_pod_in_every_release() -> None:
    bad = replace(GOOD, addresses=("00:00:00:5a:1b:2c 10.16.0.99",))
    for release in ("v1.11.24", "v1.12.0", "v1.16.2"):
        assert "Nothing rewrites it while the pod lives" in _web(release, bad)[2]


def _vm3424(release: str) -> tuple[str, str, tuple[str, ...]]:
    """#3424: VM app/vm1 re-created on sub-2; its old port vm1.app stays in sub-1 with the old address."""
    ann = f.allocated("ovn", "sub-2", "10.2.0.5", mac="00:00:00:22:00:05")
    inventory = Inventory(
        now=f.NOW,
        pods=(f.launcher("vm1", "app", ann),),
        vms=by_key([f.vm("vm1", "app", [{"name": "default", "pod": {}}])]),
        subnets=by_name([f.subnet("sub-1", cidr="10.1.0.0/16"), f.subnet("sub-2", cidr="10.2.0.0/16")]),
    )
    port = f.nb_port("vm1.app", "app", "vm1", "sub-1", address="00:00:00:11:00:05 10.1.0.5")
    view = SwitchView({"sub-1": frozenset({port.uuid}), "sub-2": frozenset()}, True)
    [item] = replay(inventory, [port], f.settings(release, keep_vm_ip=True), switches=view).items
    [finding] = item.judgement.ports
    return finding.verdict, finding.reason or "", item.judgement.advice


@pytest.mark.parametrize(
    "release,says",
    [
        ("v1.12.0", "leaves the VM's existing port as it is (v1.12.0–v1.12.4)"),
        ("v1.12.5", "the move arrives in v1.12.18 and v1.13.0"),
        ("v1.12.17", "the move arrives in v1.12.18 and v1.13.0"),
        ("v1.12.18", "moves it to its Subnet's switch"),
        ("v1.13.0", "moves it to its Subnet's switch"),
        ("v1.11.24", "cannot move the VM's port to another switch"),
    ],
)
def test_3424_wrong_switch_is_lost_and_the_repair_follows_the_release(release, says) -> None:
    verdict, reason, advice = _vm3424(release)
    assert (verdict, reason) == ("lost", "PORT1")
    assert any(says in line for line in advice), advice


def test_5172_node_port_never_repaired_from_v1_12_and_the_race_is_named() -> None:
    node = _node("node2", "100.64.0.3", "00:00:00:cc:00:03")
    port = NbPort("node-node2", "", {"ls": "join", "vendor": "kube-ovn"}, ("00:00:00:cc:00:99 100.64.0.9",), {}, "u2")
    inventory = Inventory(now=f.NOW, nodes=by_name([node]))
    view = SwitchView({"join": frozenset({"u2"})}, True)
    for release, race in (("v1.13.10", "closed from v1.13.11 and v1.14.0"), ("v1.13.11", "this mismatch is older")):
        [item] = replay(inventory, [port], f.settings(release), switches=view).items
        [finding] = item.judgement.ports
        assert (finding.verdict, finding.reason) == ("lost", "PORT2")
        assert "Nothing repairs it" in item.judgement.advice[0] and race in item.judgement.advice[0]
    [item] = replay(inventory, [port], f.settings("v1.11.24"), switches=view).items
    assert "rewrites the node port's addresses" in item.judgement.advice[0]


@pytest.mark.parametrize(
    "text, normal",
    [
        ("10.16.0.5", "10.16.0.5"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        (" 10.16.0.5 ", "10.16.0.5"),
        ("10.16.0.5/16", "10.16.0.5"),
        ("256.1.1.1", "256.1.1.1"),  # no address: as it is
        ("01.2.3.4", "01.2.3.4"),  # leading zeros are no IPv4 address to ipaddress either
        ("fd00::05", "fd00::5"),
        ("FD00:0:0::1", "fd00::1"),
        ("1.2.3", "1.2.3"),
    ],
)
def test_one_spelling_of_an_address(text: str, normal: str) -> None:
    """The IPv4 fast path (an address already in its one spelling) and ipaddress agree on every form."""
    assert normal_ip(text) == normal
