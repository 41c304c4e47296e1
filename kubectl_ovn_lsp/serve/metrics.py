"""The metrics `serve` exports, built from the latest `Audit` document (docs/contracts.md, "serve"), never from
the model's records: whatever a new finding adds to the document (a verdict, a reason, an owner kind) reaches the
metrics with no change here.

`view_of` turns one document into the samples (once per cycle); `Collector` is a prometheus_client custom collector
(no multiprocess mode: one process) whose `collect()` only reads the latest `Snapshot` (`state.py`): a scrape never
rescans anything. Names are fixed by the contract (gauges without `_total`):

- `ovn_lsp_owners{namespace,kind,verdict}` — audit items per item verdict (combinations that occur);
- `ovn_lsp_ports{verdict}` — ports per verdict, every port verdict present (0 when none);
- `ovn_lsp_finding{namespace,kind,name,verdict,reason}` = 1 per owner with a port finding other than ok/no-port
  (one series per owner, verdict and reason; an item that could not be judged is `error`), and per port of a
  cluster finding (`kind` the finding's: gc-stalled, gc-delete-no-op, ip-leak, duplicate-address; `namespace`
  ""; `reason` the port's own, as its owner's item gives it, else the finding's), at most `--max-finding-series`,
  the most severe first; `ovn_lsp_findings_dropped` says how many did not fit;
- `ovn_lsp_gc_log_lines_total{event,verdict,reason}` — controller GC lines counted since `serve` started, by the
  verdict `triage` gives their port now (every event triage reads: lost, deleted, delete-failed, gc-error, …);
  `ovn_lsp_log_lines_total` — every controller log line counted (with
  `--log-source pods`: shows that logs are read);
- `ovn_lsp_gc_lost_expected` / `ovn_lsp_gc_delete_expected` — the port names GC logs `lsp lost` for on each run,
  and the ports it deletes, by the replay (the document's `gc.lostLogged`, `gc.wouldDelete`);
- `ovn_lsp_cycle_duration_seconds`, `ovn_lsp_last_success_timestamp_seconds` (0 before the first success),
  `ovn_lsp_cycle_errors_total{step}` (every step from 0), `ovn_lsp_cycles_total`;
- `ovn_lsp_info{version,kube_ovn_version,band}` = 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kubectl_ovn_lsp.model.verdicts import VERDICTS, severity

if TYPE_CHECKING:
    from prometheus_client.core import Metric

    from kubectl_ovn_lsp.serve.state import State

PORT_VERDICTS = tuple(v.name for v in VERDICTS if v.name != "error")  # `error` is an item verdict only
QUIET = ("ok", "no-port")  # port verdicts that are not findings

Finding = tuple[str, str, str, str, str]  # namespace, kind, name, verdict, reason


@dataclass(frozen=True)
class DocumentView:
    """The samples one Audit document gives (built once per cycle, read by every scrape)."""

    owners: tuple[tuple[tuple[str, str, str], int], ...]  # ((namespace, kind, verdict), items)
    ports: tuple[tuple[str, int], ...]  # (verdict, ports), every port verdict
    findings: tuple[Finding, ...]  # capped, most severe first
    dropped: int  # findings beyond the cap
    info: tuple[str, str, str]  # plugin version, Kube-OVN version, band
    lost_expected: int
    delete_expected: int


def _rank(finding: Finding) -> tuple[int, int, Finding]:
    verdict = finding[3]
    return (-severity(verdict), 0 if verdict == "error" else 1, finding)  # error before stale among the quiet


def view_of(document: Any, max_findings: int, version: str) -> DocumentView:
    """The samples of an `Audit` document (a dict as `-o json` prints it); findings capped at `max_findings`."""
    owners: Counter[tuple[str, str, str]] = Counter()
    findings: set[Finding] = set()
    judged: dict[tuple[str, str], str] = {}  # (port or IP CR name, verdict) -> its own reason code
    for item in document["items"]:
        target = item["target"]
        namespace, kind, name = target.get("namespace") or "", target["kind"], target["name"]
        owners[(namespace, kind, item["verdict"])] += 1
        if item["verdict"] == "error":
            findings.add((namespace, kind, name, "error", ""))
        for port in item["ports"]:
            if port["verdict"] not in QUIET:
                findings.add((namespace, kind, name, port["verdict"], port.get("reason") or ""))
                judged[(port["name"], port["verdict"])] = port.get("reason") or ""
    for finding in document.get("cluster") or ():  # what no single owner explains (GC stalled, IP leaks)
        if finding["verdict"] not in QUIET:
            verdict, reason = finding["verdict"], finding.get("reason") or ""
            for name in finding["ports"] or [""]:
                # a cluster finding names one reason (its first port's): each port keeps its own (GC1 beside GC4,
                # IP1 beside IP3), as its owner's item says; names no item holds (duplicate-address) take the
                # finding's
                findings.add(("", finding["kind"], name, verdict, judged.get((name, verdict), reason)))
    ports = document["summary"]["ports"]
    ranked = sorted(findings, key=_rank)
    kube_ovn = document["kubeOvn"]
    return DocumentView(
        owners=tuple(sorted(owners.items())),
        ports=tuple((v, int(ports.get(v, 0))) for v in sorted({*PORT_VERDICTS, *ports})),
        findings=tuple(ranked[:max_findings]),
        dropped=max(0, len(ranked) - max_findings),
        info=(version, kube_ovn.get("version") or "unknown", kube_ovn.get("band") or ""),
        lost_expected=len(document["gc"]["lostLogged"]),
        delete_expected=len(document["gc"]["wouldDelete"]),
    )


class Collector:
    """prometheus_client custom collector over the latest snapshot (`describe` is empty: the families vary)."""

    def __init__(self, state: State) -> None:
        self.state = state

    def describe(self) -> list[Metric]:
        return []  # families are known only after a cycle; an empty describe skips the registration-time collect

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        snap = self.state.snapshot
        view = snap.view
        if view is not None:
            owners = GaugeMetricFamily(
                "ovn_lsp_owners", "Owners (audit items) per item verdict", labels=["namespace", "kind", "verdict"]
            )
            for labels, count in view.owners:
                owners.add_metric(list(labels), count)
            yield owners
            ports = GaugeMetricFamily("ovn_lsp_ports", "Logical switch ports per verdict", labels=["verdict"])
            for verdict, count in view.ports:
                ports.add_metric([verdict], count)
            yield ports
            finding = GaugeMetricFamily(
                "ovn_lsp_finding",
                "1 per owner with a finding other than ok/no-port (verdict, reason code)",
                labels=["namespace", "kind", "name", "verdict", "reason"],
            )
            for labels5 in view.findings:
                finding.add_metric(list(labels5), 1)
            yield finding
            yield GaugeMetricFamily(
                "ovn_lsp_findings_dropped", "Findings left out by --max-finding-series", value=view.dropped
            )
            yield GaugeMetricFamily(
                "ovn_lsp_gc_lost_expected",
                "Port names GC logs 'lsp lost' for on each run, by the replay",
                value=view.lost_expected,
            )
            yield GaugeMetricFamily(
                "ovn_lsp_gc_delete_expected",
                "Ports GC deletes on its next runs, by the replay",
                value=view.delete_expected,
            )
            info = GaugeMetricFamily(
                "ovn_lsp_info",
                "The plugin and the Kube-OVN release it replays",
                labels=["version", "kube_ovn_version", "band"],
            )
            info.add_metric(list(view.info), 1)
            yield info
        if snap.log_lines is not None:
            gc_lines = CounterMetricFamily(
                "ovn_lsp_gc_log_lines",
                "Controller GC log lines counted since serve started, by their port's verdict now",
                labels=["event", "verdict", "reason"],
            )
            for (event, verdict, reason), count in sorted(snap.gc_lines.items()):
                gc_lines.add_metric([event, verdict, reason], count)
            yield gc_lines
            yield CounterMetricFamily(
                "ovn_lsp_log_lines", "Controller log lines counted since serve started", value=snap.log_lines
            )
        if snap.last_duration is not None:
            yield GaugeMetricFamily(
                "ovn_lsp_cycle_duration_seconds", "Seconds the latest cycle took", value=snap.last_duration
            )
        yield GaugeMetricFamily(
            "ovn_lsp_last_success_timestamp_seconds",
            "Unix time the latest successful cycle ended (0: none yet)",
            value=snap.last_success,
        )
        errors = CounterMetricFamily("ovn_lsp_cycle_errors", "Cycle failures by step", labels=["step"])
        for step, count in sorted(snap.errors.items()):
            errors.add_metric([step], count)
        yield errors
        yield CounterMetricFamily("ovn_lsp_cycles", "Cycles run since serve started", value=snap.cycles)
