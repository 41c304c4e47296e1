"""NB reads through `kubectl exec` into ovn-central, the way `kubectl ko nbctl` reaches the database.

Which pod: every ovn-central pod runs an NB raft member, and any member answers a read. explain's small read
prefers the pod labelled `ovn-nb-leader=true` (Kube-OVN's ovn-leader-checker), because its answer is known to come
from the leader (`leaderOnly: true`): Ready leader, other Ready pods, then Running pods that are not Ready (a
failing readiness probe does not stop the NB socket from answering). A full read (audit, triage, serve: every
port) prefers a Ready member that is *not* the labelled leader: reads need no leader, and one full select costs
the single-threaded leader seconds of CPU in a large cluster (~9 s at 500,000 ports), during which it cannot
commit the controller's writes or send raft heartbeats; the leader comes next, and the answer's notes say why
another member answered. A pod whose read fails (a leader label
left on a dead member, a container that is not running) is not the end: the next pod is tried and the
answer's notes say what failed and where the read came from. A denial (RBAC) or the end of the command's
time budget stops at once: another pod would not change either. Only one allowlisted argv is ever executed:
`ovsdb-client query`, whose transaction ends in an abort.

A member that does not answer at all (a frozen ovsdb-server accepts on its socket and never replies) must not keep
the read, even without a time limit (audit's default, as kubectl): each pod's first answer is a probe
(`nb_query.probe_argv`, one indexed select that matches nothing) under `ovsdb-client --timeout=N`, N the
`--nb-member-timeout` rounded up to whole seconds (default 5); a pod that fails it is skipped with a note, and
only then does the read run, with the command's own limit. Every read of one reader goes to the pod that answered
its first read (explain's second read of every port stays on the leader its header names).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from kubectl_ovn_lsp.errors import PluginError, quote_name
from kubectl_ovn_lsp.kube.client import PODS, KubeClient
from kubectl_ovn_lsp.kube.errors import KubeApiError
from kubectl_ovn_lsp.model.records import NbLookup, NbPort, Selection
from kubectl_ovn_lsp.nb import query as nb_query
from kubectl_ovn_lsp.nb.errors import NbQueryError, NbUnavailable, OvnCentralNotFound
from kubectl_ovn_lsp.nb.reader import NbReader
from kubectl_ovn_lsp.nb.reply import parse_lookup

CONTAINER = "ovn-central"
LEADER_LABEL = "ovn-nb-leader"


@dataclass(frozen=True)
class Candidate:
    """One ovn-central pod that may answer, in the order they are tried."""

    name: str
    leader: bool  # labelled ovn-nb-leader=true
    ready: bool

    @property
    def describe(self) -> str:
        role = "labelled NB leader" if self.leader else "not the labelled leader"
        return f"{self.name} ({role}{'' if self.ready else ', Running but not Ready'})"


def _running(pod: dict[str, Any]) -> bool:
    status = pod.get("status") or {}
    return status.get("phase") == "Running" and not (pod.get("metadata") or {}).get("deletionTimestamp")


def _ready(pod: dict[str, Any]) -> bool:
    conditions = {c.get("type"): c.get("status") for c in (pod.get("status") or {}).get("conditions") or []}
    return bool(conditions.get("Ready", "True") == "True")


def _has_container(pod: dict[str, Any]) -> bool:
    return any(c.get("name") == CONTAINER for c in (pod.get("spec") or {}).get("containers") or [])


def ovn_central_candidates(client: KubeClient, namespace: str, *, spare_leader: bool = False) -> list[Candidate]:
    """Running ovn-central pods with the ovn-central container: Ready leader, Ready others, then not Ready;
    with `spare_leader` (a full read), Ready others before the Ready leader."""
    pods = client.list(PODS, namespace, label_selector="app=ovn-central")
    found = []
    for pod in pods:
        if not (_running(pod) and _has_container(pod)):
            continue
        labels = (pod.get("metadata") or {}).get("labels") or {}
        found.append(Candidate(pod["metadata"]["name"], labels.get(LEADER_LABEL) == "true", _ready(pod)))
    return _ordered(found, spare_leader=spare_leader)


def _ordered(candidates: list[Candidate], *, spare_leader: bool) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (not c.ready, c.leader == spare_leader, c.name))


class ExecReader(NbReader):
    """NB through `kubectl exec` into an ovn-central pod: one allowlisted `ovsdb-client query` per selection, trying
    the pods in order (`ovn_central_candidates`; listed once per reader) until one answers its probe (within
    `member_timeout` seconds) and then the read; later reads try the pod that answered first."""

    def __init__(self, client: KubeClient, ovn_namespace: str, member_timeout: float = 5.0) -> None:
        super().__init__()
        self.client = client
        self.ovn_namespace = ovn_namespace
        self.member_timeout = member_timeout
        self._pods: list[Candidate] | None = None
        self._answered: str | None = None  # the pod that answered this reader's first read
        self._probed: set[str] = set()  # pods that answered a probe

    def _read(self, selection: Selection) -> NbLookup:
        client, ovn_namespace = self.client, self.ovn_namespace
        if self._pods is None:
            self._pods = ovn_central_candidates(client, ovn_namespace)
        candidates = _ordered(self._pods, spare_leader=selection.every_port and self._answered is None)
        candidates.sort(key=lambda c: c.name != self._answered)  # stable: the pod read before comes first
        if not candidates:
            raise OvnCentralNotFound(namespace=quote_name(ovn_namespace))
        failures: list[str] = []
        for candidate in candidates:
            try:
                if candidate.name not in self._probed:
                    _probe(client, ovn_namespace, candidate.name, self.member_timeout)
                    self._probed.add(candidate.name)
                ports, switches = _read(client, ovn_namespace, candidate.name, selection)
            except (NbUnavailable, KubeApiError) as exc:
                failures.append(f"{candidate.describe}: {_reason(exc, ovn_namespace, candidate.name)}")
                continue
            leader_only = candidate.leader and candidate.ready
            self._answered = self._answered or candidate.name
            return NbLookup(
                ports=ports,
                via="exec",
                endpoint=f"{ovn_namespace}/{candidate.name}",
                leader_only=leader_only,
                notes=tuple(_notes(candidate, candidates, failures, selection.every_port)),
                switches=switches,
                every_switch=selection.every_port,
                switches_asked=selection.switches,
            )
        if len(failures) == 1:
            raise NbUnavailable(endpoint=f"{ovn_namespace}/{candidates[0].name}", reason=failures[0].split(": ", 1)[1])
        raise NbUnavailable(
            endpoint=f"{ovn_namespace} ({len(candidates)} ovn-central pods tried)", reason="; ".join(failures)
        )


def _probe(client: KubeClient, namespace: str, pod: str, member_timeout: float) -> None:
    """The pod's first answer: `nb_query.probe_argv` within `member_timeout` (or what is left of the command's
    budget, if less). Raises NbUnavailable when ovsdb-client gives up or fails; the budget's Timeout as any exec."""
    left = client.deadline.remaining()
    seconds = member_timeout if left is None else max(0.001, min(member_timeout, left))
    argv = nb_query.probe_argv(seconds)
    nb_query.check_allowed_argv(argv)
    started = time.monotonic()
    result = client.exec(namespace, pod, CONTAINER, argv)
    if result.exit_code == 0:
        return
    waited = time.monotonic() - started
    reason = " ".join((result.stderr or result.stdout).split()) or f"exit code {result.exit_code}"
    seconds_given = argv[1].split("=", 1)[1]
    if waited >= int(seconds_given) or "alarm clock" in reason.lower() or "timeout" in reason.lower():
        reason = f"no answer to a probe within {seconds_given}s (--nb-member-timeout)"  # ovsdb-client's SIGALRM
    else:
        reason = f"the probe failed: {reason}"
    raise NbUnavailable(endpoint=f"{namespace}/{pod}", reason=reason)


