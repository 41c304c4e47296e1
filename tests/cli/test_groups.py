"""Option groups: each group's flags produce its record; the parser binds each subcommand's group and handler;
`--kube-ovn-version all` exists only where it is answered (explain). Expectations are literal records."""

from __future__ import annotations

import argparse
import dataclasses
import io

import pytest

from kubectl_ovn_lsp.cli import complete, handlers
from kubectl_ovn_lsp.cli import main as cli
from kubectl_ovn_lsp.cli.command_groups import AuditFlags, CompletionFlags, ExplainFlags, ReasonsFlags, TriageFlags
from kubectl_ovn_lsp.cli.groups import ControllerFlags, KubeFlags, NbFlags, OutputFlags, UsageError
from kubectl_ovn_lsp.cli.parser import Parser
from kubectl_ovn_lsp.deadline import Deadline
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.options import (
    AuditOptions,
    CommonOptions,
    CompletionOptions,
    ControllerOverrides,
    ExplainOptions,
    KubeOptions,
    NbOptions,
    OutputOptions,
    ReasonsOptions,
    TriageOptions,
    VersionOptions,
)


def _env(stdout_is_tty: bool = False, **environ: str) -> Environment:
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ, stdout_is_tty=stdout_is_tty)


def _record(group, argv: list[str], env: Environment | None = None):
    """Register one group alone on a fresh parser, parse argv, build the group's record."""
    parser = Parser(prog="test")
    group.register(parser)
    return group.record(parser.parse_args(argv), env or _env())


def _seconds(kube: KubeOptions) -> tuple[KubeOptions, float | None]:
    """The record without its started Deadline (compared apart: a Deadline has no value equality)."""
    assert isinstance(kube.request_timeout, Deadline)
    return dataclasses.replace(kube, request_timeout=None), kube.request_timeout.seconds


def test_kube_flags_make_kube_options() -> None:
    given = ["-n", "ns-1", "--context", "ctx", "--kubeconfig", "/k", "--request-timeout", "1m", "-v", "-A"]
    kube = _record(KubeFlags(all_namespaces="every namespace"), given)
    assert _seconds(kube) == (KubeOptions("/k", "ctx", None, True, None, True), 60.0)  # -A: -n ignored, as kubectl
    assert _seconds(_record(KubeFlags(), [])) == (KubeOptions(None, None, None, False, None, False), 10.0)
    assert _seconds(_record(KubeFlags(), ["--request-timeout", "0"])) == (KubeOptions(request_timeout=None), None)
    assert not _record(KubeFlags(), []).request_timeout.hard_stop
    assert _record(KubeFlags(), [], Environment(io.StringIO(), io.StringIO(), hard_stop=True)).request_timeout.hard_stop


def test_a_namespace_is_checked_unless_all_namespaces_overrides_it() -> None:
    with pytest.raises(UsageError, match=r'^argument -n/--namespace: "Bad" is not a valid namespace name'):
        _record(KubeFlags(all_namespaces="x"), ["-n", "Bad"])
    assert _record(KubeFlags(all_namespaces="x"), ["-n", "Bad", "-A"]).namespace is None  # kubectl ignores it
    with pytest.raises(SystemExit):  # a command without -A does not take it
        _record(KubeFlags(), ["-A"])


def test_nb_flags_make_nb_options() -> None:
    given = ["--nb", "ssl:10.0.0.5:6641", "--nb-private-key", "k.pem", "--nb-certificate", "c.pem"]
    given += ["--nb-ca-cert", "ca.pem", "--nb-tls-secret", "--ovn-namespace", "ovn-system"]
    assert _record(NbFlags(), given) == NbOptions("ssl:10.0.0.5:6641", "k.pem", "c.pem", "ca.pem", True, "ovn-system")
    assert _record(NbFlags(), []) == NbOptions("auto", None, None, None, False, "kube-system", 5.0)
    assert _record(NbFlags(), ["--nb-member-timeout", "1500ms"]).member_timeout == 1.5
    for refused in ("0", "-1s", "2h", "soon"):
        with pytest.raises(SystemExit):  # argparse: a usage error, exit 2
            _record(NbFlags(), ["--nb-member-timeout", refused])
    assert _record(NbFlags(), [], _env(KUBE_OVN_NS="kube-ovn")).ovn_namespace == "kube-ovn"
    assert _record(NbFlags(), ["--ovn-namespace", "x"], _env(KUBE_OVN_NS="Bad!")).ovn_namespace == "x"
    with pytest.raises(UsageError, match=r'^\$KUBE_OVN_NS: "Bad!" is not a valid namespace name'):
        _record(NbFlags(), [], _env(KUBE_OVN_NS="Bad!"))


@pytest.mark.parametrize(
    "given",
    [
        [],
        ["--nb-private-key", "k.pem"],
        ["--nb-private-key", "k.pem", "--nb-certificate", "c.pem"],
        ["--nb-certificate", "c.pem", "--nb-ca-cert", "ca.pem"],
    ],
)
def test_ssl_without_its_client_files_is_a_usage_error(given: list[str]) -> None:
    """Decidable from the flags alone, like every other bad --nb value (exit 2), not "could not answer"."""
    with pytest.raises(UsageError) as refused:
        _record(NbFlags(), ["--nb", "ssl:127.0.0.1:1", *given])
    assert str(refused.value) == (
        "argument --nb: ssl: needs --nb-private-key, --nb-certificate and --nb-ca-cert (or --nb-tls-secret)"
    )
    assert _record(NbFlags(), ["--nb", "ssl:127.0.0.1:1", "--nb-tls-secret", *given]).tls_secret


