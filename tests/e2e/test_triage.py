"""`triage` end to end through kubectl: from the controller pods, `-f FILE` and `-f -`, via exec and tcp; each
class of the acceptance scenario; explain agrees on every lost item with an owner; bad input never aborts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.sandboxes import Sandbox, run_plugin

pytestmark = pytest.mark.clock  # log windows and ages against the clock

HERE = Path(__file__).parent / "scenarios"
EXPECTED = {  # port: (event, verdict, reason, owner, stillLogged)
    "gone-vm.app": ("lost", "ok", None, None, False),
    "old-pod.app": ("deleted", "ok", None, None, False),
    "vm-new.app": ("lost", "false-positive", "FP3", ("VirtualMachine", "app", "vm-new"), True),
    "vm-stopped.app.nad-x.app.ovn": (
        "deleted",
        "deletion-risk",
        "DEL2",
        ("VirtualMachine", "app", "vm-stopped"),
        False,
    ),
    "web-5f7c.app": ("lost", "lost", None, ("Pod", "app", "web-5f7c"), True),
}


def _classes(document: dict) -> dict:
    return {
        i["port"]: (
            i["event"],
            i["verdict"],
            i["reason"],
            None if i["owner"] is None else (i["owner"]["kind"], i["owner"]["namespace"], i["owner"]["name"]),
            i["stillLogged"],
        )
        for i in document["items"]
    }


def _controller_log(sandbox: Sandbox) -> str:
    return sandbox.kubectl("logs", "-n", "kube-system", "deploy/kube-ovn-controller").stdout


@pytest.fixture(scope="module")
def tg(sandbox_factory) -> Sandbox:
    return sandbox_factory("triage-gc-lines")


@pytest.mark.parametrize("source", ["pods", "file", "stdin", "pods-tcp"])
def test_every_class_from_every_source(tg: Sandbox, tmp_path: Path, source: str) -> None:
    args = ["triage", "-o", "json"]
    stdin = None
    if source == "file":
        path = tmp_path / "controller.log"
        path.write_text(_controller_log(tg))
        args += ["-f", str(path)]
    elif source == "stdin":
        args += ["-f", "-"]
        stdin = _controller_log(tg)
    elif source == "pods-tcp":
        args += ["--nb", tg.nb_remotes]
    proc = subprocess.run(
        ["kubectl", "ovn-lsp", *args], input=stdin, capture_output=True, text=True, env=tg.env(), timeout=60
    )
    assert proc.returncode == 5, proc.stderr  # the worst: deletion-risk
    document = json.loads(proc.stdout)
    assert _classes(document) == EXPECTED
    assert document["summary"] == {
        "beforeSince": 0,
        "lines": 10,
        "skipped": 6,
        "ports": 5,
        "verdicts": {"deletion-risk": 1, "false-positive": 1, "lost": 1, "ok": 2},
    }
    web = next(i for i in document["items"] if i["port"] == "web-5f7c.app")
    assert web["gcLines"] == ["gc.go:476"] and web["releases"] == [{"from": "v1.14.0", "to": "v1.14.6"}]
    assert (
        web["count"] == 3
        and web["firstSeen"] == tg.at("2026-11-27T09:54:00Z")
        and web["lastSeen"] == tg.at("2026-11-27T10:06:00Z")
    )
    assert any(n.startswith("klog lines carry no year or zone") for n in document["notes"])
    assert document["source"] == (
        {"file": "-"}
        if source == "stdin"
        else {"file": str(tmp_path / "controller.log")}
        if source == "file"
        else {"pods": ["kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp"]}
    )


def test_lost_items_with_an_owner_are_what_explain_says(tg: Sandbox) -> None:
    document = json.loads(run_plugin(tg, "triage", "-o", "json").stdout)
    checked = 0
    for item in document["items"]:
        if item["event"] != "lost" or item["owner"] is None:
            continue
        explained = json.loads(run_plugin(tg, "explain", item["port"], "-o", "json").stdout)
        port = next(p for p in explained["ports"] if p["name"] == item["port"])
        assert (port["verdict"], port["reason"]) == (item["verdict"], item["reason"]), item["port"]
        assert explained["target"]["name"] == item["owner"]["name"]
        checked += 1
    assert checked == 2


def test_a_port_gc_already_deleted_is_one_verdict_in_every_view(tg: Sandbox) -> None:
    """#18: triage said deletion-risk DEL2 (exit 5), explain and audit lost DEL2 (exit 3), `audit --only
    deletion-risk` found nothing, and explain said both "upgrade" and "no checked release fixes this"."""
    port = "vm-stopped.app.nad-x.app.ovn"
    explained = run_plugin(tg, "explain", "vm-stopped", "-n", "app", "--kube-ovn-version", "all", "-o", "json")
    assert explained.returncode == 5, explained.stderr
    document = json.loads(explained.stdout)
    finding = next(p for p in document["ports"] if p["name"] == port)
    assert (finding["verdict"], finding["reason"], document["verdict"]) == ("deletion-risk", "DEL2", "deletion-risk")
    assert not [a for a in document["advice"] if "none of the checked releases" in a]
    assert (
        "Which release fixes this workload: none brings back vm-stopped.app.nad-x.app.ovn (already deleted); GC no "
        "longer deletes it in every release from v1.14.5 on (by release: see byRelease)."
    ) in document["advice"]
    audited = run_plugin(tg, "audit", "-A", "--only", "deletion-risk", "-o", "json")
    assert audited.returncode == 5, audited.stderr
    assert [i["target"]["name"] for i in json.loads(audited.stdout)["items"]] == ["vm-stopped"]
    assert json.loads(audited.stdout)["summary"]["reasons"] == {"DEL2": 1, "FP3": 1}


def test_text_rows_and_advice_once(tg: Sandbox) -> None:
    proc = run_plugin(tg, "triage")
    lines = proc.stdout.splitlines()
    # #18: the source and the release replayed, with where it came from
    assert lines[:4] == [
        "Source:    the logs of kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp",
        "Kube-OVN:  v1.14.2, band H (from the kube-ovn-controller Deployment); keep-vm-ip=true "
        "enable-external-vpc=true non-primary-cni-mode=false",
        "NB:        exec kube-system/ovn-central-6b8f5c7d9-k4m2n (raft leader)",
        "",
    ]
    lines = lines[4:]
    assert lines[0].split() == ["NAME", "EVENT", "COUNT", "LAST", "SEEN", "OWNER", "VERDICT", "REASON"]
    # most severe first; the two routine names (history, clean-up) are folded into the summary line
    assert [line.split()[0] for line in lines[1:4]] == ["vm-stopped.app.nad-x.app.ovn", "web-5f7c.app", "vm-new.app"]
    assert lines[4] == ""
    assert lines[5].endswith("; 2 routine (ok: history or clean-up) not listed: -o wide lists them")
    assert lines[1].split() == [
        "vm-stopped.app.nad-x.app.ovn",
        "deleted",
        "1",
        tg.at("2026-11-27T10:00:00Z"),
        "VirtualMachine/app/vm-stopped",
        "deletion-risk",
        "DEL2",
    ]
    assert proc.stdout.count("fixed in v1.14.5 on release-1.14 (also v1.15.0); #5557") == 1
    wide = run_plugin(tg, "triage", "-o", "wide", "--no-headers").stdout.splitlines()
    assert [r.split()[0] for r in wide] == [
        "vm-stopped.app.nad-x.app.ovn",
        "web-5f7c.app",
        "vm-new.app",
        "gone-vm.app",
        "old-pod.app",
    ]
    assert sorted(r.split()[0] for r in wide) == sorted(EXPECTED)


def test_the_readmes_example_is_what_triage_prints(tg: Sandbox) -> None:
    """The README's triage example is the sandbox's output byte for byte, its authored log times moved as the
    sandbox moves them (a new user's run found its DEL2 paragraph a release-register change behind)."""
    import re
    from datetime import datetime, timezone

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    command = "$ kubectl ovn-lsp triage            # the triage-gc-lines scenario\n"
    block = readme.split(command, 1)[1].split("```", 1)[0]
    expected = re.sub(r"2026-11-27T\d\d:\d\d:\d\dZ", lambda m: tg.at(m.group(0)), block)
    year = datetime.now(timezone.utc).year  # klog lines carry no year: the plugin assumes its clock's (faketime too)
    expected = expected.replace("zone; 2026 and UTC assumed", f"zone; {year} and UTC assumed")
    assert run_plugin(tg, "triage").stdout == expected


