"""`serve`'s command line: its flags' values (usage errors, exit 2) and an address it cannot bind (exit 1, one
`error:` line), as every command reports them."""

from __future__ import annotations

import io
import socket

import pytest

from kubectl_ovn_lsp.cli.main import main
from kubectl_ovn_lsp.environment import Environment


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), Environment(stdout=io.StringIO(), stderr=err, environ={}))
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--listen", "9810"], "argument --listen: expected HOST:PORT or :PORT (port 0-65535), got '9810'"),
        (["--listen", ":70000"], "argument --listen: expected HOST:PORT or :PORT (port 0-65535), got ':70000'"),
        (["--listen", "::1:9810"], "argument --listen: write an IPv6 address in brackets, [::1]:9810, got '::1:9810'"),
        (["--interval", "0"], "argument --interval: must be at least 100ms, got '0'"),
        (["--interval=-1m"], "argument --interval: must not be negative, got '-1m'"),
        (["--max-finding-series", "0"], "argument --max-finding-series: must be at least 1"),
        (["--log-source", "file"], "argument --log-source: invalid choice: 'file' (choose from 'pods', 'none')"),
        (["-n", "app"], "argument -n/--namespace: serve watches every namespace; drop -n"),
        (["-o", "json"], "unrecognized arguments: -o json"),
    ],
)
def test_bad_values_are_usage_errors(args: list[str], message: str) -> None:
    code, err = run("serve", *args)
    assert code == 2
    assert err.splitlines()[0] == f"error: {message}"


def test_an_address_in_use_is_one_error_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, err = run("serve", "--listen", f"127.0.0.1:{port}")
    assert code == 1
    assert err == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.parametrize(
    ("args", "seconds"),
    [
        ([], 360.0),  # the default --interval, 6m
        (["--interval", "1m"], 60.0),
        (["--interval", "300ms"], 10.0),  # never below 10 s
        (["--interval", "1m", "--request-timeout", "5s"], 5.0),
        (["--request-timeout", "5m"], 300.0),
        (["--request-timeout", "0"], None),  # no limit
    ],
)
def test_each_cycles_bound_is_the_interval_unless_given(args: list[str], seconds: float | None) -> None:
    """A cycle reads the whole cluster (a fixed 10 s failed every cycle at 30,000 pods): not given, the bound is
    the --interval, at least 10 s."""
    from kubectl_ovn_lsp.cli.parser import build_parser
    from kubectl_ovn_lsp.options import ServeOptions

    parsed = build_parser().parse_args(["serve", *args])
    options = parsed.flags.record(parsed, Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}))
    assert isinstance(options, ServeOptions)
    assert options.common.kube.request_timeout.seconds == seconds