def _read(
    client: KubeClient, namespace: str, pod: str, selection: Selection
) -> tuple[tuple[NbPort, ...], dict[str, frozenset[str]]]:
    argv = nb_query.selection_argv(selection, timeout=client.deadline.whole_seconds())
    nb_query.check_allowed_argv(argv)  # the only command this plugin ever runs in a pod
    result = client.exec(namespace, pod, CONTAINER, argv)
    endpoint = f"{namespace}/{pod}"
    if result.exit_code != 0:
        reason = " ".join((result.stderr or result.stdout).split()) or f"exit code {result.exit_code}"
        raise NbUnavailable(endpoint=endpoint, reason=f"ovsdb-client query failed: {reason}")
    try:
        return parse_lookup(result.stdout)
    except NbQueryError as exc:
        raise NbUnavailable(endpoint=endpoint, reason=str(exc)) from None


def _reason(exc: PluginError, namespace: str, pod: str) -> str:
    text = str(exc)
    prefix = f"OVN NB at {namespace}/{pod}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _notes(used: Candidate, candidates: list[Candidate], failures: list[str], spare_leader: bool) -> list[str]:
    """What the reader must know when the answer is not from the Ready, labelled leader."""
    notes = [f"NB read through {f.split(': ', 1)[0]} failed ({f.split(': ', 1)[1]})" for f in failures]
    if used.leader and used.ready:
        return notes
    if spare_leader and used.ready and any(c.leader and c.ready for c in candidates):
        notes.append(
            f"every NB port read from {used.describe}, a raft member other than the leader: a read needs no "
            "leader, and a full one would cost the single-threaded leader seconds of CPU in a large cluster"
        )
    elif failures:
        notes.append(f"read from {used.describe} instead; the answer is not known to come from the raft leader")
    elif not any(c.leader and c.ready for c in candidates):
        notes.append(
            f"no Ready ovn-central pod is labelled {LEADER_LABEL}=true; read from {used.describe}, "
            "not known to be the raft leader"
        )
    return notes
