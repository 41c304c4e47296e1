"""Status objects shaped exactly as kube-apiserver returns them, because kubectl and the Python client parse them."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error the server answers with a v1 Status body; raised anywhere, rendered once in app.py."""

    def __init__(self, status: dict[str, Any]) -> None:
        super().__init__(status.get("message", ""))
        self.status = status

    @property
    def code(self) -> int:
        return int(self.status["code"])


def status(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Failure Status; `details` is omitted when None and kept (even empty) otherwise, as the apiserver does."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
    }
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body


def qualified(resource: str, group: str) -> str:
    """GroupResource.String(): "pods" for core, "virtualmachines.kubevirt.io" otherwise."""
    return f"{resource}.{group}" if group else resource


def _details(name: str, resource: str, group: str) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = resource
    return details


def not_found(resource: str, group: str, name: str) -> ApiError:
    msg = f'{qualified(resource, group)} "{name}" not found'
    return ApiError(status(404, "NotFound", msg, _details(name, resource, group)))


def forbidden(resource: str, group: str, name: str, verb: str, namespace: str, subresource: str = "") -> ApiError:
    """The RBAC message kubectl prints after "Error from server (Forbidden):"."""
    full = f"{resource}/{subresource}" if subresource else resource
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    why = f'User "sandbox-user" cannot {verb} resource "{full}" in API group "{group}" {scope}'
    subject = qualified(resource, group) + (f' "{name}"' if name else "")
    return ApiError(status(403, "Forbidden", f"{subject} is forbidden: {why}", _details(name, resource, group)))


def unknown_resource() -> ApiError:
    """What kube-apiserver says for a path no installed API serves."""
    return ApiError(status(404, "NotFound", "the server could not find the requested resource", {}))


def bad_request(message: str) -> ApiError:
    return ApiError(status(400, "BadRequest", message))


def invalid(kind: str, name: str, message: str, causes: list[tuple[str, str]]) -> ApiError:
    """422 as `errors.NewInvalid` words it: `<Kind> "<name>" is invalid: <field>: <problem>`, each cause listed."""
    listed = [
        {
            "reason": "FieldValueForbidden" if text.startswith("Forbidden") else "FieldValueInvalid",
            "message": text,
            "field": field,
        }
        for field, text in causes
    ]
    return ApiError(status(422, "Invalid", message, {"name": name, "kind": kind, "causes": listed}))


def unauthorized() -> ApiError:
    return ApiError(status(401, "Unauthorized", "Unauthorized"))


def method_not_allowed() -> ApiError:
    message = "the server does not allow this method on the requested resource"
    return ApiError(status(405, "MethodNotAllowed", message, {}))


def internal(message: str) -> ApiError:
    details = {"causes": [{"message": message}]}
    return ApiError(status(500, "InternalError", f"Internal error occurred: {message}", details))
