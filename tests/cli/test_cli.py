"""The CLI layer in-process and through kubectl: parsing, start-up cost, error mapping, completion."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from kubectl_ovn_lsp.cli import handlers
from kubectl_ovn_lsp.cli import main as cli
from kubectl_ovn_lsp.cli.exit_status import ExitStatus
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.kube.errors import NotFound
from tests.sandboxes import Sandbox

HEAVY = ("kubernetes", "ovsdbapp", "ovs", "tabulate", "yaml", "aiohttp", "urllib3", "argcomplete")


def test_help_imports_nothing_heavy() -> None:
    """`--help` and parsing must not pay for kubernetes (~0.5 s), ovsdbapp, tabulate or yaml."""
    code = (
        "import sys, contextlib, io\n"
        "from kubectl_ovn_lsp.cli import main as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert cli.main(['explain', '--help']) == 0\n"
        "cli.build_parser().parse_args(['explain', 'vm-a', '-n', 'x', '-o', 'json'])\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_module_imports_on_its_own() -> None:
    """Whatever a caller imports first must work (a command module imported before the model it uses once hit
    bands/settings' circular import, gone with the release register). Each module of the plugin is imported with
    none of the plugin loaded before it."""
    code = (
        "import importlib, pathlib, sys\n"
        "import kubectl_ovn_lsp\n"
        "root = pathlib.Path(kubectl_ovn_lsp.__file__).parent\n"
        "names = ['kubectl_ovn_lsp.' + p.stem for p in root.glob('*.py') if p.stem != '__main__']\n"
        "for d in ('cli', 'commands', 'model', 'kube', 'nb', 'serve'):\n"
        "    names += ['kubectl_ovn_lsp.%s.%s' % (d, p.stem) for p in (root / d).glob('*.py')]\n"
        "failed = []\n"
        "for name in sorted(names):\n"
        "    for loaded in [m for m in sys.modules if m.startswith('kubectl_ovn_lsp')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {exc!r}')\n"
        "print(len(names), failed)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert int(out[0]) >= 110 and out[1].strip() == "[]", out


@pytest.mark.parametrize("text, expected", [("true", True), ("False", False), ("1", True), ("off", False)])
def test_boolean_flags(text: str, expected: bool) -> None:
    args = cli.build_parser().parse_args(["explain", "vm-a", "--keep-vm-ip", text])
    assert args.keep_vm_ip is expected


def test_defaults_follow_the_contract() -> None:
    args = cli.build_parser().parse_args(["explain", "vm-a"])
    assert (args.nb, args.output, args.request_timeout, args.color) == ("auto", "text", 10.0, "auto")
    assert args.keep_vm_ip is None and args.kube_ovn_version is None and args.namespace is None


def test_bad_boolean_is_a_usage_error(capsys) -> None:
    assert cli.main(["explain", "vm-a", "--keep-vm-ip", "maybe"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: argument --keep-vm-ip: expected true or false")
    assert "See 'kubectl ovn-lsp explain -h'" in err


def test_negative_timeout_is_a_usage_error(capsys) -> None:
    assert cli.main(["explain", "vm-a", "--request-timeout", "-1"]) == ExitStatus.USAGE


def _env(**environ: str) -> Environment:
    """A test Environment: its own streams and variables, nothing of this process."""
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ=environ)


def _raising(monkeypatch, error: BaseException) -> None:
    """explain's handler raises `error` (the parser binds handlers.explain when it is built)."""

    def handler(options, env):
        raise error

    monkeypatch.setattr(handlers, "explain", handler)


def test_plugin_errors_become_one_line_and_their_code(monkeypatch) -> None:
    _raising(monkeypatch, NotFound(kind="virtualmachine", name="x", namespace="y"))
    env = _env()
    assert cli.main(["explain", "x"], env) == ExitStatus.ERROR
    assert env.stderr.getvalue() == 'error: virtualmachine "x" not found in namespace "y"\n'
    assert env.stdout.getvalue() == ""


def test_unexpected_exceptions_never_print_a_traceback(monkeypatch) -> None:
    _raising(monkeypatch, KeyError("surprise"))
    env = _env()
    assert cli.main(["explain", "x"], env) == ExitStatus.ERROR
    err = env.stderr.getvalue()
    assert err.startswith("error: internal error: KeyError") and "Traceback" not in err and err.count("\n") == 1


def test_the_environment_asks_for_the_traceback(monkeypatch) -> None:
    """KUBECTL_OVN_LSP_TRACEBACK is read from the Environment the caller gives, not from this process."""
    _raising(monkeypatch, KeyError("surprise"))
    monkeypatch.delenv("KUBECTL_OVN_LSP_TRACEBACK", raising=False)
    with pytest.raises(KeyError):
        cli.main(["explain", "x"], _env(KUBECTL_OVN_LSP_TRACEBACK="1"))


def test_interrupt_is_130(monkeypatch) -> None:
    _raising(monkeypatch, KeyboardInterrupt())
    env = _env()
    assert cli.main(["explain", "x"], env) == 130
    assert env.stderr.getvalue() == "error: interrupted\n"


def test_main_in_process_with_a_test_environment() -> None:
    """Help, usage errors and a local command's output go to the given streams; $KUBE_OVN_NS is the given one."""
    env = _env()
    assert cli.main(["reasons", "-o", "json"], env) == 0
    assert json.loads(env.stdout.getvalue())["verdicts"][0] == {
        "verdict": "ok",
        "exitCode": 0,
        "meaning": "consistent: GC logs nothing for it and deletes nothing it needs",
    }
    env = _env()
    assert cli.main(["audit", "--help"], env) == 0
    assert env.stdout.getvalue().startswith("usage: kubectl ovn-lsp audit [-h]") and env.stderr.getvalue() == ""
    env = _env()
    assert cli.main(["explain", "vm-a", "--keep-vm-ip", "maybe"], env) == ExitStatus.USAGE
    assert env.stderr.getvalue() == (
        "error: argument --keep-vm-ip: expected true or false, got 'maybe'\n"
        "See 'kubectl ovn-lsp explain -h' for help and examples.\n"
    )
    env = _env(KUBE_OVN_NS="Bad_NS")
    assert cli.main(["audit", "-A"], env) == ExitStatus.USAGE
    assert env.stderr.getvalue().startswith('error: $KUBE_OVN_NS: "Bad_NS" is not a valid namespace name')


def _complete_raw(sandbox: Sandbox, *words: str) -> list[str]:
    proc = sandbox.kubectl("__complete", "ovn-lsp", *words)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def _complete(sandbox: Sandbox, *words: str) -> list[str]:
    lines = _complete_raw(sandbox, *words)
    assert lines[-1] == ":4"
    return [line.split("\t")[0] for line in lines[:-1]]


def test_completion_of_subcommands_and_flags(tc4: Sandbox) -> None:
    assert "explain" in _complete(tc4, "")
    assert "--kube-ovn-version" in _complete(tc4, "explain", "--kube")


def test_completion_of_namespaces_and_workloads(tc4: Sandbox) -> None:
    assert "test-ns" in _complete(tc4, "explain", "-n", "test")
    assert _complete(tc4, "explain", "-n", "test-ns", "vm") == ["vm-a"]
    assert _complete(tc4, "explain", "-n", "test-ns", "pod/") == ["pod/virt-launcher-vm-a-7xk2p"]


def test_completion_of_contexts_and_scenarios(tc4: Sandbox) -> None:
    assert _complete(tc4, "explain", "vm-a", "--context", "") == ["ovn-lsp-sandbox"]
    # the sandbox is its own executable with its own completion helper (kubectl_complete-ovn_lsp-sandbox)
    assert _complete_raw(tc4, "sandbox", "") == ["up", "down", "list", "append-log", "restart-container", ":4"]
    lines = _complete_raw(tc4, "sandbox", "up", "tc")
    assert "tc4" in lines and lines[-1] == ":0"  # a scenario file or dump directory may follow


def test_version_through_kubectl(tc4: Sandbox) -> None:
    from kubectl_ovn_lsp import __version__

    for argv in (["--version"], ["version"]):
        proc = tc4.kubectl("ovn-lsp", *argv)
        assert proc.returncode == 0 and proc.stdout.splitlines()[0] == f"kubectl ovn-lsp v{__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "vm/"],
        ["explain", "svc/x"],
        ["explain", "pod/a/b"],
        ["explain", "vm-a", "--kube-ovn-version", "v1.13"],
        ["explain", "vm-a", "--kube-ovn-version", "latest"],
    ],
)
def test_malformed_targets_and_versions_are_usage_errors(argv, capsys) -> None:
    assert cli.main(argv) == ExitStatus.USAGE
    assert capsys.readouterr().err.startswith("error: argument ")