def test_only_some_verdicts(tg: Sandbox) -> None:
    """#18: `triage --only VERDICT[,…]` keeps those names (JSON in port-name order); the summary and the exit code
    still count every name."""
    proc = run_plugin(tg, "triage", "--only", "lost,false-positive", "-o", "json")
    assert proc.returncode == 5, proc.stderr
    document = json.loads(proc.stdout)
    assert [i["port"] for i in document["items"]] == ["vm-new.app", "web-5f7c.app"]
    assert document["only"] == ["false-positive", "lost"] and document["summary"]["ports"] == 5
    rows = run_plugin(tg, "triage", "--only", "ok", "--no-headers").stdout.splitlines()
    assert [r.split()[0] for r in rows] == ["gone-vm.app", "old-pod.app"]
    none = run_plugin(tg, "triage", "--only", "degraded")
    assert "No port name matches --only degraded." in none.stdout and none.returncode == 5


def test_restarted_controller_and_a_forbidden_replica(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "triage-restarted.yaml"))
    proc = run_plugin(sandbox, "triage", "-o", "json")
    assert proc.returncode == 5, proc.stderr
    document = json.loads(proc.stdout)
    assert document["source"]["pods"] == [
        "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp (previous)",
        "kube-system/kube-ovn-controller-5d8f7c9b6-x2lqp",
    ]
    assert [
        n
        for n in document["notes"]
        if "could not read the log of kube-system/kube-ovn-controller-5d8f7c9b6-q8w4t" in n and "pods/log" in n
    ]
    assert {i["port"]: i["count"] for i in document["items"]}["vm-new.app"] == 4  # 1 previous + 3 current


