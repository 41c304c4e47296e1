"""Option groups: each registers its own flags on a (sub)parser and builds its frozen record (`options.py`) from
the parsed flags and the `Environment` — twine's settings that register their own flags, stern's flags → config.

The shared groups live here (kubectl's flags, the OVN NB, the controller overrides, the output); each command's own
group is in `command_groups.py` and composes them (`CommandFlags`). A check that needs more than one value (a
namespace unless -A overrides it, $KUBE_OVN_NS) belongs to the group's `record` and raises `UsageError`, which
`cli.main` prints as argparse prints its own usage errors (exit 2).

Light on purpose (argparse and `flags.py` only): completion builds the parser on every TAB, so the records,
`Deadline` and everything else are imported when a record is built, after parsing.
"""

from __future__ import annotations

import argparse

from kubectl_ovn_lsp.cli.flags import (
    EVERY_RELEASE,
    KubeOvnVersion,
    boolean,
    member_timeout,
    namespace_name,
    nb_target,
    request_timeout,
)

TYPE_CHECKING = False  # `from typing import TYPE_CHECKING` would import typing (~2 ms) on every TAB
if TYPE_CHECKING:
    from kubectl_ovn_lsp.environment import Environment
    from kubectl_ovn_lsp.options import ControllerOverrides, KubeOptions, NbOptions, OutputOptions

DEFAULT_OVN_NAMESPACE = "kube-system"
DETECTED = "(default: detected from the kube-ovn-controller Deployment)"


class UsageError(Exception):
    """A flag value that parsed but cannot be used (checked against another flag or the environment): exit 2.

    The message reads as argparse's own (`argument -n/--namespace: …`); `cli.main` adds `error: ` and the hint."""


class KubeFlags:
    """kubectl's flags (-n, --context, --kubeconfig, --request-timeout, -v), and -A where the command takes it.

    Record: `KubeOptions`, with `--request-timeout` started as the command's one `Deadline` (it starts when the
    record is built, right after parsing, so the budget covers the whole command)."""

    def __init__(self, all_namespaces: str | None = None, default_timeout: float | None = 10.0) -> None:
        self.all_namespaces = all_namespaces  # -A's help text; None: the command has no -A
        self.default_timeout = default_timeout  # --request-timeout when not given (None: no limit, as kubectl)

    def register(self, parser: argparse.ArgumentParser) -> None:
        ignored = "; ignored with -A, as kubectl ignores it" if self.all_namespaces is not None else ""
        parser.add_argument(
            "-n",
            "--namespace",
            help=f"namespace of the workload (default: the context's namespace, else default{ignored})",
        )
        parser.add_argument("--context", help="kubeconfig context to use (default: the current context)")
        parser.add_argument(
            "--kubeconfig",
            metavar="FILE",
            help="kubeconfig file (default: the files in $KUBECONFIG, else ~/.kube/config)",
        )
        default = (
            f"default {self.default_timeout:g}s"
            if self.default_timeout is not None
            else "default 0: no limit, as kubectl; a terminal shows progress"
        )
        parser.add_argument(
            "--request-timeout",
            type=request_timeout,
            default=self.default_timeout,
            metavar="DURATION",
            help=f"bound for the whole command, retries included: 10, 10s, 1m; 0 = no limit ({default})",
        )
        parser.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="print each Kubernetes request and the exact NB query on stderr",
        )
        if self.all_namespaces is not None:
            parser.add_argument("-A", "--all-namespaces", action="store_true", help=self.all_namespaces)

    def record(self, args: argparse.Namespace, env: Environment) -> KubeOptions:
        """-n must be a namespace name unless -A overrides it: kubectl then ignores it whatever it says
        (`kubectl get pods -A -n foo` lists every namespace), and so does the record (`namespace` None), so no
        command sees it (explain's port-name check refused `vm-a.test-ns -A -n foo` before)."""
        from kubectl_ovn_lsp.deadline import Deadline
        from kubectl_ovn_lsp.options import KubeOptions

        all_namespaces = self.all_namespaces is not None and bool(args.all_namespaces)
        if args.namespace and not all_namespaces:
            try:
                namespace_name(args.namespace)
            except argparse.ArgumentTypeError as exc:
                raise UsageError(f"argument -n/--namespace: {exc}") from None
        return KubeOptions(
            kubeconfig=args.kubeconfig,
            context=args.context,
            namespace=None if all_namespaces else args.namespace,
            all_namespaces=all_namespaces,
            request_timeout=Deadline(args.request_timeout, hard_stop=env.hard_stop),
            verbose=bool(args.verbose),
        )


