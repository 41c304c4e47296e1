"""The shape of every field the model reads, per kind, checked before the model reads it.

Why: a real API server only serves well-typed objects, but a replayed dump (`sandbox up ./dump`), a CRD without
a structural schema or a hand-edited scenario can hold `spec.template.spec.networks: "net1"`, an
`ownerReferences` map, a list holding nulls or a label whose value is a number. Code written for the real
shapes would then fail somewhere deep with a TypeError. Checking the fields the model reads, once, where an
object enters (the Kubernetes edge, or a snapshot built by hand), turns all of them into one
`MalformedObject` line naming the object and the field. A null (absent) value is always allowed: Kubernetes
omits empty fields and the model reads absence as "none". Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from kubectl_ovn_lsp.model.errors import MalformedObject

# Expected types: map, list, str, int, bool, time (RFC 3339 string), strmap (map of string to string),
# strlist (list of strings). A path segment `[]` means every list item (which must not be null).
_META = (
    ("metadata", "map"),
    ("metadata.name", "str"),
    ("metadata.namespace", "str"),
    ("metadata.uid", "str"),
    ("metadata.labels", "strmap"),
    ("metadata.annotations", "strmap"),
    ("metadata.ownerReferences", "list"),
    ("metadata.ownerReferences[]", "map"),
    ("metadata.ownerReferences[].kind", "str"),
    ("metadata.ownerReferences[].name", "str"),
    ("metadata.ownerReferences[].apiVersion", "str"),
    ("metadata.ownerReferences[].uid", "str"),
    ("metadata.creationTimestamp", "time"),
    ("metadata.deletionTimestamp", "time"),
    ("metadata.deletionGracePeriodSeconds", "int"),
)
_POD = _META + (
    ("spec", "map"),
    ("spec.hostNetwork", "bool"),
    ("spec.restartPolicy", "str"),
    ("spec.nodeName", "str"),
    ("spec.containers", "list"),
    ("spec.containers[]", "map"),
    ("spec.containers[].name", "str"),
    ("status", "map"),
    ("status.phase", "str"),
    ("status.reason", "str"),
    ("status.conditions", "list"),
    ("status.conditions[]", "map"),
    ("status.conditions[].type", "str"),
    ("status.conditions[].status", "str"),
)
_VM_TEMPLATE = (
    ("spec", "map"),
    ("spec.template", "map"),
    ("spec.template.metadata", "map"),
    ("spec.template.metadata.annotations", "strmap"),
    ("spec.template.metadata.labels", "strmap"),
    ("spec.template.spec", "map"),
    ("spec.template.spec.networks", "list"),
    ("spec.template.spec.networks[]", "map"),
    ("spec.template.spec.networks[].name", "str"),
    ("spec.template.spec.networks[].multus", "map"),
    ("spec.template.spec.networks[].multus.networkName", "str"),
    ("spec.template.spec.networks[].multus.default", "bool"),
    ("spec.template.spec.networks[].pod", "map"),
)
_VMI = _META + (
    ("spec", "map"),
    ("spec.networks", "list"),
    ("spec.networks[]", "map"),
    ("spec.networks[].multus", "map"),
    ("spec.networks[].multus.networkName", "str"),
    ("status", "map"),
)
_WORKLOAD_TEMPLATE = (
    ("spec", "map"),
    ("spec.template", "map"),
    ("spec.template.spec", "map"),
    ("spec.template.spec.containers", "list"),
    ("spec.template.spec.containers[]", "map"),
    ("spec.template.spec.containers[].name", "str"),
    ("spec.template.spec.containers[].image", "str"),
    ("spec.template.spec.containers[].args", "strlist"),
    ("spec.template.spec.containers[].command", "strlist"),
)
SHAPES: dict[str, tuple[tuple[str, str], ...]] = {
    "Pod": _POD,
    "VirtualMachine": _META + _VM_TEMPLATE + (("spec.running", "bool"), ("spec.runStrategy", "str")),
    "VirtualMachineInstance": _VMI,
    "NetworkAttachmentDefinition": _META + (("spec", "map"), ("spec.config", "str")),
    "Subnet": _META + (("spec", "map"), ("spec.provider", "str")),
    "Deployment": _META + _WORKLOAD_TEMPLATE,
    "StatefulSet": _META
    + (("spec", "map"), ("spec.replicas", "int"), ("spec.ordinals", "map"), ("spec.ordinals.start", "int")),
    "Node": _META,
    "Secret": _META + (("data", "strmap"),),
}
NAMESPACED = frozenset(
    {
        "Pod",
        "VirtualMachine",
        "VirtualMachineInstance",
        "NetworkAttachmentDefinition",
        "Deployment",
        "StatefulSet",
        "Secret",
    }
)
_COMPILED: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    kind: [(tuple(path.replace("[]", ".[]").split(".")), path, expected) for path, expected in fields]
    for kind, fields in SHAPES.items()
}
_WORDS = {
    "map": "a mapping",
    "list": "a list",
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "time": "an RFC 3339 time",
    "strmap": "a mapping of strings to strings",
    "strlist": "a list of strings",
}


def describe(value: Any) -> str:
    """What a value is, for messages: `a string ("net1")`, `a mapping`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'a string ("{_escape(shown)}")'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def problems(kind: str, obj: Any) -> list[tuple[str, str, str]]:
    """Every (field, expected, got) that does not have the shape the model reads; [] for an unknown kind."""
    if not isinstance(obj, dict):
        return [("(object)", "a mapping", describe(obj))]
    meta = obj.get("metadata")
    if not isinstance(meta, dict):  # every object the API serves has metadata and a name
        return [("metadata", "a mapping", describe(meta))]
    if not isinstance(meta.get("name"), str) or not meta["name"]:
        return [("metadata.name", "a non-empty string", describe(meta.get("name")))]
    if kind in NAMESPACED and (not isinstance(meta.get("namespace"), str) or not meta["namespace"]):
        return [("metadata.namespace", "a non-empty string", describe(meta.get("namespace")))]
    out: list[tuple[str, str, str]] = []
    for segments, _path, expected in _COMPILED.get(kind, ()):
        for where, value in _walk(obj, segments, ""):
            if where.endswith("]") and value is None:
                out.append((where, _WORDS["map"] if expected == "map" else _WORDS[expected], "null"))
            elif value is not None and not _fits(value, expected):
                out.append((where, _WORDS[expected], describe(value) + _detail(value, expected)))
    return out


