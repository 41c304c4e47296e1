"""Errors by layer: each layer raises its own typed errors, none carries an exit code, and the CLI's one table
(`cli/exit_status.py`) maps every one of them to exit 1 and one `error:` line (issue #19, item 1)."""

from __future__ import annotations

import importlib
import inspect
import io

import pytest

from kubectl_ovn_lsp.cli import handlers
from kubectl_ovn_lsp.cli import main as cli
from kubectl_ovn_lsp.commands.errors import Ambiguous, NotALog
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError, Timeout
from kubectl_ovn_lsp.kube.errors import Forbidden, KubeError, NoControllerPods
from kubectl_ovn_lsp.model.errors import MissingNad
from kubectl_ovn_lsp.nb.errors import NbError, NbTlsMaterial, NbUnavailable, NbUnreachable

LAYER_MODULES = (
    "kubectl_ovn_lsp.errors",
    "kubectl_ovn_lsp.kube.errors",
    "kubectl_ovn_lsp.nb.errors",
    "kubectl_ovn_lsp.commands.errors",
    "kubectl_ovn_lsp.model.errors",
)


def _run(monkeypatch, error: BaseException) -> tuple[int, str, str]:
    def handler(options, env):
        raise error

    monkeypatch.setattr(handlers, "explain", handler)
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    code = cli.main(["explain", "x"], env)
    return code, env.stdout.getvalue(), env.stderr.getvalue()


@pytest.mark.parametrize(
    "error, line",
    [
        (
            Forbidden(verb="get", resource="pods", where=' in namespace "a"', server_message="no"),
            'error: forbidden: cannot get pods in namespace "a" (no); ask for RBAC get on pods\n',
        ),
        (
            NoControllerPods(selector="app=kube-ovn-controller", namespace="kube-system"),
            'error: no kube-ovn-controller pod (label app=kube-ovn-controller) in namespace "kube-system": set '
            "--ovn-namespace, or read a saved log with -f FILE\n",
        ),
        (
            NbUnavailable(endpoint="kube-system/ovn-central-0", reason="x"),
            "error: OVN NB at kube-system/ovn-central-0: x\n",
        ),
        (NbUnreachable("NB tcp:127.0.0.1:1: connection refused"), "error: NB tcp:127.0.0.1:1: connection refused\n"),
        (NbTlsMaterial("TLS file not found: /k"), "error: TLS file not found: /k\n"),
        (Timeout(what="NB", seconds=3), "error: NB did not answer within 3s (--request-timeout)\n"),
        (
            Ambiguous(port="a.b", owners="b/a, b/c"),
            'error: port name "a.b" fits several owners: b/a, b/c; name one as vm/NAME or pod/NAME with -n\n',
        ),
        (
            NotALog(source="'f'"),
            "error: 'f' holds no kube-ovn-controller log line (klog format, e.g. "
            "'E0319 09:14:58.247743 7 gc.go:430] …')\n",
        ),
        (
            MissingNad(nad_name="n", nad_namespace="ns", namespace="ns", pod="p"),
            'error: network-attachment-definition "n" not found in namespace "ns" (referenced by pod ns/p)\n',
        ),
    ],
)
def test_every_layers_error_is_exit_1_and_its_one_line(monkeypatch, error: BaseException, line: str) -> None:
    assert _run(monkeypatch, error) == (1, "", line)


@pytest.mark.parametrize(
    "error",
    [
        SystemError("error return without exception set"),
        SystemError("<function _find_and_load at 0x7f> returned NULL without setting an exception"),
        ValueError("field 'target' is required for AnnAssign"),
    ],
)
def test_cpythons_lost_memory_error_under_a_memory_limit_is_out_of_memory(monkeypatch, error: Exception) -> None:
    """Under `ulimit -v`, CPython 3.11's import machinery can report a failed allocation as one of these
    SystemErrors (seen in tests/e2e/test_faults.py::test_no_memory_is_one_line), and its compiler as this
    ValueError (a syntax-tree node missing the child whose allocation failed: `version` at ~17 MB compiling a module
    without cached bytecode, tests/cli/test_start_failures.py); without a limit they stay internal errors, since
    nothing else says memory ran out."""
    import resource

    real = resource.getrlimit
    limited = {resource.RLIMIT_AS: (30 << 20, 30 << 20)}
    monkeypatch.setattr(resource, "getrlimit", lambda which: limited.get(which) or real(which))
    assert _run(monkeypatch, error) == (
        1,
        "",
        "error: out of memory: the command needs more memory than this process may use (ulimit -v, a cgroup limit)\n",
    )
    unlimited = {resource.RLIMIT_AS: (resource.RLIM_INFINITY,) * 2, resource.RLIMIT_DATA: (resource.RLIM_INFINITY,) * 2}
    monkeypatch.setattr(resource, "getrlimit", lambda which: unlimited[which])
    code, out, err = _run(monkeypatch, error)
    assert (code, out) == (1, "") and err.startswith(f"error: internal error: {type(error).__name__}: "), err


def test_a_closed_pipe_is_exit_0_and_silent(monkeypatch) -> None:
    assert _run(monkeypatch, BrokenPipeError()) == (0, "", "")


def test_no_error_class_carries_an_exit_code() -> None:
    """Exit codes live only in the CLI: no class of the layers' error modules has one, under any usual name."""
    classes = [
        cls
        for name in LAYER_MODULES
        for _, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == name
    ]
    assert len(classes) >= 30  # the modules were found and hold the hierarchies
    for cls in classes:
        assert not {"exit_status", "exit_code", "status", "code"} & set(dir(cls)), cls


def test_the_layers_have_their_own_roots() -> None:
    assert issubclass(Forbidden, KubeError) and not issubclass(Forbidden, NbError)
    assert issubclass(NbUnreachable, NbError) and not issubclass(NbUnreachable, KubeError)
    assert all(issubclass(c, PluginError) for c in (KubeError, NbError, Ambiguous, Timeout))
