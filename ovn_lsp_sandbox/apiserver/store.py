"""The object store: the scenario's objects, indexed per resource, with the metadata a real server always fills."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from ovn_lsp_sandbox.apiserver import errors
from ovn_lsp_sandbox.apiserver.resources import BUILTIN, Registry, ResourceType
from ovn_lsp_sandbox.apiserver.selectors import parse_field_selector, parse_label_selector

_DEFAULT_TIME = "2026-01-01T00:00:00Z"
_ALWAYS_NAMESPACES = ("default", "kube-system", "kube-public")


def _uid(key: str) -> str:
    """A stable uid per object, so repeated sandbox runs print the same output."""
    h = hashlib.sha1(key.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class ObjectStore:
    """Read-only objects keyed by (group, plural) then (namespace, name); the router never sees raw dicts."""

    def __init__(self, objects: Iterable[dict[str, Any]], registry: Registry | None = None) -> None:
        self.registry = registry or Registry(list(BUILTIN))
        self._items: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = {}
        self._rv = 1000
        self._keyed: dict[tuple[str, str, str], tuple[int, list[tuple[str, dict[str, Any]]]]] = {}
        for obj in _expand_lists(objects):
            self._add(obj)
        self._add_missing_namespaces()

    @property
    def resource_version(self) -> str:
        return str(self._rv)

    def _add(self, obj: dict[str, Any]) -> None:
        # copy the top level and metadata (cheap) so filling defaults never mutates the caller's scenario
        obj = {**obj, "metadata": dict(obj.get("metadata") or {})}
        rt = self.registry.for_object(obj)
        meta = obj["metadata"]
        if rt.namespaced:
            meta.setdefault("namespace", "default")
        else:
            meta.pop("namespace", None)
        ns, name = meta.get("namespace", ""), meta.get("name", "")
        self._rv += 1
        meta.setdefault("resourceVersion", str(self._rv))
        meta.setdefault("uid", _uid(f"{rt.group}/{rt.plural}/{ns}/{name}"))
        meta.setdefault("creationTimestamp", _DEFAULT_TIME)
        self._items.setdefault((rt.group, rt.plural), {})[(ns, name)] = obj

    def _add_missing_namespaces(self) -> None:
        """A real cluster has a Namespace for every namespace its objects live in; dumps often omit them."""
        seen = set(_ALWAYS_NAMESPACES)
        for bucket in self._items.values():
            seen.update(ns for ns, _ in bucket if ns)
        have = {name for _, name in self._items.get(("", "namespaces"), {})}
        for ns in sorted(seen - have):
            self._add(
                {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {"name": ns},
                    "spec": {"finalizers": ["kubernetes"]},
                    "status": {"phase": "Active"},
                }
            )

    def replace(self, rt: ResourceType, obj: dict[str, Any]) -> None:
        """An update of an existing object (a status change the kubelet reports): a new resourceVersion."""
        self._rv += 1
        meta = obj["metadata"]
        meta["resourceVersion"] = str(self._rv)
        key = (meta.get("namespace", "") if rt.namespaced else "", meta["name"])
        self._items.setdefault((rt.group, rt.plural), {})[key] = obj

    def get(self, rt: ResourceType, namespace: str, name: str) -> dict[str, Any]:
        obj = self._items.get((rt.group, rt.plural), {}).get((namespace if rt.namespaced else "", name))
        if obj is None:
            raise errors.not_found(rt.plural, rt.group, name)
        return obj

    def select(
        self, rt: ResourceType, namespace: str = "", label_selector: str = "", field_selector: str = ""
    ) -> list[dict[str, Any]]:
        """Objects of `rt` in `namespace` ("" = all), sorted by namespace then name like etcd keys."""
        labels_ok = parse_label_selector(label_selector)
        fields_ok = parse_field_selector(field_selector)
        bucket = self._items.get((rt.group, rt.plural), {})
        out = []
        for (ns, _name), obj in sorted(bucket.items()):
            if namespace and rt.namespaced and ns != namespace:
                continue
            if labels_ok(obj["metadata"].get("labels") or {}) and fields_ok(obj):
                out.append(obj)
        return out

    def keyed(self, rt: ResourceType, namespace: str = "") -> list[tuple[str, dict[str, Any]]]:
        """(storage key, object) of `rt` in `namespace` ("" = all) in key order: `<ns>/<name>` or `<name>`.

        Kept until the store changes (its resourceVersion), so each page of a list costs what etcd's range read
        costs (a search and `limit` keys), not a sort of the whole kind: 240 pages of 120,000 pods took minutes."""
        cache_key = (rt.group, rt.plural, namespace if rt.namespaced else "")
        cached = self._keyed.get(cache_key)
        if cached is not None and cached[0] == self._rv:
            return cached[1]
        bucket = self._items.get((rt.group, rt.plural), {})
        out = []
        for (ns, name), obj in sorted(bucket.items()):
            if namespace and rt.namespaced and ns != namespace:
                continue
            out.append((f"{ns}/{name}" if rt.namespaced else name, obj))
        self._keyed[cache_key] = (self._rv, out)
        return out

    def list_document(
        self, rt: ResourceType, items: list[dict[str, Any]], continue_token: str = "", remaining: int | None = None
    ) -> dict[str, Any]:
        metadata: dict[str, Any] = {"resourceVersion": self.resource_version}
        if continue_token:
            metadata["continue"] = continue_token
        if remaining is not None:
            metadata["remainingItemCount"] = remaining
        return {"kind": rt.list_kind, "apiVersion": rt.group_version, "metadata": metadata, "items": items}


def _expand_lists(objects: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Accept `kind: List` documents (what `kubectl get -o json` prints for several objects) as well as objects.

    Items of a typed list straight from the API (`PodList`) carry no kind/apiVersion: take them from the list.
    """
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        kind = str(obj.get("kind", ""))
        if kind.endswith("List") and isinstance(obj.get("items"), list):
            item_kind = kind[: -len("List")]
            defaults = {"apiVersion": obj.get("apiVersion", "v1"), "kind": item_kind} if item_kind else {}
            yield from _expand_lists([{**defaults, **item} for item in obj["items"] if isinstance(item, dict)])
        else:
            yield obj
