"""explain's plan as data (model/explain_plan.py) and the one Selection (model/records.py): which rows a target
reads, what a port name's rows say, and which later reads an earlier answer covers. Expectations are literals."""

from __future__ import annotations

from factories import nb_port

from kubectl_ovn_lsp.model import explain_plan
from kubectl_ovn_lsp.model.bands import behaviour_for
from kubectl_ovn_lsp.model.records import NbLookup, NbPort, Selection
from kubectl_ovn_lsp.model.versions import Version

VM_PORT = "vm-a.test-ns.subnet-a.test-ns.ovn"


def test_a_port_name_is_read_with_every_owner_it_could_belong_to() -> None:
    assert explain_plan.port_selection(VM_PORT) == Selection(
        names=(VM_PORT,),
        pod_keys=(
            "ovn/vm-a.test-ns.subnet-a.test-ns",
            "subnet-a/vm-a.test-ns",
            "test-ns/vm-a",
            "test-ns/vm-a.test-ns.subnet-a",
        ),
    )
    assert explain_plan.port_selection("node-node2") == Selection(names=("node-node2",))
    assert explain_plan.orphan_selection("fns", "vmd") == Selection(pod_keys=("fns/vmd",))


def test_the_row_names_its_owner() -> None:
    row = nb_port(VM_PORT, "other-ns", "vm-x")  # external_ids:pod wins over the readings of the name
    found = explain_plan.port_name(VM_PORT, [row], None)
    assert (found.row, found.node, found.readings, found.keyed) == (
        row,
        None,
        (("other-ns", "vm-x"),),
        (("other-ns", "vm-x"),),
    )


def test_a_lost_port_is_every_reading_and_the_keyed_ones_hold_ports() -> None:
    kept = nb_port("vm-a.test-ns", "test-ns", "vm-a")  # another port of the same owner, read by its pod key
    found = explain_plan.port_name(VM_PORT, [kept], None)
    assert found.row is None and found.node is None
    assert found.readings == (
        ("test-ns", "vm-a"),
        ("subnet-a", "vm-a.test-ns"),
        ("test-ns", "vm-a.test-ns.subnet-a"),
        ("ovn", "vm-a.test-ns.subnet-a.test-ns"),
    )
    assert found.keyed == (("test-ns", "vm-a"),)


def test_a_given_namespace_narrows_the_readings_and_names_the_others() -> None:
    found = explain_plan.port_name(VM_PORT, [], "subnet-a")
    assert (found.readings, found.elsewhere) == ((("subnet-a", "vm-a.test-ns"),), ("ovn", "test-ns"))
    found = explain_plan.port_name(VM_PORT, [], "nope")
    assert (found.readings, found.elsewhere) == ((), ("ovn", "subnet-a", "test-ns"))


def test_a_node_port_is_the_node_unless_its_row_names_a_pod() -> None:
    assert explain_plan.port_name("node-node2", [], None).node == "node2"
    assert explain_plan.port_name("node-node2", [NbPort("node-node2", uuid="u1")], None).node == "node2"
    row = nb_port("node-node2", "default", "node-node2")
    assert explain_plan.port_name("node-node2", [row], None).node is None


def test_a_selection_covers_itself_and_the_narrower_ones_without_switches() -> None:
    wide = explain_plan.port_selection(VM_PORT)
    assert wide.covers(wide)
    assert wide.covers(Selection.of([VM_PORT], []))
    assert wide.covers(explain_plan.orphan_selection("test-ns", "vm-a"))
    assert not wide.covers(explain_plan.orphan_selection("test-ns", "vm-b"))
    assert not wide.covers(Selection.of([VM_PORT], [], ["subnet-a"]))  # a switch it did not read
    assert not Selection(every_port=True).covers(wide)  # another member answers a full read
    assert not wide.covers(Selection(every_port=True))
    assert Selection(every_port=True).covers(Selection(every_port=True))


def test_an_answer_holds_what_the_narrower_selection_asks_for() -> None:
    a = nb_port("vm-a.test-ns", "test-ns", "vm-a")
    b = nb_port("x.ovn", "ovn", "vm-a.test-ns.subnet-a.test-ns")
    c = NbPort(VM_PORT, uuid="u-c")
    wide = explain_plan.port_selection(VM_PORT)
    lookup = NbLookup(ports=(c, a, b), via="exec", endpoint="kube-system/ovn-central-0", leader_only=True, notes=("n",))
    assert wide.answer(lookup, wide) is lookup
    narrow = wide.answer(lookup, explain_plan.orphan_selection("test-ns", "vm-a"))
    assert narrow == NbLookup(
        ports=(a,), via="exec", endpoint="kube-system/ovn-central-0", leader_only=True, notes=("n",)
    )
    assert wide.answer(lookup, Selection.of([VM_PORT], [])).ports == (c,)


def test_a_port_naming_a_switch_not_read_widens_the_selection_from_libovsdb_on() -> None:
    selection = Selection.of(["vm-a.test-ns"], ["test-ns/vm-a"], ["subnet-a"])
    ports = [
        nb_port("vm-a.test-ns", "test-ns", "vm-a", ls="ovn-default"),
        nb_port("x", "test-ns", "vm-a", ls="subnet-a"),
    ]
    wider = explain_plan.switches_named(ports, selection, behaviour_for(Version(1, 12, 0)))
    assert wider == Selection.of(["vm-a.test-ns"], ["test-ns/vm-a"], ["ovn-default", "subnet-a"])
    assert explain_plan.switches_named(ports, selection, behaviour_for(Version(1, 11, 24))) is None  # ovn-nbctl
    assert explain_plan.switches_named(ports[1:], selection, behaviour_for(Version(1, 12, 0))) is None