def check_object(kind: str, obj: Any) -> None:
    """Raise MalformedObject for the first field of `obj` the model cannot read.

    A well-formed object (every object a real API server serves) passes one purpose-built check per kind
    (`_CHECKS`: the table compiled to nested checks that visit each field once); only an object that fails it
    is walked again by `problems` to name the field."""
    if _well_formed(kind, obj):
        return
    found = problems(kind, obj)
    if found:
        field, expected, got = found[0]
        raise MalformedObject(kind=kind, ref=object_ref(obj), field=field, expected=expected, got=got)


def check_objects(kind: str, objs: Iterable[Any]) -> None:
    for obj in objs:
        check_object(kind, obj)


def object_ref(obj: Any) -> str:
    """`ns/name`, `name`, or `(unnamed)`, with control characters escaped so the error stays one line."""
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    if not isinstance(meta, dict):
        return "(unnamed)"
    name, namespace = meta.get("name"), meta.get("namespace")
    name = _escape(name) if isinstance(name, str) and name else "(unnamed)"
    return f"{_escape(namespace)}/{name}" if isinstance(namespace, str) and namespace else name


def _well_formed(kind: str, obj: Any) -> bool:
    """True when `problems(kind, obj)` is empty, in one pass (False may still have no problem: then `problems`
    decides)."""
    if type(obj) is not dict:
        return False
    meta = obj.get("metadata")
    if type(meta) is not dict or type(meta.get("name")) is not str or not meta["name"]:
        return False
    if kind in NAMESPACED and (type(meta.get("namespace")) is not str or not meta["namespace"]):
        return False
    check = _CHECKS.get(kind)
    return check is None or check(obj)


def _str_map(value: Any) -> bool:
    return type(value) is dict and {*map(type, value), *map(type, value.values())} <= _STR_ONLY


