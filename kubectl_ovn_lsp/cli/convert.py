"""argparse's Namespace → the typed option records commands take; the process → an Environment.

The only place that reads `os.environ` and the real streams: everything below receives records.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from kubectl_ovn_lsp.options import (
    AuditOptions,
    CommonOptions,
    ControllerOverrides,
    Environment,
    ExplainOptions,
    KubeOptions,
    NbOptions,
    OutputOptions,
    TriageOptions,
)

DEFAULT_OVN_NAMESPACE = "kube-system"


def environment() -> Environment:
    return Environment(
        stdout=sys.stdout,
        stderr=sys.stderr,
        stdin=sys.stdin,
        environ=dict(os.environ),
        stderr_is_tty=bool(getattr(sys.stderr, "isatty", lambda: False)()),
    )


def use_colour(choice: str, environ: Mapping[str, str], stdout_is_tty: bool) -> bool:
    """--color always|never wins; auto: colour on a terminal unless NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    return stdout_is_tty


def common(args: argparse.Namespace, env: Environment) -> CommonOptions:
    ovn_namespace = getattr(args, "ovn_namespace", None) or env.environ.get("KUBE_OVN_NS") or DEFAULT_OVN_NAMESPACE
    return CommonOptions(
        kube=KubeOptions(
            kubeconfig=args.kubeconfig,
            context=args.context,
            namespace=args.namespace,
            all_namespaces=bool(getattr(args, "all_namespaces", False)),
            request_timeout=args.request_timeout,
            verbose=args.verbose,
        ),
        nb=NbOptions(
            target=args.nb,
            private_key=args.nb_private_key,
            certificate=args.nb_certificate,
            ca_cert=args.nb_ca_cert,
            tls_secret=args.nb_tls_secret,
            ovn_namespace=ovn_namespace,
        ),
        controller=ControllerOverrides(
            version=args.kube_ovn_version,
            keep_vm_ip=args.keep_vm_ip,
            enable_external_vpc=args.enable_external_vpc,
            non_primary_cni_mode=args.non_primary_cni_mode,
        ),
        output=OutputOptions(
            format=args.output,
            no_headers=args.no_headers,
            colour=use_colour(args.color, env.environ, bool(getattr(env.stdout, "isatty", lambda: False)())),
        ),
    )


def explain_options(args: argparse.Namespace, env: Environment) -> ExplainOptions:
    return ExplainOptions(target=args.target, common=common(args, env))


def audit_options(args: argparse.Namespace, env: Environment) -> AuditOptions:
    return AuditOptions(only=frozenset(args.only or ()), chunk_size=args.chunk_size, common=common(args, env))


def triage_options(args: argparse.Namespace, env: Environment) -> TriageOptions:
    return TriageOptions(
        file=args.file, since_seconds=args.since, tail=args.tail, limit_bytes=args.limit_bytes, common=common(args, env)
    )
