"""The benchmarks' physical floor (benchmarks/floor.py) is what it claims: the standard library only, replaying the
steps read from the plugin's own `-v` trace. Speed itself is measured in benchmarks/, never asserted here."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_floor_imports_the_standard_library_only() -> None:
    tree = ast.parse((BENCHMARKS / "floor.py").read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)
    assert "json" in imported and "http" in imported and "socket" in imported


def _plans():
    spec = importlib.util.spec_from_file_location("bench_plans", BENCHMARKS / "plans.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TRACE = [
    "I kube: GET http://127.0.0.1:1/apis/apps/v1/namespaces/kube-system/deployments/kube-ovn-controller 200 3ms",
    "I kube: GET http://127.0.0.1:1/api/v1/pods?limit=500 200 74ms",
    "I kube: GET http://127.0.0.1:1/api/v1/pods?limit=500&continue=eyJ2IjoxfQ%3D%3D 200 108ms",
    "I kube: GET http://127.0.0.1:1/api/v1/namespaces/kube-system/pods?labelSelector=app%3Dovn-central 200 25ms",
    "I kube: EXEC kube-system/ovn-central-0 -c ovn-central -- ovsdb-client --timeout=7 query "
    'unix:/var/run/ovn/ovnnb_db.sock \'["OVN_Northbound",{"op":"select","table":"Logical_Switch_Port"}]\'',
    "I kube: EXEC done 2247ms",
]


def test_a_plan_keeps_the_traced_paths_in_order_and_follows_pages_itself() -> None:
    steps = _plans().steps_of(TRACE)
    assert [(s["kind"], s["path"]) for s in steps] == [
        ("get", "/apis/apps/v1/namespaces/kube-system/deployments/kube-ovn-controller"),
        ("get", "/api/v1/pods"),
        ("get", "/api/v1/namespaces/kube-system/pods"),
        ("exec", "/api/v1/namespaces/kube-system/pods/ovn-central-0/exec"),
    ]
    assert steps[1]["query"] == [("limit", "500")] and steps[1]["paged"] is True
    assert steps[2]["query"] == [("labelSelector", "app=ovn-central")] and steps[2]["paged"] is False
    assert steps[3]["query"] == [
        ("command", "ovsdb-client"),
        ("command", "--timeout=7"),
        ("command", "query"),
        ("command", "unix:/var/run/ovn/ovnnb_db.sock"),
        ("command", '["OVN_Northbound",{"op":"select","table":"Logical_Switch_Port"}]'),
        ("container", "ovn-central"),
        ("stdout", "true"),
        ("stderr", "true"),
    ]


def test_a_direct_nb_read_is_replayed_as_the_exec_paths_transaction() -> None:
    plans = _plans()
    txn = plans.exec_transaction(plans.steps_of(TRACE))
    assert txn == ["OVN_Northbound", {"op": "select", "table": "Logical_Switch_Port"}]
    steps = plans.steps_of(["I nb: select … at tcp:127.0.0.1:6641 (transact … abort)"], txn, "tcp:127.0.0.1:6641")
    assert steps == [{"kind": "nb", "remote": "tcp:127.0.0.1:6641", "txn": txn}]
