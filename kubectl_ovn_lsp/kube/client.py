"""Kubernetes API access as plain JSON.

The `kubernetes` client loads the kubeconfig (contexts, exec/OIDC auth plugins, in-cluster config)
and signs requests; we skip its model classes: `CoreV1Api` alone pulls ~250 model modules (~1 s)
and deserialising into them is slow at scale. The whole command is bounded by one `Deadline`
(`--request-timeout`): every request gets the time that is left and urllib3's retries are off (they made a
3 s budget last 13 s against a hung server). Every object read is checked against the shapes the model
reads (`model/shapes.py`), so a malformed object is one line naming it, not a TypeError later.
"""

from __future__ import annotations

import builtins
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kubectl_ovn_lsp import __version__
from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.errors import one_line, quote_name
from kubectl_ovn_lsp.kube.api_status import (
    connection_reason,
    squash,
    status_error,
    tls_reason,
)
from kubectl_ovn_lsp.kube.errors import Expired, KubeConfigError, KubeUnavailable, NotFound, NotKubernetesApi
from kubectl_ovn_lsp.kube.exec_stream import ExecResult, run_exec
from kubectl_ovn_lsp.kube.resources import (
    DEPLOYMENTS,
    NADS,
    NODES,
    PODS,
    SECRETS,
    STATEFULSETS,
    SUBNETS,
    VMIS,
    VMS,
    Resource,
)
from kubectl_ovn_lsp.model import json_text, shapes

__all__ = [
    "DEPLOYMENTS",
    "NADS",
    "NODES",
    "PODS",
    "SECRETS",
    "STATEFULSETS",
    "SUBNETS",
    "VMIS",
    "VMS",
    "ExecResult",
    "KubeClient",
    "Resource",
]

SERVICE_ACCOUNT_NS = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"


