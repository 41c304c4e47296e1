"""`audit` end to end through kubectl: one replay, and `explain` of every item is that item (the contract's rule).

Also: exit codes, text and `--only`, paging (kubectl `--chunk-size` and the plugin's, a 410 Gone fallback, a
400 for a malformed token), bad input that must not abort the audit, and port names as targets.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.sandboxes import Sandbox, run_plugin

HERE = Path(__file__).parent / "scenarios"
SCENARIOS = (
    "tc1",
    "tc2",
    "tc3",
    "tc4",
    "tc5",
    "tc8",
    "tc14",
    "node-port-missing",
    "vm-deleted-orphan-ports",
    "nonprimary-vm-migration",
    "sts-zombie-port",
    "triage-gc-lines",
    str(HERE / "vips.yaml"),
)
COMPARED = ("target", "ports", "gc", "verdict")
EXPLAIN_PREFIX = {
    "Pod": "pod/",
    "VirtualMachine": "vm/",
    "VirtualMachineInstance": "vmi/",
    "Node": "node/",
    "Vip": "vip/",
    "Orphan": "",
}


def _json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def _explain_args(item: dict) -> list[str]:
    target = item["target"]
    args = ["explain", EXPLAIN_PREFIX[target["kind"]] + target["name"]]
    return args + (["-n", target["namespace"]] if target["namespace"] else [])


def _check_items_against_explain(sandbox: Sandbox, *nb: str) -> list[dict]:
    audit = _json(run_plugin(sandbox, "audit", "-A", "-o", "json", *nb))
    items = audit["items"]
    assert items, "every shipped scenario has owners"

    def explain(item: dict) -> tuple[dict, subprocess.CompletedProcess]:
        return item, run_plugin(sandbox, *_explain_args(item), "-o", "json", *nb)

    with ThreadPoolExecutor(max_workers=3) as pool:
        for item, proc in pool.map(explain, items):
            document = _json(proc)
            for key in COMPARED:
                assert document[key] == item[key], (item["target"], key)
    return items


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: Path(s).stem)
def test_every_audit_item_is_what_explain_says_via_exec(sandbox_factory, scenario: str) -> None:
    _check_items_against_explain(sandbox_factory(scenario))


@pytest.mark.parametrize("scenario", ("tc4", "node-port-missing", "vm-deleted-orphan-ports", str(HERE / "vips.yaml")))
def test_every_audit_item_is_what_explain_says_via_tcp(sandbox_factory, scenario: str) -> None:
    sandbox = sandbox_factory(scenario)
    items = _check_items_against_explain(sandbox, "--nb", sandbox.nb_remotes)
    assert {i["target"]["kind"] for i in items} >= {"Pod"}


def test_tc4_audit_of_a_namespace(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4")
    proc = run_plugin(sandbox, "audit", "-n", "test-ns")
    assert proc.returncode == 4, proc.stderr
    # #18: the text names its scope and the release replayed, with where each came from
    assert proc.stdout.splitlines()[:4] == [
        "Scope:     namespace test-ns",
        "Kube-OVN:  v1.13.4, band F (from the kube-ovn-controller Deployment); keep-vm-ip=true "
        "enable-external-vpc=true non-primary-cni-mode=false",
        "NB:        exec kube-system/ovn-central-6b8f5c7d9-k4m2n (raft leader)",
        "",
    ]
    header, row = proc.stdout.splitlines()[4:6]
    assert header.split() == ["NAMESPACE", "KIND", "NAME", "VERDICT", "REASONS", "PORTS"]
    assert row.split() == ["test-ns", "VirtualMachine", "vm-a", "false-positive", "FP1", "vm-a.test-ns=false-positive"]
    assert "GC logs 1 lost, deletes 0" in proc.stdout
    document = _json(run_plugin(sandbox, "audit", "-n", "test-ns", "-o", "json"))
    assert document["kind"] == "Audit" and document["scope"] == {"namespace": "test-ns"}
    assert document["gc"] == {"lostLogged": ["vm-a.test-ns"], "wouldDelete": []}
    assert document["summary"]["reasons"] == {"FP1": 1} and document["verdict"] == "false-positive"
    assert [i["target"]["name"] for i in document["items"]] == ["vm-a"]
    rows = run_plugin(sandbox, "audit", "-n", "test-ns", "--no-headers").stdout.splitlines()
    assert [r.split() for r in rows] == [row.split()]  # rows only: no header, no summary


def test_node_port_missing_is_a_real_loss(sandbox_factory) -> None:
    sandbox = sandbox_factory("node-port-missing")
    audit = run_plugin(sandbox, "audit", "-A", "-o", "json")
    assert audit.returncode == 3
    nodes = {i["target"]["name"]: i for i in _json(audit)["items"] if i["target"]["kind"] == "Node"}
    assert {n: i["verdict"] for n, i in nodes.items()} == {"node1": "ok", "node2": "lost"}
    assert nodes["node2"]["gc"]["lostLogged"] == ["node-node2"]
    for args in (
        ["explain", "node/node2"],
        ["explain", "node-node2", "-A"],
        ["explain", "node-node2"],
        ["explain", "node-node2", "--nb", sandbox.nb_remotes],
    ):
        proc = run_plugin(sandbox, *args, "-o", "json")
        assert proc.returncode == 3, (args, proc.stderr)
        assert _json(proc)["target"] == {
            "kind": "Node",
            "namespace": "",
            "name": "node2",
            "portOwner": "node-node2",
            "pods": [],
        }
    text = run_plugin(sandbox, "explain", "node/node2").stdout
    assert "Target:    Node node2 (ports named node-node2)" in text and "Restart kube-ovn-controller" in text
    missing = run_plugin(sandbox, "explain", "node/node7")
    assert missing.returncode == 1 and missing.stderr.startswith('error: node "node7" not found')


def test_ports_of_a_deleted_vm_are_an_orphan_gc_deletes(sandbox_factory) -> None:
    sandbox = sandbox_factory("vm-deleted-orphan-ports")
    proc = run_plugin(sandbox, "explain", "vmd", "-n", "fns", "-o", "json")
    assert proc.returncode == 0, proc.stderr
    document = _json(proc)
    assert document["target"]["kind"] == "Orphan" and document["target"]["name"] == "vmd"
    assert {p["name"]: p["verdict"] for p in document["ports"]} == {
        "vmd.fns": "stale",
        "vmd.fns.net-b.fns.ovn": "stale",
    }
    assert document["gc"]["wouldDelete"] == ["vmd.fns", "vmd.fns.net-b.fns.ovn"]
    by_port = _json(run_plugin(sandbox, "explain", "vmd.fns.net-b.fns.ovn", "-o", "json"))
    assert {k: by_port[k] for k in COMPARED} == {k: document[k] for k in COMPARED}
    by_tcp = _json(run_plugin(sandbox, "explain", "vmd.fns.net-b.fns.ovn", "-o", "json", "--nb", sandbox.nb_remotes))
    assert {k: by_tcp[k] for k in COMPARED} == {k: document[k] for k in COMPARED} and by_tcp["nb"]["via"] == "direct"
    audit = run_plugin(sandbox, "audit", "-n", "fns")
    assert audit.returncode == 0 and "Orphan" in audit.stdout and "vmd.fns=stale" in audit.stdout
    assert (
        "\nNo owner in namespace fns matches --only lost.\n"
        in run_plugin(sandbox, "audit", "-n", "fns", "--only", "lost").stdout
    )


@pytest.mark.parametrize("nb", ["exec", "tcp"])
def test_port_names_as_gc_logs_them(sandbox_factory, nb: str) -> None:
    sandbox = sandbox_factory("tc4")
    via = ["--nb", sandbox.nb_remotes] if nb == "tcp" else []
    by_vm = _json(run_plugin(sandbox, "explain", "vm/vm-a", "-n", "test-ns", "-o", "json", *via))
    for args in (["vm-a.test-ns"], ["vm-a.test-ns", "-A"], ["vm-a.test-ns.subnet-a.test-ns.ovn", "-n", "test-ns"]):
        proc = run_plugin(sandbox, "explain", *args, "-o", "json", *via)
        assert proc.returncode == 4, (args, proc.stderr)
        assert {k: _json(proc)[k] for k in COMPARED} == {k: by_vm[k] for k in COMPARED}
    assert by_vm["nb"]["via"] == ("direct" if nb == "tcp" else "exec")
    other = run_plugin(sandbox, "explain", "vm-a.test-ns", "-n", "default", *via)
    assert other.returncode == 1
    assert other.stderr == 'error: port name "vm-a.test-ns" belongs to namespace "test-ns", not "default" (-n)\n'
    nothing = run_plugin(sandbox, "explain", "nobody.test-ns", "-n", "test-ns", *via)
    assert nothing.returncode == 1 and nothing.stderr.startswith(
        "error: no pod, virtualmachine or virtualmachineinstance owns port"
    )


def test_kubectl_chunk_size_pages_through_the_sandbox(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc5")
    whole = sandbox.kubectl("get", "pods", "-A", "-o", "name")
    paged = sandbox.kubectl("get", "pods", "-A", "-o", "name", "--chunk-size", "1")
    table = sandbox.kubectl("get", "pods", "-A", "--chunk-size", "1", "--no-headers")
    assert whole.returncode == paged.returncode == table.returncode == 0
    assert paged.stdout == whole.stdout and len(whole.stdout.splitlines()) >= 3
    assert len(table.stdout.splitlines()) == len(whole.stdout.splitlines())
    raw = json.loads(sandbox.kubectl("get", "--raw", "/api/v1/pods?limit=1").stdout)
    assert len(raw["items"]) == 1 and raw["metadata"]["continue"]
    assert raw["metadata"]["remainingItemCount"] == len(whole.stdout.splitlines()) - 1
    bad = sandbox.kubectl("get", "--raw", "/api/v1/pods?limit=1&continue=not-a-token")
    assert bad.returncode == 1 and "(BadRequest)" in bad.stderr and "continue key is not valid" in bad.stderr


def _page_requests(stderr: str, plural: str) -> list[str]:
    """The cluster-wide list requests for `plural` (-v traces every request)."""
    return [line for line in stderr.splitlines() if re.search(rf"I kube: GET \S*/api/v1/{plural}\?", line)]


def test_the_plugin_follows_every_continue_and_lists_per_page(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc5")
    pods = len(sandbox.kubectl("get", "pods", "-A", "-o", "name").stdout.splitlines())
    one = run_plugin(sandbox, "audit", "-A", "-o", "json", "--chunk-size", "1", "-v")
    many = run_plugin(sandbox, "audit", "-A", "-o", "json")
    assert _json(one)["items"] == _json(many)["items"]
    requests = _page_requests(one.stderr, "pods")
    assert len(requests) == pods and all("limit=1" in r for r in requests)  # pages of one: one request per pod
    assert len(_page_requests(many.stderr + run_plugin(sandbox, "audit", "-A", "-v").stderr, "pods")) == 1


def test_audit_has_no_time_limit_unless_given_and_explain_has_ten_seconds(sandbox_factory) -> None:
    """The default time limits (docs/contracts.md, "Time limits") as the NB read receives them: the exec's
    `ovsdb-client --timeout` is what is left of the command's budget, one day when there is no limit; the pod's
    probe before it (one row by the all-zero UUID) has --nb-member-timeout's 5 s whatever the budget."""
    sandbox = sandbox_factory("tc4")
    probe = '"where":[["_uuid","==",["uuid","00000000-0000-0000-0000-000000000000"]]]'

    def exec_timeouts(*argv: str) -> set[int]:
        proc = run_plugin(sandbox, *argv, "-v")
        execs = [line for line in proc.stderr.splitlines() if line.startswith("I kube: EXEC ")]
        probes = {
            int(t) for t in re.findall(r"ovsdb-client --timeout=(\d+) query", "\n".join(e for e in execs if probe in e))
        }
        assert probes == {5}, proc.stderr
        found = {
            int(t)
            for t in re.findall(r"ovsdb-client --timeout=(\d+) query", "\n".join(e for e in execs if probe not in e))
        }
        assert found, proc.stderr
        return found

    assert exec_timeouts("audit", "-A") == {86400}
    assert exec_timeouts("triage") == {86400}
    assert all(5 <= t <= 10 for t in exec_timeouts("explain", "vm-a", "-n", "test-ns"))  # 10 s, minus what went before
    assert all(30 <= t <= 40 for t in exec_timeouts("audit", "-A", "--request-timeout", "40s"))


