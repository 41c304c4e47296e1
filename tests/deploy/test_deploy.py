"""deploy/: the kustomize base renders (kubectl's own kustomize), its Deployment runs `serve` with flags the plugin
parses, non-root on a read-only root filesystem, and its alerts pass `promtool check rules` and `promtool test
rules` (.ci/check-alert-rules, which .ci/run also runs)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def render(directory: Path) -> list[dict]:
    proc = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [d for d in yaml.safe_load_all(proc.stdout) if d]


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict]:
    return {(o["kind"], o["metadata"]["name"]): o for o in render(REPO / "deploy")}


def test_the_alert_rules_pass_promtool_check_and_test() -> None:
    proc = subprocess.run(
        [str(REPO / ".ci" / "check-alert-rules")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS: 15 rules found" in proc.stdout and proc.stdout.rstrip().endswith("SUCCESS")


def test_every_alert_has_a_promtool_test_that_fires_it_and_the_false_positive_fires_none() -> None:
    """promtool passes a rule that no test names: each alert of deploy/ must fire in some test case (a non-empty
    exp_alerts), and the #5087 false-positive case must ask for every alert and get none."""
    rule = yaml.safe_load((REPO / "deploy" / "prometheusrule.yaml").read_text())
    alerts = {r["alert"] for group in rule["spec"]["groups"] for r in group["rules"] if "alert" in r}
    assert len(alerts) == 15
    cases = yaml.safe_load((REPO / "tests" / "deploy" / "alerts-test.yaml").read_text())["tests"]
    fired = {t["alertname"] for case in cases for t in case["alert_rule_test"] if t["exp_alerts"]}
    assert alerts - fired == set()
    fp1 = 'verdict="false-positive",reason="FP1"'
    (false_positive,) = [case for case in cases if any(fp1 in s["series"] for s in case["input_series"])]
    asked = {t["alertname"] for t in false_positive["alert_rule_test"] if t["eval_time"] == "2h"}
    assert asked == alerts
    assert all(t["exp_alerts"] == [] for t in false_positive["alert_rule_test"])


def test_the_base_renders_every_object_in_the_ovn_namespace(objects: dict[tuple[str, str], dict]) -> None:
    assert set(objects) == {
        ("ServiceAccount", "ovn-lsp-monitor"),
        ("ClusterRole", "ovn-lsp-monitor"),
        ("ClusterRoleBinding", "ovn-lsp-monitor"),
        ("Role", "ovn-lsp-monitor"),
        ("RoleBinding", "ovn-lsp-monitor"),
        ("Deployment", "ovn-lsp-monitor"),
        ("Service", "ovn-lsp-monitor"),
        ("ServiceMonitor", "ovn-lsp-monitor"),
        ("PrometheusRule", "ovn-lsp-monitor"),
    }
    for (kind, _), obj in objects.items():
        assert obj["metadata"].get("namespace") == (None if kind.startswith("Cluster") else "kube-system"), kind
    for kind in ("ClusterRoleBinding", "RoleBinding"):
        assert objects[(kind, "ovn-lsp-monitor")]["subjects"] == [
            {"kind": "ServiceAccount", "name": "ovn-lsp-monitor", "namespace": "kube-system"}
        ]


def test_the_deployment_runs_serve_hardened_and_probed(objects: dict[tuple[str, str], dict]) -> None:
    from kubectl_ovn_lsp.cli.parser import build_parser
    from kubectl_ovn_lsp.environment import Environment
    from kubectl_ovn_lsp.options import ServeOptions

    deployment = objects[("Deployment", "ovn-lsp-monitor")]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    (container,) = pod["containers"]
    assert spec["replicas"] == 1 and spec["strategy"] == {"type": "Recreate"}
    assert pod["serviceAccountName"] == "ovn-lsp-monitor"
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 65534
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert container["image"] == "ghcr.io/kubectl-ovn-lsp/kubectl-ovn-lsp:v0.1.0"
    assert set(container["resources"]) == {"requests", "limits"} and container["resources"]["limits"]["memory"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert {"name": "KUBE_OVN_NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}} in container["env"]
    # the args are a command line the plugin takes (parsed as `kubectl ovn-lsp` parses it)
    args = build_parser().parse_args(container["args"])
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={"KUBE_OVN_NS": "kube-system"})
    options = args.flags.record(args, env)
    assert isinstance(options, ServeOptions)
    assert (options.listen_host, options.listen_port, options.interval, options.log_source) == ("", 9810, 360.0, "pods")
    assert options.common.kube.request_timeout.seconds == 300
    # the Service reaches that port, and the ServiceMonitor scrapes the Service's port by name
    service = objects[("Service", "ovn-lsp-monitor")]
    assert service["spec"]["selector"].items() <= spec["template"]["metadata"]["labels"].items()
    assert service["spec"]["ports"] == [{"name": "metrics", "port": 9810, "targetPort": "metrics"}]
    assert container["ports"] == [{"name": "metrics", "containerPort": 9810}]
    monitor = objects[("ServiceMonitor", "ovn-lsp-monitor")]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["endpoints"][0]["port"] == "metrics"


def test_an_overlay_namespace_moves_every_object_and_subject(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    base = os.path.relpath(REPO / "deploy", overlay)
    (overlay / "kustomization.yaml").write_text(f"namespace: kube-ovn\nresources: [{base}]\n")
    rendered = render(overlay)
    assert {o["metadata"].get("namespace") for o in rendered if not o["kind"].startswith("Cluster")} == {"kube-ovn"}
    subjects = [s for o in rendered if o["kind"].endswith("Binding") for s in o["subjects"]]
    assert {s["namespace"] for s in subjects} == {"kube-ovn"}


def test_the_containerfile_runs_the_plugins_entry_point() -> None:
    containerfile = (REPO / "Containerfile").read_text()
    setup = (REPO / "setup.cfg").read_text()
    assert 'ENTRYPOINT ["kubectl-ovn_lsp"]' in containerfile and 'CMD ["serve"]' in containerfile
    assert "kubectl-ovn_lsp = kubectl_ovn_lsp.cli.entry:main" in setup
    assert "USER 65534:65534" in containerfile
