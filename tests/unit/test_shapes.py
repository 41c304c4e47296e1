"""Every field the model reads, with a value of every wrong type: `check_object` names the object and the field on
one line. Systematic (each kind's table in model/shapes.py), no servers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubectl_ovn_lsp.model import shapes
from kubectl_ovn_lsp.model.errors import MalformedObject
from tests.unit import factories as f

BASES: dict[str, dict] = {
    "Pod": f.launcher("vm1", "ns", {"a": "b"}),
    "VirtualMachine": f.vm("vm1", "ns", [f.multus_net("a", "ns/net1")], template_annotations={"x": "y"}),
    "VirtualMachineInstance": {
        **f.vmi("vm1", "ns"),
        "spec": {"networks": [{"name": "a", "multus": {"networkName": "n"}}]},
    },
    "NetworkAttachmentDefinition": f.nad("net1", "ns"),
    "Subnet": f.subnet("s1"),
    "Deployment": f.deployment(args=["--keep-vm-ip=true"]),
    "StatefulSet": f.statefulset("db", "ns", start=0),
    "Node": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1", "annotations": {"a": "b"}}},
    "Secret": {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "ns"},
        "data": {"k": "dg=="},
    },
}
WRONG: dict[str, list[Any]] = {
    "map": ["x", 3, ["a"]],
    "list": ["x", {"a": "b"}, 3],
    "str": [3, True, ["x"], {"a": "b"}],
    "int": ["3", 1.5, True],
    "bool": ["true", 1, ["x"]],
    "time": ["yesterday", 5, {"t": 1}],
    "strmap": [["a"], {"a": 1}, {"a": None}, "a=b"],
    "strlist": ["--x", [1], [None], {"a": "b"}],
}


def _put(obj: dict, path: str, value: Any) -> dict | None:
    """Set `path` (with `[]` meaning the first list item) in a copy of obj, creating maps on the way; None when a
    list on the way is empty."""
    obj = copy.deepcopy(obj)
    segments = path.replace("[]", ".[]").split(".")
    here: Any = obj
    for key, following in zip(segments, segments[1:]):
        if key == "[]":
            if not here:
                return None
            here = here[0]
            continue
        if following == "[]":
            here = here.setdefault(key, [{}])
            if not isinstance(here, list) or not here:
                return None
        else:
            here = here.setdefault(key, {})
    if segments[-1] == "[]":
        if not here:
            return None
        here[0] = value
    else:
        here[segments[-1]] = value
    return obj


CASES = [
    (kind, path, expected, value)
    for kind, fields in shapes.SHAPES.items()
    for path, expected in fields
    for value in WRONG[expected]
]


@pytest.mark.parametrize("kind", sorted(BASES))
def test_the_bases_are_well_formed(kind: str) -> None:
    assert shapes.problems(kind, BASES[kind]) == []


@pytest.mark.parametrize("kind, path, expected, value", CASES, ids=[f"{k}:{p}={v!r}"[:70] for k, p, _, v in CASES])
def test_a_wrong_type_is_named(kind: str, path: str, expected: str, value: Any) -> None:
    obj = _put(BASES[kind], path, value)
    if obj is None:
        pytest.skip("no list item on the way")  # not reached with the bases above
    with pytest.raises(MalformedObject) as info:
        shapes.check_object(kind, obj)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{kind} ")
    reported = message.split(": ", 1)[1].split(" must be ")[0]
    assert reported.replace("[0]", "[]").startswith(path.split("[]")[0].rstrip(".")), message


@pytest.mark.parametrize("kind", sorted(BASES))
def test_null_items_and_missing_identity(kind: str) -> None:
    meta_less = {**BASES[kind], "metadata": None}
    assert shapes.problems(kind, meta_less)[0][0] == "metadata"
    nameless = copy.deepcopy(BASES[kind])
    nameless["metadata"]["name"] = "a\nb" if kind == "Pod" else ""
    assert shapes.problems(kind, nameless) == (
        [] if kind == "Pod" else [("metadata.name", "a non-empty string", 'a string ("")')]
    )


def test_names_with_control_characters_stay_on_one_line() -> None:
    pod = copy.deepcopy(BASES["Pod"])
    pod["metadata"]["name"] = "evil\nerror: fake"
    pod["metadata"]["labels"] = {"a": 1}
    with pytest.raises(MalformedObject) as info:
        shapes.check_object("Pod", pod)
    assert "\n" not in str(info.value) and "evil\\nerror: fake" in str(info.value)


def test_nulls_are_absent_fields() -> None:
    pod = copy.deepcopy(BASES["Pod"])
    pod["metadata"]["annotations"] = None
    pod["spec"]["hostNetwork"] = None
    pod["status"] = None
    assert shapes.problems("Pod", pod) == []
    pod["metadata"]["ownerReferences"] = [None]
    assert shapes.problems("Pod", pod) == [("metadata.ownerReferences[0]", "a mapping", "null")]


@pytest.mark.parametrize("kind, path, expected, value", CASES, ids=[f"{k}:{p}={v!r}"[:70] for k, p, _, v in CASES])
def test_the_one_pass_check_agrees_with_the_walk(kind: str, path: str, expected: str, value: Any) -> None:
    """`check_object` lets an object through on the one-pass check alone: it must never pass an object that
    `problems` (the field-by-field walk that names the field) finds wrong, nor refuse a well-formed one."""
    obj = _put(BASES[kind], path, value)
    assert obj is not None
    assert shapes.problems(kind, obj) != []
    assert shapes._well_formed(kind, obj) is False
    assert shapes._well_formed(kind, BASES[kind]) is True
    nulled = _put(BASES[kind], path, None)
    assert nulled is not None
    assert shapes._well_formed(kind, nulled) is (shapes.problems(kind, nulled) == [])