def test_an_expired_continue_token_falls_back_to_one_full_list(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "continue-expired.yaml"))
    expired = sandbox.kubectl("get", "--raw", "/api/v1/pods?limit=1")
    token = json.loads(expired.stdout)["metadata"]["continue"]
    gone = sandbox.kubectl("get", "--raw", f"/api/v1/pods?limit=1&continue={token}")
    assert gone.returncode == 1 and "(Expired)" in gone.stderr
    proc = run_plugin(sandbox, "audit", "-A", "-o", "json", "--chunk-size", "1", "-v")
    assert proc.returncode == 0, proc.stderr
    assert "continue token expired (410), listing again in one request" in proc.stderr
    reference = sandbox_factory("tc5")
    assert _json(proc)["items"] == _json(run_plugin(reference, "audit", "-A", "-o", "json"))["items"]


def test_bad_objects_and_a_forbidden_kind_do_not_abort_the_audit(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "audit-bad-input.yaml"))
    proc = run_plugin(sandbox, "audit", "-n", "vmns", "-o", "json")
    assert proc.returncode == 1 and proc.stderr == "error: 2 owner(s) could not be judged (verdict error)\n"
    document = _json(proc)
    verdicts = {i["target"]["name"]: i["verdict"] for i in document["items"]}
    assert verdicts == {"bad-multus": "error", "odd-annotations": "error", "vm1": "ok", "vm2": "ok"}
    errors = {i["target"]["name"]: i["error"] for i in document["items"] if i["verdict"] == "error"}
    assert "malformed k8s.v1.cni.cncf.io/networks annotation" in errors["bad-multus"]
    assert errors["odd-annotations"].startswith("Pod vmns/odd-annotations: metadata.annotations must be a mapping")
    assert document["summary"]["owners"] == {"error": 2, "ok": 2}
    assert document["verdict"] == "error"  # no finding, but owners that could not be judged: not "ok"
    assert [n for n in document["notes"] if n.startswith("could not list statefulsets")]
    only = _json(run_plugin(sandbox, "audit", "-n", "vmns", "-o", "json", "--only", "error"))
    assert [i["target"]["name"] for i in only["items"]] == ["bad-multus", "odd-annotations"]
    assert only["summary"] == document["summary"]  # --only filters what is shown, never what is counted


