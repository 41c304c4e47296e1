"""Turn a REST path and method into a resource request and its RBAC verb, as kube-apiserver's RequestInfo does."""

from __future__ import annotations

from dataclasses import dataclass

from ovn_lsp_sandbox.apiserver import errors
from ovn_lsp_sandbox.apiserver.resources import Registry, ResourceType

_VERBS = {"GET": "get", "HEAD": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}


@dataclass(frozen=True)
class ResourceRequest:
    rt: ResourceType
    namespace: str  # "" = cluster scope / all namespaces
    name: str  # "" = collection
    subresource: str
    verb: str  # RBAC verb: get, list, watch, create, ...


def parse_resource_path(registry: Registry, method: str, segments: list[str], watch: bool) -> ResourceRequest:
    """`segments` follow `/api/v1` or `/apis/<g>/<v>`, prefixed by the group and version; 404 as upstream."""
    group, version, rest = segments[0], segments[1], segments[2:]
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        raise errors.unknown_resource()
    plural, name = rest[0], rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    rt = registry.lookup(group, version, plural)
    if rt is None or (namespace and not rt.namespaced) or (subresource and subresource not in rt.subresources):
        raise errors.unknown_resource()
    if rt.namespaced and name and not namespace:
        raise errors.unknown_resource()
    verb = _VERBS.get(method, "get")
    if subresource == "exec":
        verb = "create"  # RBAC checks create on pods/exec for the WebSocket GET too (since 1.31)
    elif not name and verb == "get":
        verb = "watch" if watch else "list"
    elif not name and verb == "delete":
        verb = "deletecollection"
    return ResourceRequest(rt, namespace, name, subresource, verb)
