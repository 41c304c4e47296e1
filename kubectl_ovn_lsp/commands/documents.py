"""The stable, versioned documents the commands return (docs/contracts.md): field names and meanings are fixed.

Each document is a TypedDict: what `-o json`/`-o yaml` print as it is (keys in the order built here, which is the
order the contract shows) and what the CLI's text renderers read. `Explanation` (explain), `Audit` and `Triage`
(`commands/triage_document.py`) share the per-owner shapes (`Target`, `Port`, `Gc`, `KubeOvn`, `Nb`, `Cluster`),
built here once, so the three views cannot drift apart. `Reasons` and `Version` are the reference commands'
documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict

if TYPE_CHECKING:  # the shapes are imported by every renderer; the model records they are built from are not
    from kubectl_ovn_lsp.commands.upgrade import UpgradePlan, UpgradeSurvey
    from kubectl_ovn_lsp.model.by_release import ReleaseRange
    from kubectl_ovn_lsp.model.cluster import ClusterFinding
    from kubectl_ovn_lsp.model.records import NbLookup
    from kubectl_ovn_lsp.model.replay import Item
    from kubectl_ovn_lsp.model.settings import ControllerSettings
    from kubectl_ovn_lsp.model.snapshot import Judgement, PortFinding

API_VERSION = "ovn-lsp.kubeovn.io/v1alpha1"


class KubeOvn(TypedDict):
    version: str | None  # as detected or given
    band: str
    keepVmIp: bool
    enableExternalVpc: bool
    nonPrimaryCniMode: bool
    detectedFrom: str  # where the version came from: deployment | flags (--kube-ovn-version) | assumed
    deploymentVersion: str | None  # the image tag the controller runs, whatever was overridden
    behaviourOf: str | None  # the checked release whose behaviour is used (docs/contracts.md, "Versions")


class Nb(TypedDict):
    via: str  # exec | direct
    endpoint: str
    leaderOnly: bool


class Target(TypedDict):
    kind: str
    namespace: str | None
    name: str
    portOwner: str
    pods: list[str]


class Port(TypedDict):
    name: str
    provider: str
    network: str
    sources: list[str]
    expectedByGc: bool
    inNb: bool
    listedByGc: bool
    logicalSwitch: str | None
    addresses: list[str]
    verdict: str
    reason: str | None
    detail: str


class Gc(TypedDict):
    lostLogged: list[str]
    wouldDelete: list[str]
    message: str | None


class _Cluster(TypedDict):
    kind: str  # gc-stalled | gc-delete-no-op | ip-leak | duplicate-address
    verdict: str
    reason: str | None
    summary: str
    ports: list[str]  # the ports or IP CRs it is about
    detail: list[str]
    advice: list[str]


class Cluster(_Cluster, total=False):
    logged: dict[str, int]  # triage: matching controller log lines by kind (delete-failed, gc-error)


class _Owner(TypedDict):
    target: Target
    ports: list[Port]
    gc: Gc
    verdict: str
    advice: list[str]


class AuditItem(_Owner, total=False):
    error: str | None  # only on an owner that could not be judged (verdict error)


# `from` is a keyword: the functional form
ReleaseVerdict = TypedDict(
    "ReleaseVerdict", {"from": str, "to": str, "band": str, "verdict": str, "reasons": list[str]}
)


class _Explanation(TypedDict):
    apiVersion: str
    kind: Literal["Explanation"]
    target: Target
    kubeOvn: KubeOvn
    nb: Nb
    ports: list[Port]
    gc: Gc
    verdict: str
    advice: list[str]
    notes: list[str]


class Explanation(_Explanation, total=False):
    byRelease: list[ReleaseVerdict]  # with --kube-ovn-version all, or when the version was assumed
    cluster: list[Cluster]  # cluster findings that affect this owner, when there are any
    upgrade: UpgradePlan  # with --upgrade-to


class Scope(TypedDict, total=False):
    allNamespaces: bool  # exactly one of the two
    namespace: str


class AuditSummary(TypedDict):
    owners: dict[str, int]  # verdict -> owners, sorted by verdict
    ports: dict[str, int]
    reasons: dict[str, int]


class AuditGc(TypedDict):
    lostLogged: list[str]
    wouldDelete: list[str]


class _Audit(TypedDict):
    apiVersion: str
    kind: Literal["Audit"]
    scope: Scope
    kubeOvn: KubeOvn
    nb: Nb
    summary: AuditSummary
    gc: AuditGc
    only: list[str] | None  # the --only filter applied to items
    items: list[AuditItem]
    verdict: str  # the worst item verdict; `error` when no finding but owners that could not be judged
    notes: list[str]


class Audit(_Audit, total=False):
    cluster: list[Cluster]  # what no single owner explains (GC stalled, IP leaks), most urgent first; when any
    upgrade: UpgradePlan | UpgradeSurvey  # with --upgrade-to RELEASE | all


class VerdictRow(TypedDict):
    verdict: str
    exitCode: int
    meaning: str


class ReasonRow(TypedDict):
    code: str
    verdict: str
    meaning: str
    fixedIn: str | None


class Reasons(TypedDict):
    verdicts: list[VerdictRow]
    reasons: list[ReasonRow]


class Band(TypedDict):
    letter: str
    tags: str  # the band's releases as the spec writes the range


class KubeOvnReleases(TypedDict):
    oldest: str  # the oldest and newest checked Kube-OVN tags, and how many
    newest: str
    tags: int
    master: str  # `master <commit>`, the branch head the model also replays
    bands: list[Band]


class Version(TypedDict):
    """`version -o json|yaml` (kubectl's `version -o json` has clientVersion/serverVersion; this plugin has no
    server): `{plugin: "0.1.0", python: "3.11.7", kubeOvn: {oldest, newest, tags, master, bands: [{letter,
    tags}]}}`; the text form prints the same but Python."""

    plugin: str  # this plugin's version, without the v
    python: str  # the interpreter's version (`sys.version`'s first word: 3.11.7, 3.13.0rc1)
    kubeOvn: KubeOvnReleases  # the Kube-OVN releases the model knows


def kube_ovn_doc(settings: ControllerSettings, deployment_version: str | None) -> KubeOvn:
    return {
        "version": settings.version_text,
        "band": settings.band,
        "keepVmIp": settings.keep_vm_ip,
        "enableExternalVpc": settings.enable_external_vpc,
        "nonPrimaryCniMode": settings.non_primary_cni_mode,
        "detectedFrom": settings.detected_from,
        "deploymentVersion": deployment_version,
        "behaviourOf": settings.behaviour_of,
    }


VersionSource = Literal["flag", "deployment", "flags", "assumed"]


def version_source(kube_ovn: KubeOvn) -> VersionSource:
    """Where the replayed release came from, decided here for every view from the document's own fields (which
    is all a JSON reader has too): `flag` when --kube-ovn-version replaced the release the Deployment runs,
    `flags` when it named the release without another one running, `deployment`, `assumed` (not detected)."""
    detected = kube_ovn["detectedFrom"]
    if detected == "assumed":
        return "assumed"
    if detected == "flags":
        running = kube_ovn["deploymentVersion"]
        return "flag" if running and running != (kube_ovn["version"] or "unknown") else "flags"
    return "deployment"


def nb_doc(lookup: NbLookup) -> Nb:
    return {"via": lookup.via, "endpoint": lookup.endpoint, "leaderOnly": lookup.leader_only}


def port_doc(p: PortFinding) -> Port:
    return {
        "name": p.name,
        "provider": p.provider,
        "network": p.network,
        "sources": list(p.sources),
        "expectedByGc": p.expected_by_gc,
        "inNb": p.in_nb,
        "listedByGc": p.listed_by_gc,
        "logicalSwitch": p.logical_switch,
        "addresses": list(p.addresses),
        "verdict": p.verdict,
        "reason": p.reason,
        "detail": p.detail,
    }


def cluster_doc(finding: ClusterFinding) -> Cluster:
    doc: Cluster = {
        "kind": finding.kind,
        "verdict": finding.verdict,
        "reason": finding.reason,
        "summary": finding.summary,
        "ports": list(finding.ports),
        "detail": list(finding.detail),
        "advice": list(finding.advice),
    }
    if finding.logged:
        doc["logged"] = dict(finding.logged)
    return doc


def target_doc(item: Item) -> Target:
    """`target`: the owner's kind and name; for a workload the judgement's view of it (a launcher pod that
    resolves to its VM is the VM)."""
    judgement = item.judgement
    return {
        "kind": judgement.target_kind if judgement else item.owner.kind,
        "namespace": item.owner.namespace,
        "name": item.owner.name,
        "portOwner": judgement.port_owner if judgement else item.owner.name,
        "pods": list(judgement.pods) if judgement else [],
    }


def gc_doc(judgement: Judgement) -> Gc:
    return {
        "lostLogged": list(judgement.lost_logged),
        "wouldDelete": list(judgement.would_delete),
        "message": judgement.message,
    }


def item_doc(item: Item) -> AuditItem:
    """One owner as `audit` lists it (and as `explain` returns it, plus the header fields)."""
    if item.judgement is None:
        return {
            "target": target_doc(item),
            "ports": [],
            "gc": {"lostLogged": [], "wouldDelete": [], "message": None},
            "verdict": item.verdict,
            "advice": [],
            "error": item.error,
        }
    judgement = item.judgement
    return {
        "target": target_doc(item),
        "ports": [port_doc(p) for p in judgement.ports],
        "gc": gc_doc(judgement),
        "verdict": judgement.verdict,
        "advice": list(judgement.advice),
    }


def release_verdict(entry: ReleaseRange) -> ReleaseVerdict:
    """One `byRelease` entry: adjacent releases with one verdict and the same reason codes."""
    from kubectl_ovn_lsp.model.releases import display

    return {
        "from": display(entry.first),
        "to": display(entry.last),
        "band": entry.band,
        "verdict": entry.verdict,
        "reasons": list(entry.reasons),
    }


def explanation(
    item: Item,
    settings: ControllerSettings,
    lookup: NbLookup,
    notes: list[str],
    deployment_version: str | None,
    by_release: tuple[list[ReleaseVerdict], str | None] | None = None,
    cluster: tuple[ClusterFinding, ...] = (),
) -> Explanation:
    """The `Explanation` document of one owner; `by_release`: the table and the sentence naming the fix;
    `cluster`: the cluster findings that affect it."""
    body = item_doc(item)
    advice = body["advice"] + ([by_release[1]] if by_release and by_release[1] else [])
    document: Explanation = {
        "apiVersion": API_VERSION,
        "kind": "Explanation",
        "target": body["target"],
        "kubeOvn": kube_ovn_doc(settings, deployment_version),
        "nb": nb_doc(lookup),
        "ports": body["ports"],
        "gc": body["gc"],
        "verdict": body["verdict"],
        "advice": advice,
        "notes": notes,
    }
    if by_release is not None:
        document["byRelease"] = by_release[0]
    if cluster:
        document["cluster"] = [cluster_doc(c) for c in cluster]
    return document