@pytest.mark.parametrize(
    "version, kept, deleted",
    [
        ("v1.13.4", "vip-arp", "vip-typed"),  # arp_proxy keeps
        ("v1.14.2", "vip-typed", "vip-arp"),
    ],
)  # a type keeps
def test_vip_ports_gc_keeps_per_release(sandbox_factory, version: str, kept: str, deleted: str) -> None:
    sandbox = sandbox_factory(str(HERE / "vips.yaml"))
    proc = run_plugin(sandbox, "audit", "-n", "app", "-o", "json", "--kube-ovn-version", version)
    assert proc.returncode == 5, proc.stderr
    vips = {
        i["target"]["name"]: (i["verdict"], [(p["name"], p["verdict"], p["reason"]) for p in i["ports"]])
        for i in _json(proc)["items"]
        if i["target"]["kind"] == "Vip"
    }
    assert vips == {
        kept: ("ok", [(f"{kept}.app", "ok", None)]),
        deleted: ("deletion-risk", [(f"{deleted}.app", "deletion-risk", "DEL10")]),
        "vip-free": ("ok", [("vip-free.app", "no-port", None)]),
    }
    assert _json(proc)["gc"]["wouldDelete"] == [f"{deleted}.app"]


def test_a_vip_by_name_or_port_name_is_the_vip_not_an_orphan(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "vips.yaml"))
    by_kind = _json(run_plugin(sandbox, "explain", "vip/vip-typed", "-o", "json"))
    for args in (["vip-typed", "-n", "app"], ["vip-typed.app"]):
        proc = run_plugin(sandbox, "explain", *args, "-o", "json")
        assert proc.returncode == 5, (args, proc.stderr)
        assert {k: _json(proc)[k] for k in COMPARED} == {k: by_kind[k] for k in COMPARED}
    assert by_kind["target"]["kind"] == "Vip"


