"""serve's metrics come from the Audit document as `-o json` prints it (a literal document here), and the text
exposition a scrape gets is checked by prometheus_client's own parser."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from kubectl_ovn_lsp.serve.metrics import Collector, view_of
from kubectl_ovn_lsp.serve.state import AuditJson, State


def port(name: str, verdict: str, reason: str | None = None) -> dict[str, Any]:
    return {"name": name, "verdict": verdict, "reason": reason}


def item(kind: str, namespace: str | None, name: str, verdict: str, ports: list[dict[str, Any]]) -> dict[str, Any]:
    return {"target": {"kind": kind, "namespace": namespace, "name": name}, "verdict": verdict, "ports": ports}


DOCUMENT: dict[str, Any] = {
    "apiVersion": "ovn-lsp.kubeovn.io/v1alpha1",
    "kind": "Audit",
    "kubeOvn": {"version": "v1.14.2", "band": "H"},
    "summary": {"owners": {}, "ports": {"false-positive": 1, "lost": 2, "ok": 4, "stale": 1}},
    "gc": {"lostLogged": ["vm-new.app", "web-5f7c.app"], "wouldDelete": ["gone.app"]},
    "items": [
        item("Node", None, "node1", "ok", [port("node-node1", "ok")]),
        item("Pod", "app", "web-5f7c", "lost", [port("web-5f7c.app", "lost")]),
        item("VirtualMachine", "app", "vm-new", "false-positive", [port("vm-new.app", "false-positive", "FP3")]),
        item(
            "VirtualMachine",
            "app",
            "vm-stopped",
            "deletion-risk",
            [
                port("vm-stopped.app", "ok"),
                port("vm-stopped.app.a.app.ovn", "deletion-risk", "DEL2"),
                port("vm-stopped.app.b.app.ovn", "deletion-risk", "DEL2"),
            ],
        ),
        item("Orphan", "app", "gone", "ok", [port("gone.app", "stale")]),
        item("Pod", "app", "bad", "error", []),
        item("Pod", "app", "p2", "ok", [port("p2.app", "ok"), port("p2.app.x", "no-port")]),
    ],
}


def test_the_view_counts_owners_and_ports_and_lists_findings_most_severe_first() -> None:
    view = view_of(DOCUMENT, 1000, "0.1.0")
    assert dict(view.owners) == {
        ("", "Node", "ok"): 1,
        ("app", "Pod", "lost"): 1,
        ("app", "VirtualMachine", "false-positive"): 1,
        ("app", "VirtualMachine", "deletion-risk"): 1,
        ("app", "Orphan", "ok"): 1,
        ("app", "Pod", "error"): 1,
        ("app", "Pod", "ok"): 1,
    }
    assert dict(view.ports) == {
        "ok": 4,
        "no-port": 0,
        "stale": 1,
        "false-positive": 1,
        "leaked": 0,
        "degraded": 0,
        "lost": 2,
        "deletion-risk": 0,
    }
    assert view.findings == (
        ("app", "VirtualMachine", "vm-stopped", "deletion-risk", "DEL2"),  # two ports, one series
        ("app", "Pod", "web-5f7c", "lost", ""),
        ("app", "VirtualMachine", "vm-new", "false-positive", "FP3"),
        ("app", "Pod", "bad", "error", ""),
        ("app", "Orphan", "gone", "stale", ""),
    )
    assert (view.dropped, view.lost_expected, view.delete_expected) == (0, 2, 1)
    assert view.info == ("0.1.0", "v1.14.2", "H")


def test_cluster_findings_are_findings_per_port_without_a_namespace() -> None:
    document = {
        **DOCUMENT,
        "cluster": [
            {"kind": "gc-stalled", "verdict": "degraded", "reason": "GC1", "ports": ["acp.e2e"]},
            {"kind": "ip-leak", "verdict": "leaked", "reason": "IP1", "ports": ["a.ns.net.ns", "b.ns.net.ns"]},
            {"kind": "gc-stalled", "verdict": "ok", "reason": None, "ports": ["old.app"]},  # history: not a finding
        ],
    }
    view = view_of(document, 1000, "0.1.0")
    assert [f for f in view.findings if f[1] in ("gc-stalled", "ip-leak")] == [
        ("", "gc-stalled", "acp.e2e", "degraded", "GC1"),
        ("", "ip-leak", "a.ns.net.ns", "leaked", "IP1"),
        ("", "ip-leak", "b.ns.net.ns", "leaked", "IP1"),
    ]


def test_a_cluster_findings_port_keeps_its_own_reason() -> None:
    """A cluster finding names one reason (its first port's); each port's series keeps the one its owner's item
    gives it (an IP3 leak beside IP1 ones, a GC4 blocker beside a GC1 one), and a name no item holds (a
    duplicate-address holder that is itself ok) takes the finding's."""
    document = {
        **DOCUMENT,
        "items": [
            item("Orphan", "ns", "a", "leaked", [port("a.ns.net.ns", "leaked", "IP1")]),
            item("Orphan", "ns", "b", "leaked", [port("b.ns.net.ns", "leaked", "IP3")]),
            item("Orphan", "e2e", "x", "degraded", [port("x.e2e", "degraded", "GC1")]),
            item("Orphan", "", "y.e2e", "degraded", [port("y.e2e", "degraded", "GC4")]),
            item("Pod", "ns", "c", "ok", [port("c.ns", "ok")]),
        ],
        "cluster": [
            {"kind": "gc-stalled", "verdict": "degraded", "reason": "GC1", "ports": ["x.e2e", "y.e2e"]},
            {"kind": "ip-leak", "verdict": "leaked", "reason": "IP1", "ports": ["a.ns.net.ns", "b.ns.net.ns"]},
            {"kind": "duplicate-address", "verdict": "degraded", "reason": "IP4", "ports": ["c.ns", "d.ns"]},
        ],
    }
    assert sorted(f for f in view_of(document, 1000, "0.1.0").findings if f[1] not in ("Orphan", "Pod")) == [
        ("", "duplicate-address", "c.ns", "degraded", "IP4"),
        ("", "duplicate-address", "d.ns", "degraded", "IP4"),
        ("", "gc-stalled", "x.e2e", "degraded", "GC1"),
        ("", "gc-stalled", "y.e2e", "degraded", "GC4"),
        ("", "ip-leak", "a.ns.net.ns", "leaked", "IP1"),
        ("", "ip-leak", "b.ns.net.ns", "leaked", "IP3"),
    ]


def test_the_cap_keeps_the_most_severe_and_says_how_many_were_dropped() -> None:
    view = view_of(DOCUMENT, 2, "0.1.0")
    assert [f[3] for f in view.findings] == ["deletion-risk", "lost"]
    assert view.dropped == 3


def test_a_scrape_parses_as_prometheus_text_with_the_contract_names() -> None:
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    state = State()
    state.update(
        view=view_of(DOCUMENT, 1000, "0.1.0"),
        document=AuditJson.pack(b"{}"),
        gc_lines=MappingProxyType({("lost", "false-positive", "FP3"): 3, ("deleted", "deletion-risk", "DEL2"): 1}),
        log_lines=10,
        last_success=1796464319.5,
        last_duration=0.25,
        cycles=4,
    )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(state))
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(generate_latest(registry).decode())
        for s in family.samples
    }
    assert (
        samples[
            (
                "ovn_lsp_finding",
                (("kind", "Pod"), ("name", "web-5f7c"), ("namespace", "app"), ("reason", ""), ("verdict", "lost")),
            )
        ]
        == 1
    )
    assert samples[("ovn_lsp_ports", (("verdict", "lost"),))] == 2
    assert (
        samples[("ovn_lsp_gc_log_lines_total", (("event", "lost"), ("reason", "FP3"), ("verdict", "false-positive")))]
        == 3
    )
    assert samples[("ovn_lsp_log_lines_total", ())] == 10
    assert samples[("ovn_lsp_cycle_errors_total", (("step", "nb"),))] == 0
    assert samples[("ovn_lsp_last_success_timestamp_seconds", ())] == 1796464319.5
    assert samples[("ovn_lsp_info", (("band", "H"), ("kube_ovn_version", "v1.14.2"), ("version", "0.1.0")))] == 1
    assert samples[("ovn_lsp_cycles_total", ())] == 4
    assert samples[("ovn_lsp_findings_dropped", ())] == 0


def test_before_the_first_cycle_only_the_monitors_own_series_exist() -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(State()))
    names = {
        line.split("{")[0].split(" ")[0] for line in generate_latest(registry).decode().splitlines() if line[0] != "#"
    }
    assert names == {"ovn_lsp_last_success_timestamp_seconds", "ovn_lsp_cycle_errors_total", "ovn_lsp_cycles_total"}