class KubeClient:
    """A thin, read-only JSON client over the kubernetes package's configuration and transport.

    `timeout` is the command's `Deadline` (or seconds, for a client of its own): every request, list page and
    exec takes only the time that is left of it; `self.deadline` is there for the NB readers to share.
    """

    def __init__(
        self, configuration: Any, namespace: str, timeout: float | Deadline | None, verbose: bool = False
    ) -> None:
        from kubernetes.client.api_client import ApiClient

        self.configuration = configuration
        self.configuration.retries = False  # one attempt per request: the deadline, not urllib3, decides
        if not getattr(configuration, "verify_ssl", True):  # insecure-skip-tls-verify: kubectl warns no more
            import warnings

            import urllib3

            warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)
        self.namespace = namespace
        self.deadline = Deadline.of(timeout)
        self.verbose = verbose
        self._api = ApiClient(configuration)
        self._api.user_agent = f"kubectl-ovn-lsp/{__version__}"  # as kubectl names itself (audit logs show who)

    def close(self) -> None:
        """Release the connection pool: a long-running caller (`serve`) opens one client per cycle."""
        self._api.close()

    @property
    def timeout(self) -> float | None:
        """Seconds left of the command's budget (None: no limit)."""
        return self.deadline.remaining()

    @classmethod
    def connect(
        cls,
        kubeconfig: str | None = None,
        context: str | None = None,
        timeout: float | Deadline | None = 10.0,
        verbose: bool = False,
    ) -> KubeClient:
        """Load credentials as kubectl does: --kubeconfig, else every file of $KUBECONFIG merged, else
        ~/.kube/config, else in-cluster. Errors name the file (missing, not YAML, context not found)."""
        from kubernetes import config as kconfig
        from kubernetes.client.configuration import Configuration

        from kubectl_ovn_lsp.kube import kubeconfig as files_of
        from kubectl_ovn_lsp.kube import proxy

        _quiet_library_logging()
        deadline = Deadline.of(timeout)
        configuration = Configuration()
        files = files_of.locate(kubeconfig)
        if files.paths:
            with deadline.guard(f"reading the kubeconfig ({files.source})", local=True):
                namespace = files_of.load(files, context, configuration, deadline)
        else:
            try:
                kconfig.load_incluster_config(client_configuration=configuration)
            except kconfig.ConfigException as exc:
                raise KubeConfigError(reason=f"in-cluster: {squash(str(exc))}") from None
            proxy.settle(configuration, None, os.environ)
            namespace = _read_text(SERVICE_ACCOUNT_NS) or "default"
        return cls(configuration, namespace, deadline, verbose)

    # -- REST ---------------------------------------------------------------------------------------

    def request_json(self, path: str, query: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
        """GET `path` and return the decoded JSON object; HTTP failures become PluginErrors, and so does a body
        that is not a JSON object (every Kubernetes reply is one: an object, a list, a Status, a Table) or is
        nested too deeply to read."""
        body = self._get(path, query, "application/json")
        try:
            document = json_text.loads(body)
        except json_text.TooDeep:
            raise self._malformed(path, "HTTP 200 with JSON nested too deeply to read (over ~1,000 levels)") from None
        except ValueError:
            raise self._malformed(path, "HTTP 200 with a body that is not JSON") from None
        if not isinstance(document, dict):
            raise self._malformed(path, f"HTTP 200 with JSON that is not an object ({shapes.describe(document)})")
        return document

    def _malformed(self, path: str, detail: str) -> NotKubernetesApi:
        return NotKubernetesApi(server=self.configuration.host, method="GET", path=path, detail=detail)

    def _page(self, path: str, page: dict[str, Any]) -> tuple[list[Any], str]:
        """A list reply's `items` (absent or null: none) and `metadata.continue`, or NotKubernetesApi when their
        JSON types are wrong (an `items` object would be read as its keys)."""
        items = page.get("items")
        if items is None:
            items = []
        if not isinstance(items, list):
            raise self._malformed(path, f"a list whose items is not an array ({shapes.describe(items)})")
        metadata = page.get("metadata") or {}
        token = metadata.get("continue") if isinstance(metadata, dict) else None
        if token is not None and not isinstance(token, str):
            raise self._malformed(path, f"a list whose metadata.continue is not a string ({shapes.describe(token)})")
        return items, token or ""

    def request_text(self, path: str, query: Iterable[tuple[str, str]] = ()) -> bytes:
        """GET a non-JSON resource (pod logs) as bytes; the caller decodes (logs may hold any bytes)."""
        return self._get(path, query, "*/*")

    def stream_text(self, path: str, query: Iterable[tuple[str, str]] = (), chunk: int = 1 << 16) -> Iterator[bytes]:
        """GET a non-JSON resource (a pod log) as it arrives, `chunk` bytes at a time: memory stays one chunk
        whatever the log's size. The status is checked before this returns (a 403 or 404 raises here, not while
        reading); each chunk is read within the command's budget."""
        what = f"Kubernetes API GET {path}"
        response = self._send(path, query, "*/*", what, preload=False)
        return self._chunks(response, what, chunk)

    def _chunks(self, response: Any, what: str, size: int) -> Iterator[bytes]:
        import urllib3

        raw = response.response  # urllib3's response: the kubernetes client asks it not to preload the body
        try:  # each read waits at most the socket's read timeout (what was left when the GET started)
            while True:
                with self.deadline.guard(what, step="Kubernetes API requests"):
                    self.deadline.timeout(what)  # raises Timeout once the budget is spent
                    data = raw.read(size)
                if not data:
                    return
                yield bytes(data)
        except urllib3.exceptions.HTTPError as exc:
            raise self._transport_error(exc, what) from None
        finally:
            raw.release_conn()

    def _get(self, path: str, query: Iterable[tuple[str, str]], accept: str) -> bytes:
        what = f"Kubernetes API GET {path}"
        response = self._send(path, query, accept, what, preload=True)
        return bytes(response.read())

    def _send(self, path: str, query: Iterable[tuple[str, str]], accept: str, what: str, preload: bool) -> Any:
        """One GET within the budget; with `preload` the body is read too. A status >= 400 raises its error."""
        import urllib3

        method, url, headers, _, _ = self._api.param_serialize(
            "GET",
            path,
            query_params=list(query),
            header_params={"Accept": accept},
            auth_settings=["BearerToken"],
        )
        from kubernetes.client.exceptions import ApiException

        started = time.monotonic()
        try:
            with self.deadline.guard(what, step="Kubernetes API requests"):
                response = self._api.call_api(method, url, headers, _request_timeout=self.deadline.timeout(what))
                body = response.read() if preload or response.status >= 400 else b""
        except urllib3.exceptions.HTTPError as exc:
            raise self._transport_error(exc, what) from None
        except ApiException as exc:  # the client wraps TLS failures: status 0, "SSLError\n<reason>"
            raise KubeUnavailable(server=self.configuration.host, reason=tls_reason(str(exc.reason))) from None
        self._trace(f"GET {url} {response.status} {1000 * (time.monotonic() - started):.0f}ms")
        if response.status >= 400:
            raise status_error(response.status, bytes(body), method, path, self.configuration.host)
        return response

    def _transport_error(self, exc: Exception, what: str) -> Exception:
        """Refused vs timed out: urllib3 2 makes NewConnectionError a ConnectTimeoutError, so test it first."""
        import urllib3

        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, urllib3.exceptions.NewConnectionError):
            return KubeUnavailable(server=self.configuration.host, reason=connection_reason(reason))
        if isinstance(reason, (urllib3.exceptions.TimeoutError, TimeoutError)):
            return self.deadline.error(what)
        if isinstance(reason, urllib3.exceptions.SSLError):
            return KubeUnavailable(server=self.configuration.host, reason=tls_reason(str(reason)))
        if isinstance(reason, urllib3.exceptions.ProtocolError):
            return KubeUnavailable(
                server=self.configuration.host,
                reason=f"the connection broke during {what} ({connection_reason(reason)})",
            )
        return KubeUnavailable(server=self.configuration.host, reason=squash(str(reason)))

    def get(self, resource: Resource, name: str, namespace: str | None = None) -> dict[str, Any]:
        """One object; 404 becomes NotFound naming kind, name and namespace like kubectl does."""
        ns = namespace if resource.namespaced else None
        try:
            obj = self.request_json(resource.path(ns, name))
        except NotFound:
            if not resource.namespaced:  # kubectl: 'nodes "x" not found', no namespace for cluster-scoped kinds
                raise NotFound(f'{resource.kind.lower()} "{quote_name(name)}" not found') from None
            raise NotFound(kind=resource.kind.lower(), name=quote_name(name), namespace=quote_name(ns or "")) from None
        shapes.check_object(resource.kind, obj)
        return obj

    def find(self, resource: Resource, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """Like get, but a missing object or an API that is not served (CRD absent) is None."""
        try:
            obj = self.request_json(resource.path(namespace if resource.namespaced else None, name))
        except NotFound:
            return None
        shapes.check_object(resource.kind, obj)
        return obj

    def list(
        self,
        resource: Resource,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        missing_ok: bool = False,
    ) -> list[dict[str, Any]]:
        """Items of a list; with missing_ok an unserved API (CRD not installed) reads as empty."""
        query = []
        if label_selector:
            query.append(("labelSelector", label_selector))
        if field_selector:
            query.append(("fieldSelector", field_selector))
        path = resource.path(namespace)
        try:
            document = self.request_json(path, query)
        except NotFound as exc:
            if missing_ok:
                return []
            where = f' in namespace "{quote_name(namespace)}"' if namespace and resource.namespaced else ""
            raise NotFound(
                f"cannot list {resource.plural}{'.' + resource.group if resource.group else ''}{where}: {exc}"
            ) from None
        items = document.get("items")
        if not isinstance(items, list):
            detail = "a list without an items array" if items is None else "a list whose items is not an array"
            raise self._malformed(path, f"{detail} ({shapes.describe(items)})")
        shapes.check_objects(resource.kind, items)
        return items

    def list_paged(
        self,
        resource: Resource,
        namespace: str | None = None,
        *,
        limit: int = 500,
        label_selector: str | None = None,
        missing_ok: bool = False,
        keep: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Every item of a list, `limit` per request, following each `metadata.continue` (client-go's pager).

        A page may hold fewer items than `limit`; only an empty `continue` ends the list. When a continue token
        has expired (410 Gone) the pager restarts with one full list, as `pager.ListPager` with
        FullListIfExpired does. `limit` 0 asks for everything in one response. Requests grow with
        items ÷ limit, never per object. `keep` trims each item as its page arrives (memory stays proportional to
        what is kept, not to the full JSON).
        """
        trim = keep or (lambda item: item)
        base = [("labelSelector", label_selector)] if label_selector else []
        path = resource.path(namespace)
        items: list[dict[str, Any]] = []
        token = ""
        try:
            while True:
                query = base + ([("limit", str(limit))] if limit > 0 else []) + ([("continue", token)] if token else [])
                try:
                    page = self.request_json(path, query)
                except Expired:
                    if not token:
                        raise
                    self._trace(f"GET {path}: continue token expired (410), listing again in one request")
                    return [trim(i) for i in self._page(path, self.request_json(path, base))[0]]
                page_items, token = self._page(path, page)
                items.extend(trim(i) for i in page_items)
                if not token:
                    return items
        except NotFound:
            if missing_ok:
                return []
            raise

    # -- exec ---------------------------------------------------------------------------------------

    def exec(self, namespace: str, pod: str, container: str, argv: builtins.list[str]) -> ExecResult:
        """Run argv (no shell) in a container over the exec WebSocket; returns output and exit code
        (`exec_stream.run_exec`)."""
        return run_exec(self, namespace, pod, container, argv)

    def _trace(self, line: str) -> None:
        if self.verbose:
            print(f"I kube: {one_line(line)}", file=sys.stderr)


def _quiet_library_logging() -> None:
    """The kubernetes package reports some failures through the root logger (`logging.error`, which configures a
    stderr handler on first use: a stray `ERROR:root:…` line). The plugin's promise is one `error:` line, and
    every failure it can act on is raised: a handler that drops records keeps the library quiet."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return None