def test_since_and_tail_on_a_file(tg: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "stamped.log"
    path.write_text(  # one line two hours old, one of now: --since 1h keeps the second
        f"{_dt_now(-7200)} E1127 09:54:00.120001 1 gc.go:476] lsp lost for pod vm-new.app, "
        "please delete the pod and retry\n" + f"{_dt_now()} E1127 10:06:00.120002 1 gc.go:476] lsp lost for "
        "pod web-5f7c.app, please delete the pod and retry\n"
    )
    document = json.loads(run_plugin(tg, "triage", "-f", str(path), "--since", "1h", "-o", "json").stdout)
    assert [i["port"] for i in document["items"]] == ["web-5f7c.app"]
    assert document["summary"]["beforeSince"] == 1 and document["summary"]["skipped"] == 0
    tail = json.loads(run_plugin(tg, "triage", "-f", str(path), "--tail", "1", "-o", "json").stdout)
    assert [i["port"] for i in tail["items"]] == ["web-5f7c.app"] and tail["summary"]["lines"] == 1


def _dt_now(offset: float = 0) -> str:
    from datetime import datetime, timedelta, timezone

    return (datetime.now(timezone.utc) + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.mark.parametrize(
    "content, code, message",
    [
        (b"", 1, "error: standard input holds no kube-ovn-controller log line"),
        (b"just some text\nnot a log\n", 1, "error: standard input holds no kube-ovn-controller log line"),
        (
            b"I1127 09:53:42.402117 1 controller.go:218] started\n",
            0,
            "no 'lsp lost' or 'gc logical switch port' line matched (1 other lines)",
        ),
        (
            b"\xff\xfe\x00garbage\nE1127 10:06:00.1 1 gc.go:476] lsp lost for pod vm-new.app, "
            b"please delete the pod and retry\nE1127 10:06:00.1 1 gc.go:476] lsp lost for pod vm-n",
            4,
            "",
        ),  # non-UTF-8, a truncated last line
    ],
)
def test_bad_logs_are_counted_never_a_traceback(tg: Sandbox, content: bytes, code: int, message: str) -> None:
    proc = subprocess.run(
        ["kubectl", "ovn-lsp", "triage", "-f", "-"], input=content, capture_output=True, env=tg.env(), timeout=60
    )
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err and err.count("\n") <= 1
    assert err.startswith(message)


def test_a_missing_file_is_one_error_line(tg: Sandbox, tmp_path: Path) -> None:
    proc = run_plugin(tg, "triage", "-f", str(tmp_path / "nope.log"))
    assert (
        proc.returncode == 1
        and proc.stderr == f"error: cannot read '{tmp_path / 'nope.log'}': No such file or directory\n"
    )


def test_no_readable_controller_log_is_no_answer(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "triage-logs-forbidden.yaml"))
    proc = run_plugin(sandbox, "triage")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("error: forbidden: cannot get pods/log") and proc.stderr.count("\n") == 1


def test_a_name_whose_owner_cannot_be_judged_is_an_error_as_in_audit(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "triage-vms-forbidden.yaml"))
    proc = run_plugin(sandbox, "triage", "-o", "json")
    assert proc.returncode == 1 and proc.stderr == "error: 1 port name(s) could not be judged (verdict error)\n"
    document = json.loads(proc.stdout)
    assert [(i["port"], i["verdict"], i["owner"], i["detail"]) for i in document["items"]] == [
        (
            "vm-a.test-ns",
            "error",
            {"kind": "VirtualMachineInstance", "namespace": "test-ns", "name": "vm-a"},
            "virtualmachineinstance test-ns/vm-a: cannot be judged: virtualmachines could not be read",
        )
    ]
    assert document["verdict"] == "error"
    audit = run_plugin(sandbox, "audit", "-A")
    assert audit.returncode == 1 and audit.stderr == "error: 1 owner(s) could not be judged (verdict error)\n"
    wide = run_plugin(sandbox, "triage", "-o", "wide").stdout
    row = next(line for line in wide.splitlines() if line.startswith("vm-a.test-ns"))
    assert row.split()[5:9] == ["error", "-", "gc.go:430", "-"]  # whether GC logs it now is not known


def test_log_window_flags_take_kubectls_values(tg: Sandbox, tmp_path: Path) -> None:
    path = tmp_path / "controller.log"
    path.write_text(_controller_log(tg))
    for args in (["--since", "72h"], ["--tail", "-1"], ["--since", "0"]):
        proc = run_plugin(tg, "triage", "-f", str(path), *args, "-o", "json")
        assert proc.returncode == 5, (args, proc.stderr)
    assert run_plugin(tg, "triage", "-f", str(path), "--tail", "-2").returncode == 2
