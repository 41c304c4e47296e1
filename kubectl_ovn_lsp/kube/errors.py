"""What the Kubernetes edge raises: one typed hierarchy under `KubeError`, no exit codes (the CLI maps them,
`cli/exit_status.py`).

Like kopf's `APIError` family (`APINotFoundError`, `APIForbiddenError`, …): one class per answer the API can give,
so callers catch the kind they can handle (`NotFound` while resolving, `Expired` while paging) and let the rest
reach the CLI. Messages are class-level %-templates (`errors.PluginError`); `api_status.status_error` builds them
from the server's Status, kubectl's wording where it has one.
"""

from __future__ import annotations

from kubectl_ovn_lsp.errors import PluginError


class KubeError(PluginError):
    """Base class: the Kubernetes API, the kubeconfig, or what the API holds, could not give an answer."""


class NotFound(KubeError):
    message = '%(kind)s "%(name)s" not found in namespace "%(namespace)s"'


class Forbidden(KubeError):
    message = (
        "forbidden: cannot %(verb)s %(resource)s%(where)s (%(server_message)s); ask for RBAC %(verb)s on %(resource)s"
    )


class KubeUnavailable(KubeError):
    message = "cannot reach the Kubernetes API at %(server)s: %(reason)s"


class KubeConfigError(KubeError):
    message = "kubeconfig: %(reason)s"


class NotKubernetesApi(KubeError):
    message = "the server at %(server)s did not answer like a Kubernetes API: %(method)s %(path)s returned %(detail)s"


class KubeApiError(KubeError):
    message = "Kubernetes API %(method)s %(path)s failed: %(code)s %(reason)s"


class Expired(KubeApiError):
    """410 Gone: a list's `continue` token has expired (the pager falls back to one full list)."""


class UnknownKind(KubeError):
    """An explain target with a kind prefix the plugin does not resolve (`kube/resolve.parse_target`)."""

    message = 'unknown kind "%(prefix)s" in "%(target)s": use pod/, vm/, vmi/, node/ or vip/'


class Ambiguous(KubeError):
    """With -A, the named object exists in more than one namespace (`kube/resolve.locate_namespace`)."""

    message = '%(kind)s "%(name)s" exists in namespaces %(namespaces)s: choose one with -n'


class NoControllerPods(KubeError):
    """No kube-ovn-controller pod to read GC log lines from (`kube/logs.read_controller_logs`)."""

    message = (
        'no kube-ovn-controller pod (label %(selector)s) in namespace "%(namespace)s": set --ovn-namespace, '
        "or read a saved log with -f FILE"
    )