def test_controller_flags_make_the_overrides() -> None:
    given = ["--kube-ovn-version", "1.13.4", "--keep-vm-ip", "false", "--enable-external-vpc", "1"]
    given += ["--non-primary-cni-mode", "on"]
    assert _record(ControllerFlags("audit"), given) == ControllerOverrides("v1.13.4", False, True, True, False)
    assert _record(ControllerFlags("audit"), []) == ControllerOverrides(None, None, None, None, False)
    assert _record(ControllerFlags("explain", every_release=True), ["--kube-ovn-version", "all"]) == (
        ControllerOverrides(version=None, by_release=True)
    )


def test_all_is_refused_where_one_release_is_replayed(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        _record(ControllerFlags("triage"), ["--kube-ovn-version", "all"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: argument --kube-ovn-version: 'all' (byRelease) is explain's; triage replays one release"
    )


@pytest.mark.parametrize(
    "argv, environ, tty, expected",
    [
        ([], {}, False, OutputOptions("text", False, False)),
        (["-o", "wide", "--no-headers"], {}, True, OutputOptions("wide", True, True)),
        (["-o", "json"], {"NO_COLOR": "1"}, True, OutputOptions("json", False, False)),
        (["--color", "always"], {"NO_COLOR": "1"}, False, OutputOptions("text", False, True)),
        (["--color", "never"], {}, True, OutputOptions("text", False, False)),
    ],
)
def test_output_flags_make_output_options(argv, environ, tty, expected) -> None:
    assert _record(OutputFlags(), argv, _env(tty, **environ)) == expected


def _common(kube: KubeOptions, **parts) -> CommonOptions:
    return CommonOptions(kube=kube, **parts)


def test_command_groups_make_each_command_record() -> None:
    explain = _record(ExplainFlags(), ["vm/vm-a", "-n", "app", "--kube-ovn-version", "all", "-o", "yaml"])
    kube, seconds = _seconds(explain.common.kube)
    assert dataclasses.replace(explain, common=dataclasses.replace(explain.common, kube=kube)) == ExplainOptions(
        "vm/vm-a",
        _common(
            KubeOptions(namespace="app", request_timeout=None),
            controller=ControllerOverrides(by_release=True),
            output=OutputOptions("yaml"),
        ),
    )
    assert seconds == 10.0
    audit = _record(AuditFlags(), ["-A", "--only", "lost,deletion-risk", "--chunk-size", "0"])
    assert (audit.only, audit.chunk_size, audit.common.kube.all_namespaces) == (
        frozenset({"lost", "deletion-risk"}),
        0,
        True,
    )
    assert (_record(AuditFlags(), []).only, _record(AuditFlags(), []).chunk_size) == (frozenset(), 500)
    triage = _record(TriageFlags(), ["-f", "-", "--since", "90m", "--tail", "-1", "--limit-bytes", "4096"])
    assert dataclasses.replace(triage, common=CommonOptions()) == TriageOptions("-", 5400, None, 4096)
    assert _record(ReasonsFlags(), ["-o", "markdown"]) == ReasonsOptions("markdown")
    assert _record(CompletionFlags(), ["install", "--dir", "/d", "--force"]) == CompletionOptions("install", "/d", True)


@pytest.mark.parametrize(
    "argv, record, handler",
    [
        (["explain", "x"], ExplainOptions, "explain"),
        (["audit"], AuditOptions, "audit"),
        (["triage"], TriageOptions, "triage"),
        (["reasons"], ReasonsOptions, "reasons"),
        (["completion", "zsh"], CompletionOptions, "completion"),
        (["version"], VersionOptions, "version"),
    ],
)
def test_main_hands_each_handler_its_group_record_and_the_environment(monkeypatch, argv, record, handler) -> None:
    seen: list = []
    monkeypatch.setattr(handlers, handler, lambda options, env: seen.append((options, env)) or 7)
    env = _env()
    assert cli.main(argv, env) == 7
    assert len(seen) == 1 and isinstance(seen[0][0], record) and seen[0][1] is env


def test_audit_and_triage_help_do_not_offer_all() -> None:
    for command in ("audit", "triage"):
        env = _env()
        assert cli.main([command, "--help"], env) == 0
        text = env.stdout.getvalue()
        assert "[--kube-ovn-version vX.Y.Z]" in text and "--kube-ovn-version vX.Y.Z|all" not in text
        assert "byRelease" not in text
    env = _env()
    assert cli.main(["explain", "--help"], env) == 0
    assert "[--kube-ovn-version vX.Y.Z|all]" in env.stdout.getvalue()
    assert "all: every release as byRelease" in " ".join(env.stdout.getvalue().split())


@pytest.mark.parametrize("command", ["audit", "triage"])
def test_completion_does_not_offer_all_where_it_is_refused(command: str) -> None:
    found, _ = complete.candidates([command, "--kube-ovn-version", ""])
    assert "all" not in found and "master" in found and found[0] == "v1.16.2"
    assert complete.candidates([command, "--kube-ovn-version=a"]) == ([], ":4")
    assert complete.candidates(["explain", "--kube-ovn-version=a"]) == (["--kube-ovn-version=all"], ":4")


def test_usage_errors_of_records_read_as_argparse_ones() -> None:
    env = _env()
    assert cli.main(["explain", "x", "-n", "a;b"], env) == 2
    assert env.stderr.getvalue() == (
        'error: argument -n/--namespace: "a;b" is not a valid namespace name (lower-case letters, digits and "-", '
        "at most 63)\nSee 'kubectl ovn-lsp -h' for help and examples.\n"
    )


def test_every_subcommand_binds_a_group_and_a_handler() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, subparser in sub.choices.items():
        defaults = subparser._defaults
        assert callable(defaults.get("handler")) and defaults["handler"] is getattr(handlers, name), name
        assert hasattr(defaults.get("flags"), "record"), name
