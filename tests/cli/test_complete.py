"""Completion: the argparse walk in-process, coverage of every argument, and the protocol through kubectl."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kubectl_ovn_lsp.cli import complete, complete_values
from kubectl_ovn_lsp.cli.main import build_parser
from kubectl_ovn_lsp.environment import Environment
from tests.sandboxes import Sandbox


def _words(*words: str) -> tuple[list[str], str]:
    found, directive = complete.candidates(list(words))
    return [c.split("\t")[0] for c in found], directive


def _all_parsers(parser: argparse.ArgumentParser, path: str = ""):
    yield path or "(top)", parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, f"{path} {name}".strip())


def _covered(action: argparse.Action) -> bool:
    """Whether completion knows what the argument takes: a rule, free form, or literal alternatives."""
    return (
        action.dest in complete_values.RULES
        or action.dest in complete_values.FREE_FORM
        or bool(complete_values.literal_alternatives(action))
    )


def test_every_argument_of_every_subcommand_has_a_completion_rule() -> None:
    """A new flag (audit, triage, …) must be classified: a RULES/FREE_FORM entry, choices, or an `a|b` metavar."""
    missing = [
        f"{path}: {action.option_strings or action.dest}"
        for path, parser in _all_parsers(build_parser())
        for action in parser._actions
        if complete.takes_value(action) and not isinstance(action, argparse._SubParsersAction) and not _covered(action)
    ]
    assert missing == []


def test_empty_word_offers_subcommands_then_names_never_flags() -> None:
    found, directive = _words("")
    assert {"explain", "version", "reasons", "completion"} <= set(found) and directive == ":4"
    assert not any(c.startswith("-") for c in found)


def test_flags_only_after_a_dash() -> None:
    found, _ = _words("explain", "-")
    assert "--namespace" in found and "-n" in found and "--kube-ovn-version" in found
    assert _words("explain", "--k")[0] == ["--kubeconfig", "--kube-ovn-version", "--keep-vm-ip"]
    assert "--namespace" not in _words("explain", "-n", "x", "--")[0]  # given once already


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("--keep-vm-ip", ["true", "false"]),
        ("--enable-external-vpc", ["true", "false"]),
        ("--non-primary-cni-mode", ["true", "false"]),
        ("--nb", ["auto", "exec"]),
        ("-o", ["text", "wide", "json", "yaml"]),
        ("--color", ["auto", "always", "never"]),
    ],
)
def test_closed_sets(flag: str, expected: list[str]) -> None:
    assert _words("explain", "vm-a", flag, "") == (expected, ":4")


def test_equals_form_and_bundled_short_flags() -> None:
    assert _words("explain", "--nb=e") == (["--nb=exec"], ":4")
    position = complete.walk(build_parser(), ["explain", "-Av", "-ntest-ns"])
    assert position.values["all_namespaces"] == "true" and position.values["namespace"] == "test-ns"


def test_kube_ovn_versions_come_from_the_model() -> None:
    found, _ = _words("explain", "vm-a", "--kube-ovn-version", "")
    assert found[0] == "v1.16.2" and {"master", "all"} <= set(found)
    # every checked tag of a branch is offered (model/releases.py), newest first
    assert _words("explain", "vm-a", "--kube-ovn-version", "v1.13.")[0] == [f"v1.13.{p}" for p in range(15, -1, -1)]


@pytest.mark.parametrize("argv", [["explain", "vm-a", "--kube-ovn-version"], ["audit", "-A", "--upgrade-to"]])
def test_releases_are_listed_in_version_order_and_the_shell_keeps_it(argv: list[str]) -> None:
    """#18: `--kube-ovn-version <TAB>` listed 214 releases in text order (the shells sort what they get): newest
    first, with cobra's KeepOrder directive (32 | no files 4)."""
    found, directive = _words(*argv, "v1.9.")
    assert found[:3] == ["v1.9.41", "v1.9.40", "v1.9.39"] and found[-1] == "v1.9.0" and directive == ":36"


