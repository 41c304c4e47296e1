"""`audit`: the GC replay over a namespace or the whole cluster, one item per owner (docs/contracts.md, audit).

Kubernetes first (one paged list per kind), then NB once (every port), then the pure replay; the scope filters
what is reported, never what is read for the replay's keep-set within it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kubectl_ovn_lsp.commands.context import CommandContext, connect, read_scope, replay_read
from kubectl_ovn_lsp.commands.documents import Audit, AuditItem, AuditSummary, Scope
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.options import AuditOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.model.cluster import ClusterFinding
    from kubectl_ovn_lsp.model.records import NbLookup
    from kubectl_ovn_lsp.model.replay import Replay


def run(options: AuditOptions, env: Environment) -> Audit:
    """The `Audit` document. Raises PluginError when the API or NB fails (never a partial report)."""
    common = options.common
    context = connect(common)
    kube = common.kube
    namespace = None if kube.all_namespaces else (kube.namespace or context.client.namespace)
    if namespace is not None:  # a typo must not read as a healthy namespace (docs/contracts.md, "audit")
        from kubectl_ovn_lsp.kube.reads import check_namespace

        check_namespace(context.client, namespace, context.notes)
    inventory, lookup = read_scope(context, common, env, namespace, chunk_size=options.chunk_size)
    result = replay_read(context, env, inventory, lookup)
    if not options.upgrade_to:
        # The document reads the replay only: the API objects, IP CRs and NB rows go before it is built beside
        # them (at 10,000 pods / 50,000 ports: ~170 MB read, ~40 MB of document; together, the audit's peak RSS).
        del inventory
        result, lookup = result.without_objects(), lookup.without_rows()
        return document(context, result, lookup, namespace, options.only)
    audit = document(context, result, lookup, namespace, options.only)
    # the same read replayed at the target (docs/contracts.md, "Upgrade preflight")
    from kubectl_ovn_lsp.commands.upgrade import preflight

    env.progress(f"replaying GC at {options.upgrade_to}…")
    audit["upgrade"] = preflight(
        context,
        options.upgrade_to,
        inventory,
        lookup,
        result,
        keep=lambda item: namespace is None or item.owner.namespace == namespace,
    )
    env.progress_done()
    return audit


def document(
    context: CommandContext,
    result: Replay,
    lookup: NbLookup,
    namespace: str | None,
    only: frozenset[str] = frozenset(),
) -> Audit:
    """The `Audit` document of a replay (`replay_scope`) for `namespace` (None: the cluster), items filtered by
    `only` (port verdicts; empty: every item). `serve` builds each cycle's document here too."""
    from kubectl_ovn_lsp.commands.documents import API_VERSION, cluster_doc, item_doc, kube_ovn_doc, nb_doc
    from kubectl_ovn_lsp.model.verdicts import worst

    items = [i for i in result.items if namespace is None or i.owner.namespace == namespace]
    docs = [item_doc(i) for i in items]
    cluster = [cluster_doc(c) for c in in_scope(result, namespace)]
    verdicts = [d["verdict"] for d in docs] + [c["verdict"] for c in cluster]

    shown = [d for d in docs if _kept(d, only)] if only else docs
    scope: Scope = {"allNamespaces": True} if namespace is None else {"namespace": namespace}
    audit: Audit = {
        "apiVersion": API_VERSION,
        "kind": "Audit",
        "scope": scope,
        "kubeOvn": kube_ovn_doc(context.settings, context.deployment_version),
        "nb": nb_doc(lookup),
        "summary": _summary(docs),
        "gc": {  # what GC's next cycle logs and deletes in scope: nothing while it is stalled (Replay)
            "lostLogged": sorted({n for d in docs for n in d["gc"]["lostLogged"]} & set(result.lost_logged)),
            "wouldDelete": sorted({n for d in docs for n in d["gc"]["wouldDelete"]} & set(result.would_delete)),
        },
        "only": sorted(only) if only else None,  # the --only filter applied to items
        "items": shown,
        # the worst item verdict; `error` when no finding but owners that could not be judged (exit 1)
        "verdict": worst(verdicts) if worst(verdicts) != "ok" or "error" not in verdicts else "error",
        "notes": context.notes,
    }
    if cluster:
        audit["cluster"] = cluster
    return audit


def in_scope(result: Replay, namespace: str | None) -> list[ClusterFinding]:
    """The cluster findings a scope shows: cluster-wide ones (GC's) always, the others in their namespaces."""
    return [c for c in result.cluster if namespace is None or not c.namespaces or namespace in c.namespaces]


def _summary(docs: list[AuditItem]) -> AuditSummary:
    """Counts of owners by verdict, ports by verdict and ports by reason code, each sorted by key."""
    ports = [p for d in docs for p in d["ports"]]
    return {
        "owners": dict(sorted(Counter(d["verdict"] for d in docs).items())),
        "ports": dict(sorted(Counter(p["verdict"] for p in ports).items())),
        "reasons": dict(sorted(Counter(p["reason"] for p in ports if p["reason"]).items())),
    }


def _kept(item: AuditItem, only: frozenset[str]) -> bool:
    if item["verdict"] == "error":
        return "error" in only
    return any(p["verdict"] in only for p in item["ports"])


def exit_status(document: Audit) -> int:
    """The worst item verdict's code; with no finding, 1 if any owner could not be judged (docs/contracts.md).
    With `--upgrade-to RELEASE`, the upgrade's verdict (the worst that gets worse); `all` keeps the running one's."""
    from kubectl_ovn_lsp.commands.upgrade import is_plan
    from kubectl_ovn_lsp.model.verdicts import exit_code

    upgrade = document.get("upgrade")
    if upgrade is not None and is_plan(upgrade):
        return exit_code(upgrade["verdict"])
    return exit_code(document["verdict"])


def error_line(document: Audit) -> str:
    """The stderr line of exit 1: how many owners could not be judged (at the upgrade's target, with one)."""
    from kubectl_ovn_lsp.commands.upgrade import is_plan

    upgrade = document.get("upgrade")
    if upgrade is not None and is_plan(upgrade):
        return f"error: owners could not be judged at {upgrade['to']} (verdict error; see the changes)"
    return f"error: {document['summary']['owners'].get('error', 0)} owner(s) could not be judged (verdict error)"