def test_cluster_scoped_targets_are_not_found_without_a_namespace(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4")
    assert run_plugin(sandbox, "explain", "node/nope").stderr == (
        'error: node "nope" not found; did you mean node/node1 or node/node2?\n'
    )
    assert run_plugin(sandbox, "explain", "vip/nope", "-n", "test-ns").stderr == 'error: vip "nope" not found\n'


def test_all_releases_is_explains_alone(sandbox_factory) -> None:
    sandbox = sandbox_factory("tc4")
    for command in ("audit", "triage"):
        proc = run_plugin(sandbox, command, "--kube-ovn-version", "all")
        assert proc.returncode == 2 and "'all' (byRelease) is explain's" in proc.stderr


def test_a_name_that_is_also_another_owners_port_name_is_ambiguous(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "shadowed-port-name.yaml"))
    proc = run_plugin(sandbox, "explain", "web-5f7c.app")  # the context's namespace is default
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == (
        'error: port name "web-5f7c.app" fits several owners: pod default/web-5f7c.app (by its name), '
        "pod app/web-5f7c (by the port name); name one as vm/NAME or pod/NAME with -n\n"
    )
    assert run_plugin(sandbox, "explain", "pod/web-5f7c.app", "-n", "default").returncode == 0
    # an explicit -n names the namespace: the pod there is meant, the port reading (namespace app) does not fit
    assert run_plugin(sandbox, "explain", "web-5f7c.app", "-n", "default").returncode == 0
    by_port = run_plugin(sandbox, "explain", "web-5f7c.app", "-n", "app", "-o", "json")
    assert by_port.returncode == 3 and _json(by_port)["target"]["name"] == "web-5f7c"


