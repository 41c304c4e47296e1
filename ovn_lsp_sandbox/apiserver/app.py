"""HTTP routes and authentication: dispatch each request to discovery, get/list/watch, log or exec."""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from aiohttp import hdrs, web

from ovn_lsp_sandbox.apiserver import audit, errors
from ovn_lsp_sandbox.apiserver.config import ApiServerConfig, denied
from ovn_lsp_sandbox.apiserver.execws import ExecRequest, offered_protocol, serve_exec
from ovn_lsp_sandbox.apiserver.node import ContainerLogs, LiveStatus
from ovn_lsp_sandbox.apiserver.paging import Page, page
from ovn_lsp_sandbox.apiserver.pods import check_exec_target, resolve_container
from ovn_lsp_sandbox.apiserver.routing import ResourceRequest, parse_resource_path
from ovn_lsp_sandbox.apiserver.selectors import parse_field_selector, parse_label_selector
from ovn_lsp_sandbox.apiserver.store import ObjectStore
from ovn_lsp_sandbox.apiserver.tables import build_table, wants_table

VERSION = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.4",
    "gitCommit": "sandbox",
    "gitTreeState": "clean",
    "buildDate": "2025-04-22T00:00:00Z",
    "goVersion": "go1.23.6",
    "compiler": "gc",
    "platform": "linux/amd64",
}
_PUBLIC = ("/version", "/healthz", "/livez", "/readyz")  # anonymous may read these, as on a real cluster
_TRUE = ("true", "1")

STORE = web.AppKey("store", ObjectStore)
CONFIG = web.AppKey("config", ApiServerConfig)
LOGS = web.AppKey("logs", ContainerLogs)
LIVE = web.AppKey("live", LiveStatus)
AUDIT = web.AppKey("audit", audit.AuditLog)
# what the audit Event says of the request being handled (verb, user, objectRef): a context variable, as the
# middleware and the handler run in the request's one task (aiohttp < 3.14 has no typed request keys)
_AUDITED: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("audited")


def _note(**fields: Any) -> None:
    """Record fields of the current request's audit Event (nothing outside a request)."""
    current = _AUDITED.get(None)
    if current is not None:
        current.update(fields)


class LiveProcesses(set[asyncio.subprocess.Process]):
    """Commands started by exec and still running; killed at shutdown."""


PROCS = web.AppKey("procs", LiveProcesses)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(body, separators=(",", ":")).encode(), status=status, content_type="application/json"
    )


