"""Untrusted strings never drive the terminal: a port name in NB, a controller log line, an object name and an
annotation holding terminal escapes reach every text and wide output escaped (`\\x1b`, never the byte), in tables,
details, notes and advice alike; JSON and YAML keep them as exact data (issue #15).

One sandbox (the triage scenario plus the hostile objects, NB ports and log lines below), every command and output
form through the real `kubectl ovn-lsp`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin

pytestmark = pytest.mark.clock  # triage's --since window and ages against the clock

TITLE = "\x1b]0;pwned\x07"  # OSC: retitles the terminal, BEL ends it
CLEAR = "\x1b[2J\x1b[H"  # CSI: clears the screen
C1 = "\x9b31m"  # the 8-bit CSI
PORT = f"evil{TITLE}{CLEAR}.app"  # an NB port whose owner pod app/evil is gone: stale in audit and triage
LOGGED = f"lg{C1}\b.app"  # a name only a controller log line holds (history in triage); backspace rewrites
POD = f"pod{CLEAR}x"  # an object name a replayed dump can hold
STRAY = f"web-5f7c.app{TITLE}"  # an NB port keyed to the existing pod app/web-5f7c: explain of the pod shows it
ANNOTATION = f"a/b/c{TITLE}"  # a malformed Multus annotation: the audit item's error quotes it
RAW = ("\x1b", "\x07", "\x9b", "\r", "\b")


def _scenario() -> dict:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": POD,
            "namespace": "app",
            "uid": "uid-hostile-pod",
            "creationTimestamp": "2026-11-01T00:00:00Z",
            "annotations": {"k8s.v1.cni.cncf.io/networks": ANNOTATION},
        },
        "spec": {"nodeName": "node1", "containers": [{"name": "main", "image": "x"}]},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]},
    }
    port = {
        "name": PORT,
        "type": "",
        "addresses": ["00:00:00:AA:0E:01 10.16.0.201"],
        "external_ids": {"pod": "app/evil", "ls": "ovn-default", "vendor": "kube-ovn"},
        "options": {},
    }
    log = "\n".join(
        [
            "I1127 10:00:00.118000       1 gc.go:186] start to gc logical switch ports",
            f"E1127 10:00:00.120001       1 gc.go:476] lsp lost for pod {PORT}, please delete the pod and retry",
            f"E1127 10:00:00.120002       1 gc.go:476] lsp lost for pod {LOGGED}, please delete the pod and retry",
            f"I1127 10:00:00.120003       1 gc.go:436] gc logical switch port {PORT}",
            "",
        ]
    )
    stray = dict(port, name=STRAY, external_ids={"pod": "app/web-5f7c", "ls": "ovn-default", "vendor": "kube-ovn"})
    return {
        "name": "hostile-output",
        "authoredAt": "2026-11-27T11:00:00Z",
        "include": ["triage-gc-lines"],
        "nb": {"derive": True, "switches": [{"name": "ovn-default", "ports": [port, stray]}]},
        "objects": [pod],
        "logs": {"kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp": log},
    }


@pytest.fixture(scope="module")
def hostile(sandbox_factory, tmp_path_factory) -> Sandbox:
    path = tmp_path_factory.mktemp("hostile") / "hostile-output.yaml"
    path.write_text(yaml.safe_dump(_scenario()))
    return sandbox_factory(str(path))


def _no_raw_control(text: str, colour: bool = False) -> None:
    shown = re.sub(r"\x1b\[[0-9;]*m", "", text) if colour else text  # only our own colour codes may remain
    for char in RAW:
        assert char not in shown, (char, text)


COMMANDS = [
    ["audit", "-A"],
    ["audit", "-A", "-o", "wide"],
    ["audit", "-n", "app", "--no-headers"],
    ["triage"],
    ["triage", "-o", "wide"],
    ["triage", "--no-headers", "-o", "wide"],
    ["explain", "web-5f7c", "-n", "app"],
    ["explain", "web-5f7c", "-n", "app", "-o", "wide"],
    ["explain", PORT, "-n", "app"],  # not a valid object name: the usage error quotes it escaped
    ["audit", "-A", "--upgrade-to", "v1.12.2", "-o", "wide"],  # the upgrade's changes name ports and owners too
    ["audit", "-A", "--upgrade-to", "all"],
    ["explain", "web-5f7c", "-n", "app", "--upgrade-to", "v1.12.2"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a).encode("unicode_escape").decode())
def test_text_and_wide_escape_every_untrusted_string(hostile: Sandbox, argv: list[str]) -> None:
    proc = run_plugin(hostile, *argv)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    _no_raw_control(proc.stdout)
    _no_raw_control(proc.stderr)
    assert proc.stdout or proc.stderr.startswith("error: ")


def test_the_escaped_names_are_shown(hostile: Sandbox) -> None:
    """Escaped, not dropped: the reader sees what the name holds, and each table row stays one line."""
    audit = run_plugin(hostile, "audit", "-A", "-o", "wide").stdout
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H.app=stale" in audit
    assert re.search(r"^app +Pod +pod\\x1b\[2J\\x1b\[Hx +error ", audit, re.M), audit
    every = "ok,stale,no-port,false-positive,degraded,lost,deletion-risk"  # routine names too (#18 folds them)
    triage = run_plugin(hostile, "triage", "--no-headers", "--only", every).stdout
    rows = [line for line in triage.splitlines() if line.startswith(("evil", "lg"))]
    assert rows == [r for r in rows if len(r.split()) == 7], triage  # NAME … REASON: seven fields, one line each
    assert any(r.startswith("lg\\x9b31m\\x08.app ") for r in rows), triage
    explain = run_plugin(hostile, "explain", "web-5f7c", "-n", "app").stdout
    assert "web-5f7c.app\\x1b]0;pwned\\x07 " in explain, explain


def test_colour_codes_are_the_only_escapes(hostile: Sandbox) -> None:
    proc = run_plugin(hostile, "audit", "-A", "-o", "wide", "--color", "always")
    assert "\x1b[" in proc.stdout  # the verdict words are painted
    _no_raw_control(proc.stdout, colour=True)


@pytest.mark.parametrize("output", ["json", "yaml"])
def test_json_and_yaml_keep_exact_data(hostile: Sandbox, output: str) -> None:
    audit = run_plugin(hostile, "audit", "-A", "-o", output).stdout
    _no_raw_control(audit)  # both escape control characters in their own syntax
    document = json.loads(audit) if output == "json" else yaml.safe_load(audit)
    ports = {p["name"] for item in document["items"] for p in item["ports"]}
    assert PORT in ports
    assert [i["verdict"] for i in document["items"] if i["target"]["name"] == POD] == ["error"]
    triage = run_plugin(hostile, "triage", "-o", output).stdout
    document = json.loads(triage) if output == "json" else yaml.safe_load(triage)
    assert {PORT, LOGGED} <= {i["port"] for i in document["items"]}


def test_a_saved_log_and_the_verbose_trace(hostile: Sandbox, tmp_path: Path) -> None:
    """`triage -f` of a pasted log, and `-v`'s request trace on stderr (it prints names too)."""
    log = tmp_path / "controller.log"
    log.write_text(_scenario()["logs"]["kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"])
    proc = run_plugin(hostile, "triage", "-f", str(log), "-o", "wide")
    assert proc.returncode in (0, 3, 4, 5, 6), proc.stderr
    _no_raw_control(proc.stdout)
    proc = run_plugin(hostile, "audit", "-n", "app", "-v")
    _no_raw_control(proc.stderr)
    assert "I kube: GET" in proc.stderr
