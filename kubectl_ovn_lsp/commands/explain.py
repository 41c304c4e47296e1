"""`explain`: collect one workload's snapshot, judge it with the GC model, return the contract's document."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from typing import Any

from kubectl_ovn_lsp.errors import BadInput, NbUnavailable
from kubectl_ovn_lsp.model.verdicts import exit_code

API_VERSION = "ovn-lsp.kubeovn.io/v1alpha1"


def run(args: argparse.Namespace) -> int:
    from kubectl_ovn_lsp.cli import render

    document = explain(args)
    render.emit_explanation(document, args)
    return exit_code(document["verdict"])


def explain(args: argparse.Namespace) -> dict[str, Any]:
    """Everything but rendering; returns the `Explanation` document of explain-contract.md."""
    from kubectl_ovn_lsp.kube import reads as cluster
    from kubectl_ovn_lsp.kube.client import KubeClient
    from kubectl_ovn_lsp.kube.resolve import locate_namespace, resolve
    from kubectl_ovn_lsp.model import bands, lookups as model
    from kubectl_ovn_lsp.model.errors import ModelError

    client = KubeClient.connect(args.kubeconfig, args.context, args.request_timeout, args.verbose)
    namespace = locate_namespace(client, args.target) if args.all_namespaces else (args.namespace or client.namespace)
    ovn_namespace = args.ovn_namespace or os.environ.get("KUBE_OVN_NS") or "kube-system"

    notes: list[str] = []
    deployment = cluster.controller_deployment(client, ovn_namespace, notes)
    settings = bands.settings_from_deployment(deployment, _overrides(args))
    running = bands.settings_from_deployment(deployment).version_text if deployment is not None else None
    workload = resolve(client, args.target, namespace)
    if workload.kind == "Pod" and workload.named_pod and not settings.keep_vm_ip:
        # Without keep-vm-ip every launcher pod has its own ports: explain the one that was named.
        workload.pods = [p for p in workload.pods if p["metadata"]["name"] == workload.named_pod]

    try:
        nad_keys = model.nad_references(tuple(workload.pods), workload.vm, namespace, settings)
        snapshot = model.WorkloadSnapshot(
            namespace=namespace,
            target_kind=workload.kind,
            target_name=workload.name,
            pods=tuple(workload.pods),
            vm=workload.vm,
            vmi=workload.vmi,
            nads=cluster.fetch_nads(client, nad_keys),
            subnets=cluster.fetch_subnets(client),
            statefulsets=workload.statefulsets,
            nb_ports=(),
            now=datetime.now(timezone.utc),
        )
        names, pod_keys = model.candidate_lookups(snapshot, settings)
        lookup = _nb_lookup(args, client, ovn_namespace, names, pod_keys)
        judgement = model.judge(_with_ports(snapshot, lookup.ports), settings)
    except ModelError as exc:
        raise BadInput(str(exc)) from None
    notes += [n for n in (*settings.notes, *judgement.notes, *lookup.notes) if n not in notes]
    vm_name = (workload.vm or {}).get("metadata", {}).get("name") or judgement.port_owner
    return build_document(judgement, settings, lookup, workload.name, namespace, notes, running, vm_name)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "version": args.kube_ovn_version,
        "keep_vm_ip": args.keep_vm_ip,
        "enable_external_vpc": args.enable_external_vpc,
        "non_primary_cni_mode": args.non_primary_cni_mode,
    }


def _with_ports(snapshot: Any, ports: Any) -> Any:
    from dataclasses import replace

    return replace(snapshot, nb_ports=tuple(ports))


def _nb_lookup(args: argparse.Namespace, client: Any, ovn_namespace: str, names: list[str], pod_keys: list[str]) -> Any:
    mode = args.nb
    if mode in ("auto", "exec"):
        from kubectl_ovn_lsp.nb.exec import lookup_via_exec

        return lookup_via_exec(client, ovn_namespace, names, pod_keys)
    from kubectl_ovn_lsp.nb import direct as nb_direct, tls as nb_tls

    with nb_tls.client_files(args, client, ovn_namespace) as ssl:
        if args.verbose:
            print(f"I nb: monitor Logical_Switch_Port at {mode} where name in {sorted(set(names))} "
                  f"or external_ids:pod in {sorted(set(pod_keys))}", file=sys.stderr)
        try:
            return nb_direct.lookup_direct(mode, names, pod_keys, timeout=args.request_timeout, ssl=ssl)
        except nb_direct.NbDirectError as exc:
            raise NbUnavailable(f"OVN {exc}") from None  # the message already names the remote(s)


def build_document(
    judgement: Any, settings: Any, lookup: Any, target_name: str, namespace: str, notes: list[str],
    deployment_version: str | None = None, vm_name: str | None = None,
) -> dict[str, Any]:
    """The stable, versioned `Explanation` document (field names and meanings fixed by the contract)."""
    if judgement.target_kind == "VirtualMachine" and vm_name:
        target_name = vm_name  # a launcher pod named by the user resolves to its VM
    return {
        "apiVersion": API_VERSION,
        "kind": "Explanation",
        "target": {
            "kind": judgement.target_kind,
            "namespace": namespace,
            "name": target_name,
            "portOwner": judgement.port_owner,
            "pods": list(judgement.pods),
        },
        "kubeOvn": {
            "version": settings.version_text,
            "band": settings.band,
            "keepVmIp": settings.keep_vm_ip,
            "enableExternalVpc": settings.enable_external_vpc,
            "nonPrimaryCniMode": settings.non_primary_cni_mode,
            "detectedFrom": settings.detected_from,
            "deploymentVersion": deployment_version,  # the image tag the controller runs, whatever was overridden
        },
        "nb": {"via": lookup.via, "endpoint": lookup.endpoint, "leaderOnly": lookup.leader_only},
        "ports": [
            {
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
            for p in judgement.ports
        ],
        "gc": {
            "lostLogged": list(judgement.lost_logged),
            "wouldDelete": list(judgement.would_delete),
            "message": judgement.message,
        },
        "verdict": judgement.verdict,
        "advice": list(judgement.advice),
        "notes": notes,
    }

