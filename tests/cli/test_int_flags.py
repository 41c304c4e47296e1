"""Whole-number flags parse as kubectl's int64 flags do (pflag: Go's `strconv.ParseInt(text, 0, 64)`), and a value
kubectl's flag parser refuses is refused with kubectl's own words, exit 2 (README "Exit codes").

`--chunk-size 99999999999999999999` was accepted (kubectl: `value out of range`); `--tail` and `--limit-bytes`
above int64 ended in an internal OverflowError, ` 5` was a number and `0x10`, `010` (octal 8 for kubectl) were not
or were 10; `--since 99999999999999999999s` was an internal error. The expectations come from the real kubectl
1.32 run side by side on the sandbox: its error line, or the value it sends (`?limit=N`, `?tailLines=N`).
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from kubectl_ovn_lsp.cli.main import build_parser
from tests.sandboxes import Sandbox, run_plugin

# kubectl's accepted and refused forms: range edges, Go's base prefixes and underscores, what Python's int() takes
VALUES = [
    "99999999999999999999",
    "9223372036854775808",
    "9223372036854775807",
    "abc",
    "1.5",
    " 5",
    "0x10",
    "010",
    "08",
    "1_000",
    "0_7",
    "_1",
    "0x",
    "+5",
    "",
    "9999999999999999999x",
    "99999999999999999999x",
]


def _ours(argv: list[str], dest: str) -> tuple[str, object]:
    """("value", parsed) or ("error", the stderr of the usage error) from the plugin's own parser."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:
        assert exc.code == 2, (argv, exc.code)
        return "error", err.getvalue()
    return "value", getattr(args, dest)


def _kubectls(sandbox: Sandbox, argv: list[str], parameter: str) -> tuple[str, object]:
    """("value", N as kubectl sends it in `?parameter=N`) or ("error", its error line as the plugin words it)."""
    proc = sandbox.kubectl(*argv, "-v=6", "--request-timeout=10s")
    if "invalid argument" in proc.stderr:
        first = proc.stderr.splitlines()[0]
        assert first.startswith("Error: invalid argument "), proc.stderr
        return "error", "error: " + first.removeprefix("Error: ")
    found = re.search(rf"[?&]{parameter}=(\d+)", proc.stderr)
    assert found, proc.stderr[-2000:]
    return "value", int(found.group(1))


def test_chunk_size_is_what_kubectl_get_takes(tc4: Sandbox) -> None:
    for value in VALUES:
        theirs = _kubectls(tc4, ["get", "pods", "-n", "test-ns", "--chunk-size", value], "limit")
        for command in (["audit", "-A"], ["serve"]):
            kind, ours = _ours([*command, "--chunk-size", value], "chunk_size")
            if theirs[0] == "value":
                assert (kind, ours) == theirs, (command, value)
            else:
                see = f"See 'kubectl ovn-lsp {command[0]} -h' for help and examples.\n"
                assert (kind, ours) == ("error", f"{theirs[1]}\n{see}"), (command, value)


@pytest.mark.parametrize("flag, parameter", [("--tail", "tailLines"), ("--limit-bytes", "limitBytes")])
def test_log_flags_are_what_kubectl_logs_takes(tc4: Sandbox, flag: str, parameter: str) -> None:
    for value in ("99999999999999999999", "9223372036854775807", " 5", "0x10", "010", "1_000"):
        theirs = _kubectls(tc4, ["logs", "-n", "test-ns", "virt-launcher-vm-a-7xk2p", flag, value], parameter)
        kind, ours = _ours(["triage", flag, value], flag[2:].replace("-", "_"))
        if theirs[0] == "value":
            assert (kind, ours) == theirs, (flag, value)
        else:
            assert (kind, ours) == ("error", f"{theirs[1]}\nSee 'kubectl ovn-lsp triage -h' for help and examples.\n")