class NbFlags:
    """How to reach the OVN NB (--nb and its TLS files) and where Kube-OVN runs (--ovn-namespace).

    Record: `NbOptions`; the OVN namespace is --ovn-namespace, else $KUBE_OVN_NS (checked like the flag), else
    kube-system."""

    def register(self, parser: argparse.ArgumentParser) -> None:
        nb = parser.add_argument_group("OVN Northbound DB")
        nb.add_argument(
            "--nb",
            default="auto",
            type=nb_target,
            metavar="auto|exec|REMOTE",
            help="exec: read-only query in the ovn-central pod (auto = exec); "
            "tcp:H:P[,tcp:H:P…] or ssl:…: connect directly (raft members allowed)",
        )
        nb.add_argument(
            "--nb-private-key",
            metavar="FILE",
            help="client private key for an ssl: --nb (default: none; see --nb-tls-secret)",
        )
        nb.add_argument(
            "--nb-certificate",
            metavar="FILE",
            help="client certificate for an ssl: --nb (default: none; see --nb-tls-secret)",
        )
        nb.add_argument(
            "--nb-ca-cert",
            metavar="FILE",
            help="CA certificate that signed the NB server's certificate (default: none)",
        )
        nb.add_argument(
            "--nb-tls-secret",
            action="store_true",
            help="take the ssl: client key/cert/CA from Secret kube-ovn-tls in the OVN namespace",
        )
        nb.add_argument(
            "--nb-member-timeout",
            type=member_timeout,
            default=5.0,
            metavar="DURATION",
            help="bound for each NB member's first answer (a probe of one row): one that does not answer is "
            "skipped and the next tried (default 5s; exec rounds up to whole seconds)",
        )
        nb.add_argument(
            "--ovn-namespace",
            default=None,
            type=namespace_name,
            help="namespace of ovn-central and kube-ovn-controller (default $KUBE_OVN_NS or kube-system)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> NbOptions:
        from kubectl_ovn_lsp.options import NbOptions

        ovn_namespace = args.ovn_namespace
        if ovn_namespace is None and env.environ.get("KUBE_OVN_NS"):
            ovn_namespace = env.environ["KUBE_OVN_NS"]
            try:
                namespace_name(ovn_namespace)
            except argparse.ArgumentTypeError as exc:
                raise UsageError(f"$KUBE_OVN_NS: {exc}") from None
        files = (args.nb_private_key, args.nb_certificate, args.nb_ca_cert)
        if str(args.nb).startswith("ssl:") and not args.nb_tls_secret and not all(files):
            # decidable from the flags alone: a usage error (exit 2), before any cluster or NB is asked
            raise UsageError(
                "argument --nb: ssl: needs --nb-private-key, --nb-certificate and --nb-ca-cert (or --nb-tls-secret)"
            )
        return NbOptions(
            target=args.nb,
            private_key=args.nb_private_key,
            certificate=args.nb_certificate,
            ca_cert=args.nb_ca_cert,
            tls_secret=bool(args.nb_tls_secret),
            ovn_namespace=ovn_namespace or DEFAULT_OVN_NAMESPACE,
            member_timeout=args.nb_member_timeout,
        )


class ControllerFlags:
    """Overrides of what the kube-ovn-controller Deployment says: release and the flags that change GC.

    `every_release`: the command answers `--kube-ovn-version all` (explain's byRelease); elsewhere the value is
    neither offered (help, completion) nor accepted. Record: `ControllerOverrides`, where `all` is `by_release`
    with no version (the Deployment's is replayed)."""

    def __init__(self, command: str, every_release: bool = False) -> None:
        self.command = command
        self.every_release = every_release

    def register(self, parser: argparse.ArgumentParser) -> None:
        kube_ovn = parser.add_argument_group(f"Kube-OVN controller {DETECTED}")
        every = "; all: every release as byRelease" if self.every_release else ""
        kube_ovn.add_argument(
            "--kube-ovn-version",
            metavar="vX.Y.Z|all" if self.every_release else "vX.Y.Z",
            type=KubeOvnVersion(self.command, self.every_release),
            help=f"replay this release's GC (`kubectl ovn-lsp version` lists them{every}) {DETECTED}",
        )
        kube_ovn.add_argument(
            "--keep-vm-ip",
            type=boolean,
            metavar="true|false",
            help=f"the controller's --keep-vm-ip: ports named after the VM {DETECTED}",
        )
        kube_ovn.add_argument(
            "--enable-external-vpc",
            type=boolean,
            metavar="true|false",
            help=f"the controller's --enable-external-vpc: which ports GC lists {DETECTED}",
        )
        kube_ovn.add_argument(
            "--non-primary-cni-mode",
            type=boolean,
            metavar="true|false",
            help=f"the controller's --non-primary-cni-mode {DETECTED}",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> ControllerOverrides:
        from kubectl_ovn_lsp.options import ControllerOverrides

        every = args.kube_ovn_version == EVERY_RELEASE  # only explain's type lets it through
        return ControllerOverrides(
            version=None if every else args.kube_ovn_version,
            keep_vm_ip=args.keep_vm_ip,
            enable_external_vpc=args.enable_external_vpc,
            non_primary_cni_mode=args.non_primary_cni_mode,
            by_release=every,
        )


class OutputFlags:
    """-o, --no-headers and --color. Record: `OutputOptions`, colour decided once from --color, NO_COLOR and
    whether stdout is a terminal."""

    def register(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            choices=("text", "wide", "json", "yaml"),
            default="text",
            help="text: header, table and advice; wide: more columns; json/yaml: the stable document",
        )
        parser.add_argument(
            "--no-headers",
            action="store_true",
            help="print the table rows only (no header block, column names or advice)",
        )
        parser.add_argument(
            "--color",
            choices=("auto", "always", "never"),
            default="auto",
            help="colour verdict words (auto: on a terminal unless NO_COLOR is set)",
        )

    def record(self, args: argparse.Namespace, env: Environment) -> OutputOptions:
        from kubectl_ovn_lsp.options import OutputOptions

        return OutputOptions(
            format=args.output,
            no_headers=bool(args.no_headers),
            colour=use_colour(args.color, env.environ.get("NO_COLOR", ""), env.stdout_is_tty),
        )


def use_colour(choice: str, no_color: str, stdout_is_tty: bool) -> bool:
    """--color always|never wins; auto: colour on a terminal unless NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or no_color:
        return False
    return stdout_is_tty