@web.middleware
async def audited(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One audit Event per request once it is answered (the request log), when the config names a file."""
    log = request.app.get(AUDIT)
    if log is None:
        return await handler(request)
    received = datetime.now(timezone.utc)
    code = 500
    fields: dict[str, Any] = {}
    token = _AUDITED.set(fields)
    try:
        response = await handler(request)
        code = response.status
        return response
    finally:
        _AUDITED.reset(token)
        log.record(
            uri=request.path_qs,
            verb=fields.get("verb") or request.method.lower(),
            user=fields.get("user") or "system:anonymous",
            code=code,
            received=received,
            object_ref=fields.get("objectRef"),
            source=request.remote or "",
            agent=request.headers.get(hdrs.USER_AGENT, ""),
        )


@web.middleware
async def api_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate, then render every ApiError as its Status body (the only error shape clients parse)."""
    try:
        _authenticate(request)
        reply = request.app[CONFIG].replies.get(request.path)
        if reply is not None:  # what an aggregated API or a proxy in front of the server answered (api.replies)
            status, content_type, body = reply
            return web.Response(body=body.encode(), status=status, headers={hdrs.CONTENT_TYPE: content_type})
        request.app[LIVE].refresh(request.app[STORE])  # the kubelet's status updates, as they happen
        return await handler(request)
    except errors.ApiError as exc:
        return json_response(exc.status, exc.code)


def _authenticate(request: web.Request) -> None:
    """Bearer token check. Over plain HTTP kubectl never sends credentials (client-go only does over TLS), so
    there a request without an Authorization header is let in; a wrong token is still a 401."""
    token = request.app[CONFIG].token
    header = request.headers.get(hdrs.AUTHORIZATION, "")
    if not token:
        _note(user="sandbox-user")
        return
    if not header and (request.path in _PUBLIC or not request.secure):
        return
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise errors.unauthorized()
    _note(user="sandbox-user")


async def version(request: web.Request) -> web.Response:
    return json_response(VERSION)


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def core_discovery(request: web.Request) -> web.Response:
    return json_response(request.app[STORE].registry.api_versions(request.host))


async def group_discovery(request: web.Request) -> web.Response:
    """`/apis`, `/apis/<g>`, `/api/v1`, `/apis/<g>/<v>`: legacy JSON, which kubectl accepts for aggregated asks."""
    registry = request.app[STORE].registry
    group, version = request.match_info.get("group", ""), request.match_info.get("version", "")
    if request.path == "/apis":
        doc: dict[str, Any] | None = registry.api_group_list()
    elif not version:
        doc = registry.api_group(group)
    else:
        doc = registry.resource_list(group, version)
    if doc is None:
        raise errors.unknown_resource()
    return json_response(doc)


async def resource(request: web.Request) -> web.StreamResponse:
    """Everything below a group/version: objects, collections and the pod subresources."""
    store, config = request.app[STORE], request.app[CONFIG]
    info = request.match_info
    segments = [info.get("group", ""), info["version"]] + [s for s in info["rest"].split("/") if s]
    q = request.query
    req = parse_resource_path(store.registry, request.method, segments, q.get("watch", "") in _TRUE)
    rt = req.rt
    _note(
        verb=req.verb,
        objectRef={
            key: value
            for key, value in (
                ("resource", rt.plural),
                ("namespace", req.namespace),
                ("name", req.name),
                ("apiGroup", rt.group),
                ("apiVersion", info["version"]),
                ("subresource", req.subresource),
            )
            if value or key == "apiGroup"
        },
    )
    if denied(
        config.forbidden,
        req.verb,
        rt.plural + (f"/{req.subresource}" if req.subresource else ""),
        rt.group,
        req.namespace,
        req.name,
    ):
        raise errors.forbidden(rt.plural, rt.group, req.name, req.verb, req.namespace, req.subresource)
    if req.verb not in ("get", "list", "watch"):
        if req.subresource == "exec":
            return await _exec(request, req)
        raise errors.method_not_allowed()
    if req.subresource == "log":
        return _log(request, req)
    if req.verb == "watch":
        return await _watch(request)
    chunk: Page | None = None
    if req.name:
        obj = store.get(rt, req.namespace, req.name)
        items = [obj]
    elif q.get("limit", "").isdigit() and int(q["limit"]) > 0:
        chunk = _chunk(store, rt, req.namespace, q, config.continue_ttl)
        items = chunk.items
    else:
        items = store.select(rt, req.namespace, q.get("labelSelector", ""), q.get("fieldSelector", ""))
    token, remaining = (chunk.continue_token, chunk.remaining) if chunk else ("", None)
    accept = request.headers.get(hdrs.ACCEPT, "")
    if wants_table(accept):
        table = build_table(rt, items, accept, q.get("includeObject", ""), store.resource_version)
        if token:
            table["metadata"]["continue"] = token
        if remaining is not None:
            table["metadata"]["remainingItemCount"] = remaining
        return json_response(table)
    return json_response(items[0] if req.name else store.list_document(rt, items, token, remaining))


def _chunk(store: ObjectStore, rt: Any, namespace: str, q: Any, continue_ttl: float | None) -> Page:
    """A `limit`ed list: the selectors filter each window of `limit` keys (see paging.py)."""
    labels_ok = parse_label_selector(q.get("labelSelector", ""))
    fields_ok = parse_field_selector(q.get("fieldSelector", ""))
    filtered = bool(q.get("labelSelector") or q.get("fieldSelector"))
    return page(
        store.keyed(rt, namespace),
        lambda o: labels_ok(o["metadata"].get("labels") or {}) and fields_ok(o),
        int(q["limit"]),
        q.get("continue", ""),
        int(store.resource_version),
        continue_ttl,
        filtered,
    )


def _log(request: web.Request, req: ResourceRequest) -> web.Response:
    pod = request.app[STORE].get(req.rt, req.namespace, req.name)
    container = resolve_container(pod, request.query.get("container", ""))
    text = request.app[LOGS].serve(pod, container, dict(request.query), datetime.now(timezone.utc))
    return web.Response(text=text, content_type="text/plain")


async def _watch(request: web.Request) -> web.StreamResponse:
    """Static objects never change: hold the stream open (no events) until timeoutSeconds, as an idle cluster would."""
    resp = web.StreamResponse(headers={hdrs.CONTENT_TYPE: "application/json"})
    await resp.prepare(request)
    timeout = request.query.get("timeoutSeconds", "")
    await asyncio.sleep(min(int(timeout), 3600) if timeout.isdigit() else 1800)
    await resp.write_eof()
    return resp


async def _exec(request: web.Request, req: ResourceRequest) -> web.StreamResponse:
    """Validate like the apiserver (404, 400) before upgrading; SPDY is not spoken, so it gets a 400 too."""
    store, config = request.app[STORE], request.app[CONFIG]
    pod = store.get(req.rt, req.namespace, req.name)
    q = request.query
    container = resolve_container(pod, q.get("container", ""))
    check_exec_target(pod, container)
    argv = q.getall("command", [])
    if not argv:
        raise errors.bad_request("you must specify at least 1 command")
    if request.headers.get(hdrs.UPGRADE, "").lower() != "websocket":
        raise errors.bad_request("Upgrade request required")
    if offered_protocol(request.headers.get(hdrs.SEC_WEBSOCKET_PROTOCOL, "")) is None:
        raise errors.bad_request(
            "unable to upgrade: unable to negotiate protocol: client supports "
            f"{request.headers.get(hdrs.SEC_WEBSOCKET_PROTOCOL, '')!r}, "
            "server supports [v5.channel.k8s.io v4.channel.k8s.io]"
        )
    exec_req = ExecRequest(
        argv=argv,
        stdin=q.get("stdin", "") in _TRUE,
        stdout=q.get("stdout", "true") in _TRUE,
        stderr=q.get("stderr", "true") in _TRUE,
        tty=q.get("tty", "") in _TRUE,
    )
    key = f"{req.namespace}/{req.name}"
    target = config.exec.get(f"{key}/{container}") or config.exec.get(key) or config.exec.get("*")
    procs = request.app[PROCS]
    return await serve_exec(request, exec_req, target, procs)


async def not_found(request: web.Request) -> web.Response:
    raise errors.unknown_resource()


async def _kill_procs(app: web.Application) -> None:
    """At shutdown no exec'd command may outlive the server."""
    procs = app[PROCS]
    for proc in list(procs):
        if proc.returncode is None:
            proc.kill()
    log = app.get(AUDIT)
    if log is not None:
        log.close()


def build_app(config: ApiServerConfig) -> web.Application:
    """The aiohttp application serving `config` (objects are indexed once, here)."""
    app = web.Application(middlewares=[audited, api_errors], client_max_size=16 * 1024 * 1024)
    app[CONFIG] = config
    app[STORE] = ObjectStore(config.objects)
    app[LOGS] = ContainerLogs(config.logs, config.log_files, datetime.now(timezone.utc))
    app[LIVE] = LiveStatus(config.live_file)
    if config.audit_log:
        app[AUDIT] = audit.AuditLog(config.audit_log)
    app[PROCS] = LiveProcesses()
    app.on_shutdown.append(_kill_procs)
    any_method = hdrs.METH_ANY
    app.router.add_get("/version", version)
    for path in _PUBLIC[1:]:
        app.router.add_get(path, healthz)
    app.router.add_get("/api", core_discovery)
    app.router.add_get("/apis", group_discovery)
    app.router.add_get("/apis/{group}", group_discovery)
    app.router.add_get(r"/api/{version:v1}", group_discovery)
    app.router.add_get(r"/apis/{group}/{version}", group_discovery)
    app.router.add_route(any_method, r"/api/{version:v1}/{rest:.+}", resource)
    app.router.add_route(any_method, r"/apis/{group}/{version}/{rest:.+}", resource)
    app.router.add_route(any_method, r"/{tail:.*}", not_found)
    return app