def test_all_namespaces_finds_a_vip_by_name(sandbox_factory) -> None:
    sandbox = sandbox_factory(str(HERE / "vips.yaml"))
    proc = run_plugin(sandbox, "explain", "vip-typed", "-A", "-o", "json")
    assert proc.returncode == 5, proc.stderr
    assert _json(proc)["target"] == {
        "kind": "Vip",
        "namespace": "app",
        "name": "vip-typed",
        "portOwner": "vip-typed",
        "pods": [],
    }


def test_a_namespace_that_does_not_exist_is_an_error_not_a_healthy_audit(sandbox_factory) -> None:
    """#18: `audit -n wrong-ns` printed "No owner needs attention", exit 0: a typo in a monitoring check read as
    healthy forever. kubectl's words, exit 1; an existing empty namespace is still a clean audit that names it."""
    sandbox = sandbox_factory("tc4")
    proc = run_plugin(sandbox, "audit", "-n", "wrong-ns")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", 'error: namespaces "wrong-ns" not found\n')
    empty = run_plugin(sandbox, "audit", "-n", "kube-public")
    assert empty.returncode == 0 and "\nNo owner in namespace kube-public needs attention.\n" in empty.stdout
    assert empty.stdout.startswith("Scope:     namespace kube-public\n")


def test_a_namespace_that_may_not_be_read_is_a_note(sandbox_factory, tmp_path_factory) -> None:
    scenario = {
        "name": "no-namespace-get",
        "include": ["tc4"],
        "forbidden": [{"verb": "get", "resource": "namespaces"}],
        "nb": {"derive": True},
    }
    path = tmp_path_factory.mktemp("scenario") / "no-namespace-get.yaml"
    path.write_text(yaml.safe_dump(scenario))
    proc = run_plugin(sandbox_factory(str(path)), "audit", "-n", "test-ns", "-o", "json")
    assert proc.returncode == 4, proc.stderr
    assert 'could not check that namespace "test-ns" exists (RBAC get on namespaces)' in _json(proc)["notes"]