@pytest.mark.parametrize("command", [["explain", "vm-a"], ["audit", "-A"], ["triage"]])
def test_a_release_older_than_every_checked_one_is_a_usage_error(command, capsys) -> None:
    """#18: `--kube-ovn-version v1.6.0` was replayed as master ("newer than every checked release"), verdict ok."""
    assert cli.main([*command, "--kube-ovn-version", "v1.6.0"]) == ExitStatus.USAGE
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: argument --kube-ovn-version: v1.6.0 is older than every release this plugin checked "
        "(v1.7.0–v1.16.2 and master): its GC was never read, so it cannot be replayed"
    )


@pytest.mark.parametrize(
    "given,normalised", [("1.13.4", "v1.13.4"), ("v1.12.20-mc", "v1.12.20-mc"), ("master", "master")]
)
def test_kube_ovn_version_is_normalised(given: str, normalised: str) -> None:
    args = cli.build_parser().parse_args(["explain", "vm-a", "--kube-ovn-version", given])
    assert args.kube_ovn_version == normalised


def test_each_lost_line_is_its_own_line_in_text() -> None:
    from kubectl_ovn_lsp.cli.render import explanation_text

    lines = [
        "lsp lost for pod vm1.ns, please delete the pod and retry",
        "lsp lost for pod vm1.ns.nad-b.ns.ovn, please delete the pod and retry",
    ]
    document = {
        "target": {"kind": "VirtualMachine", "namespace": "ns", "name": "vm1", "portOwner": "vm1", "pods": []},
        "kubeOvn": {
            "version": "v1.13.4",
            "band": "F",
            "keepVmIp": True,
            "enableExternalVpc": True,
            "nonPrimaryCniMode": False,
            "detectedFrom": "deployment",
            "deploymentVersion": "v1.13.4",
            "behaviourOf": "v1.13.4",
        },
        "nb": {"via": "exec", "endpoint": "kube-system/ovn-central-x", "leaderOnly": True},
        "ports": [],
        "gc": {"lostLogged": ["vm1.ns", "vm1.ns.nad-b.ns.ovn"], "wouldDelete": [], "message": "\n".join(lines)},
        "verdict": "false-positive",
        "advice": [],
        "notes": [],
    }
    text = explanation_text(document)
    assert f"GC logs: {lines[0]}\n" in text and f"GC logs: {lines[1]}\n" in text
    # under a stall the cluster finding names, GC logs nothing and deletes no port marked since (gc.go returns at
    # the failing delete): the same lines wait for the stall, and the blocker's own delete is not promised
    stall = {
        "kind": "gc-stalled",
        "verdict": "degraded",
        "reason": "GC1",
        "summary": "GC of logical switch ports cannot complete",
        "ports": ["acp.e2e"],
        "detail": [],
        "advice": [],
    }
    document["gc"]["wouldDelete"] = ["acp.e2e", "old.app"]
    stalled = explanation_text({**document, "cluster": [stall]})
    assert f"\nGC logs once the stall above is cleared: {lines[0]}\n" in stalled and "\nGC logs: " not in stalled
    assert "\nGC deletes once the stall above is cleared: old.app.\n" in stalled
    assert "GC will delete: acp.e2e, old.app.\n" in explanation_text(document)
