"""Server-side Table output (`Accept: …;as=Table`), which is what gives `kubectl get` its READY/STATUS columns."""

from __future__ import annotations

from typing import Any

from ovn_lsp_sandbox.apiserver.columns import columns_for
from ovn_lsp_sandbox.apiserver.resources import ResourceType

_NAME_DOC = "Name must be unique within a namespace."


def wants_table(accept: str) -> bool:
    """kubectl asks `application/json;as=Table;v=v1;g=meta.k8s.io,…`; v1beta1 Tables are shaped the same."""
    return any("as=Table" in part for part in accept.split(","))


def _table_version(accept: str) -> str:
    for part in accept.split(","):
        if "as=Table" in part:
            return "meta.k8s.io/v1beta1" if "v=v1beta1" in part else "meta.k8s.io/v1"
    return "meta.k8s.io/v1"


def _row_object(obj: dict[str, Any], include: str, api_version: str) -> dict[str, Any] | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": api_version, "metadata": obj.get("metadata", {})}


def build_table(
    rt: ResourceType, objects: list[dict[str, Any]], accept: str, include_object: str, resource_version: str
) -> dict[str, Any]:
    """A meta.k8s.io Table; `include_object` is the `includeObject` parameter (None, Metadata (default), Object)."""
    api_version = _table_version(accept)
    cols = columns_for(rt.group, rt.plural)
    definitions = [{"name": "Name", "type": "string", "format": "name", "description": _NAME_DOC, "priority": 0}]
    definitions += [
        {"name": c.name, "type": c.type, "format": "", "description": c.name, "priority": c.priority} for c in cols
    ]
    rows = []
    for obj in objects:
        row: dict[str, Any] = {"cells": [obj["metadata"].get("name", "")] + [c.value(obj) for c in cols]}
        partial = _row_object(obj, include_object or "Metadata", api_version)
        if partial is not None:
            row["object"] = partial
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": api_version,
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": definitions,
        "rows": rows,
    }