@pytest.mark.parametrize("flag", ["--kubeconfig", "--nb-private-key", "--nb-certificate", "--nb-ca-cert"])
def test_path_flags_let_the_shell_complete_files(flag: str) -> None:
    assert _words("explain", "vm-a", flag, "") == ([], ":0")


def test_subcommand_values() -> None:
    assert _words("completion", "") == (["install", "bash", "zsh"], ":4")
    assert _words("reasons", "-o", "m") == (["markdown"], ":4")
    assert _words("completion", "install", "--dir", "") == ([], ":16")


def test_contexts_from_every_kubeconfig_file(tmp_path: Path, monkeypatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.write_text("contexts:\n- name: alpha\n  context: {namespace: ns-a}\n")
    two.write_text("contexts:\n- name: beta\n  context: {}\n- name: alpha\n  context: {namespace: other}\n")
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(one), str(tmp_path / "missing"), str(two)]))
    assert _words("explain", "--context", "") == (["alpha", "beta"], ":4")
    assert complete_values.merged_contexts([str(one), str(two)])["alpha"] == {"namespace": "ns-a"}
    assert _words("explain", "--kubeconfig", str(two), "--context", "") == (["beta", "alpha"], ":4")


def test_namespaces_fall_back_to_the_kubeconfig_when_kubectl_fails(tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "config"
    config.write_text("contexts:\n- name: a\n  context: {namespace: team-a}\n")
    monkeypatch.setenv("KUBECONFIG", str(config))
    monkeypatch.setenv("PATH", str(tmp_path))  # no kubectl at all
    assert _words("explain", "-n", "") == (["team-a"], ":4")
    assert _words("explain", "") == ([], ":4")  # names: silent


def test_helper_is_silent_and_fast_to_import_on_errors(tmp_path: Path) -> None:
    """No kubernetes import on the completion path; errors print nothing but the directive."""
    code = textwrap.dedent("""
        import sys
        from kubectl_ovn_lsp.cli import complete
        complete.main(["explain", "-n", "x", "--kube-ovn-version", "v1"])
        complete.main(["explain", "--context", ""])
        print(sorted(m for m in ("kubernetes", "ovsdbapp", "tabulate", "argcomplete", "urllib3") if m in sys.modules))
    """)
    env = dict(os.environ, KUBECONFIG=str(tmp_path / "nope"), PATH=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert proc.stderr == ""
    assert proc.stdout.splitlines()[-1] == "[]"


# ---- through kubectl (`kubectl __complete ovn-lsp …` runs kubectl_complete-ovn_lsp) ----


def _kubectl_complete(sandbox: Sandbox, *words: str) -> tuple[list[str], str]:
    proc = sandbox.kubectl("__complete", "ovn-lsp", *words)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    return [c.split("\t")[0] for c in lines[:-1]], lines[-1]


def test_names_first_through_kubectl(tc4: Sandbox) -> None:
    found, directive = _kubectl_complete(tc4, "explain", "-n", "test-ns", "")
    assert found == ["vm-a", "virt-launcher-vm-a-7xk2p", "node/node1", "node/node2"] and directive == ":4"
    assert _kubectl_complete(tc4, "explain", "-n", "test-ns", "virt")[0] == ["virt-launcher-vm-a-7xk2p"]
    assert _kubectl_complete(tc4, "explain", "-n", "test-ns", "vm/")[0] == ["vm/vm-a"]
    assert _kubectl_complete(tc4, "explain", "node/node2")[0] == ["node/node2"]


def test_every_target_form_completes_its_kind_through_kubectl(sandbox_factory) -> None:
    """`vip/` completed nothing: completion's kinds had no Vip (one table now, model/targets.py)."""
    sandbox = sandbox_factory(str(Path(__file__).parents[1] / "e2e" / "scenarios" / "vips.yaml"))
    assert _kubectl_complete(sandbox, "explain", "-n", "app", "vip/") == (
        ["vip/vip-arp", "vip/vip-free", "vip/vip-typed"],
        ":4",
    )
    assert _kubectl_complete(sandbox, "explain", "-n", "app", "vips/vip-t")[0] == ["vips/vip-typed"]


def test_all_namespaces_completes_names_from_every_namespace(tc4: Sandbox) -> None:
    found, _ = _kubectl_complete(tc4, "explain", "-A", "")
    assert "vm-a" in found and any(name.startswith("kube-ovn-controller-") for name in found)


def test_names_follow_the_context_namespace_and_flags(tc4: Sandbox, tmp_path: Path) -> None:
    import yaml

    config = yaml.safe_load(Path(tc4.kubeconfig).read_text())
    config["contexts"][0]["context"]["namespace"] = "test-ns"
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    assert _kubectl_complete(tc4, "explain", "--kubeconfig", str(path), "vm")[0] == ["vm-a"]
    assert _kubectl_complete(tc4, "explain", "--kubeconfig", str(path), "--context", "nope", "vm")[0] == []


def test_namespaces_and_ovn_namespace_through_kubectl(tc4: Sandbox) -> None:
    assert _kubectl_complete(tc4, "explain", "vm-a", "--ovn-namespace", "kube-s") == (["kube-system"], ":4")
    assert _kubectl_complete(tc4, "explain", "vm-a", "--namespace=te")[0] == ["--namespace=test-ns"]


def test_unreachable_cluster_is_silent(tc4: Sandbox, tmp_path: Path) -> None:
    dead = tmp_path / "dead"
    dead.write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]\n"
        "users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "current-context: x\n"
    )
    proc = tc4.kubectl("__complete", "ovn-lsp", "explain", "", KUBECONFIG=str(dead))
    assert proc.returncode == 0 and proc.stdout.splitlines()[-1] == ":4"
    assert list(proc.stdout.splitlines()[:-1]) == []