def _str_list(value: Any) -> bool:
    return type(value) is list and {*map(type, value)} <= _STR_ONLY


_STR_ONLY = {str}
_FAST_FITS: dict[str, Callable[[Any], bool]] = {
    "map": lambda v: type(v) is dict,
    "list": lambda v: type(v) is list,
    "str": lambda v: type(v) is str,
    "int": lambda v: type(v) is int,
    "bool": lambda v: type(v) is bool,
    "time": lambda v: (type(v) is str and _is_time(v)) or isinstance(v, datetime),
    "strmap": _str_map,
    "strlist": _str_list,
}


_PLAIN = {"map": dict, "list": list, "str": str, "int": int, "bool": bool}


def _plain_leaf(node: dict[str, Any]) -> bool:
    return node.get("type") in _PLAIN and not node.get("children")


def _tree(fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The field table as a tree: {"type": expected, "children": {segment: node}} (segment `[]`: list items)."""
    root: dict[str, Any] = {}
    for path, expected in fields:
        node = root
        for segment in path.replace("[]", ".[]").split("."):
            node = node.setdefault("children", {}).setdefault(segment, {})
        node["type"] = expected
    return root


def _compile(node: dict[str, Any]) -> Callable[[Any], bool]:
    """One node's check: its own type, then each present child (a null child is absent), then each list item
    (a null item is wrong where the item itself has a declared type, as `problems` reports it)."""
    fits = _FAST_FITS[node["type"]] if "type" in node else None
    children = node.get("children", {})
    # a leaf of a plain type is tested in place (no call): most fields are such leaves
    leaves = tuple((key, _PLAIN[c["type"]]) for key, c in children.items() if _plain_leaf(c))
    keyed = tuple((key, _compile(c)) for key, c in children.items() if key != "[]" and not _plain_leaf(c))
    items = children.get("[]")
    item_check = _compile(items) if items is not None else None
    null_item_ok = items is None or "type" not in items

    def check(value: Any) -> bool:
        if fits is not None and not fits(value):
            return False
        if type(value) is dict:
            for key, plain in leaves:
                child = value.get(key)
                if child is not None and type(child) is not plain:
                    return False
            for key, sub in keyed:
                child = value.get(key)
                if child is not None and not sub(child):
                    return False
        if item_check is not None and type(value) is list:
            for item in value:
                if item is None:
                    if not null_item_ok:
                        return False
                elif not item_check(item):
                    return False
        return True

    return check


_CHECKS: dict[str, Callable[[Any], bool]] = {kind: _compile(_tree(fields)) for kind, fields in SHAPES.items()}


def _walk(value: Any, segments: tuple[str, ...], where: str) -> Iterable[tuple[str, Any]]:
    """(field path with indexes, value) for every place `segments` reaches; stops below a wrong type (the
    parent is reported instead)."""
    if not segments:
        yield where, value
        return
    head, rest = segments[0], segments[1:]
    if head == "[]":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, rest, f"{where}[{index}]")
        return
    if isinstance(value, dict) and head in value:
        yield from _walk(value[head], rest, f"{where}.{head}" if where else head)


def _fits(value: Any, expected: str) -> bool:
    if expected == "map":
        return isinstance(value, dict)
    if expected == "list":
        return isinstance(value, list)
    if expected == "str":
        return isinstance(value, str)
    if expected == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "bool":
        return isinstance(value, bool)
    if expected == "time":
        return isinstance(value, datetime) or (isinstance(value, str) and _is_time(value))
    if expected == "strmap":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    if expected == "strlist":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    raise ValueError(expected)


def _detail(value: Any, expected: str) -> str:
    """For a map or list of the wrong element type, which key or item is wrong."""
    if expected == "strmap" and isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f" with key {key!r}"
            if not isinstance(item, str):
                return f' with "{_escape(key)}": {describe(item)}'
    if expected == "strlist" and isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                return f" with item {index}: {describe(item)}"
    return ""


def _is_time(text: str) -> bool:
    if not text:
        return True  # "" reads as absent, as Go's metav1.Time does
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _escape(text: str) -> str:
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