def test_since_beyond_gos_largest_duration_is_kubectls_error(tc4: Sandbox) -> None:
    for value in ("99999999999999999999s", "2562048h", "2562047h47m16.854775808s", "2562047h47m16.854775807s"):
        theirs = _kubectls(tc4, ["logs", "-n", "test-ns", "virt-launcher-vm-a-7xk2p", "--since", value], "sinceSeconds")
        kind, ours = _ours(["triage", "--since", value], "since")
        if theirs[0] == "value":  # accepted (kubectl rounds to whole seconds, saturating near the largest)
            assert kind == "value", value
        else:
            assert (kind, ours) == ("error", f"{theirs[1]}\nSee 'kubectl ovn-lsp triage -h' for help and examples.\n")


def test_the_largest_values_run_to_a_verdict(tc4: Sandbox) -> None:
    """int64's largest --tail, --limit-bytes and --chunk-size, and Go's largest --since, reach the API and the replay
    (they ended in an internal OverflowError before, or were not tried)."""
    largest = "9223372036854775807"
    proc = run_plugin(tc4, "triage", "--tail", largest, "--limit-bytes", largest, "--since", "2562047h47m16.854775807s")
    assert proc.returncode in (0, 3, 4, 5, 6) and "error" not in proc.stderr, proc.stderr
    proc = run_plugin(tc4, "audit", "-A", "--chunk-size", largest)
    assert proc.returncode == 4 and proc.stderr == "", proc.stderr  # tc4's false positive


def test_log_flag_bounds_are_kubectl_logs_bounds(tc4: Sandbox) -> None:
    """kubectl logs: --tail below -1 and a negative --limit-bytes are refused in these words, and --limit-bytes 0
    is no limit (no limitBytes sent). Here `--tail -2` said "must not be negative" (-1 is allowed) and
    `triage --limit-bytes 0` sent limitBytes=0, which the API server refuses (exit 1, a 422)."""
    pod = ["logs", "-n", "test-ns", "virt-launcher-vm-a-7xk2p"]
    for flag, value, reason in (
        ("--tail", "-2", "must be greater than or equal to -1"),
        ("--limit-bytes", "-1", "must be greater than 0"),
    ):
        theirs = tc4.kubectl(*pod, flag, value)
        assert theirs.stderr == f"error: {flag} {reason}\n", theirs.stderr
        assert _ours(["triage", flag, value], flag[2:].replace("-", "_")) == (
            "error",
            f"error: argument {flag}: {reason}\nSee 'kubectl ovn-lsp triage -h' for help and examples.\n",
        )
    unlimited = tc4.kubectl(*pod, "--limit-bytes", "0", "-v=6")
    assert unlimited.returncode == 0 and "/log?" in unlimited.stderr and "limitBytes" not in unlimited.stderr
    assert _ours(["triage", "--limit-bytes", "0"], "limit_bytes") == ("value", None)
    proc = run_plugin(tc4, "triage", "--limit-bytes", "0")
    assert proc.returncode in (0, 3, 4, 5, 6) and "error" not in proc.stderr, proc.stderr


def test_the_plugins_own_bounds_keep_their_words() -> None:
    """Negative counts and a zero --max-finding-series are the plugin's own limits (kubectl has no such flag or
    lets the API server refuse them), in the plugin's words; above int64 is kubectl's range error."""
    assert _ours(["audit", "-A", "--chunk-size", "-1"], "chunk_size") == (
        "error",
        "error: argument --chunk-size: must be 0 (one request per kind) or more\n"
        "See 'kubectl ovn-lsp audit -h' for help and examples.\n",
    )
    assert _ours(["triage", "--tail", "-1"], "tail") == ("value", None)
    assert _ours(["serve", "--max-finding-series", "99999999999999999999"], "max_finding_series") == (
        "error",
        'error: invalid argument "99999999999999999999" for "--max-finding-series" flag: strconv.ParseInt: parsing '
        "\"99999999999999999999\": value out of range\nSee 'kubectl ovn-lsp serve -h' for help and examples.\n",
    )