def test_completion_install_writes_a_helper_that_runs_the_plugin(tmp_path: Path) -> None:
    import io

    from kubectl_ovn_lsp.cli import main as cli

    plugin = tmp_path / "bin" / "kubectl-ovn_lsp"
    plugin.parent.mkdir()
    plugin.write_text(f'#!/bin/sh\nexec {sys.executable} -m kubectl_ovn_lsp "$@"\n')
    plugin.chmod(0o755)
    out = io.StringIO()
    environ = {"KUBECTL_OVN_LSP_EXECUTABLE": str(plugin), "PATH": f"{plugin.parent}{os.pathsep}{os.environ['PATH']}"}
    env = Environment(stdout=out, stderr=io.StringIO(), environ=environ, program="/elsewhere/python3")
    assert cli.main(["completion", "install"], env) == 0
    helper = plugin.parent / "kubectl_complete-ovn_lsp"
    assert out.getvalue().startswith(f"wrote {helper}\n") and "not on PATH" not in out.getvalue()
    proc = subprocess.run(
        [str(helper), "explain", "--keep-vm-ip", ""],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )
    assert proc.stdout == "true\nfalse\n:4\n"
    assert cli.main(["completion", "install"], env) == 0  # ours: rewritten
    helper.write_text("#!/bin/sh\necho someone else's\n")
    assert cli.main(["completion", "install"], env) == 0
    assert "already exists" in out.getvalue() and "someone else" in helper.read_text()


def test_completion_scripts_for_the_binary_run_directly() -> None:
    from kubectl_ovn_lsp.cli import main as cli

    for shell, marker in (
        ("bash", "complete -F _kubectl_ovn_lsp kubectl-ovn_lsp"),
        ("zsh", "compdef _kubectl_ovn_lsp kubectl-ovn_lsp"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "kubectl_ovn_lsp", "completion", shell], capture_output=True, text=True, check=True
        )
        assert marker in proc.stdout
    assert cli.main(["__complete", "reasons", "-o", "y"]) == 0
