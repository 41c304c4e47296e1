"""End to end (issue #10): the public reports rebuilt as shipped scenarios, through the real `kubectl ovn-lsp`,
via exec into ovn-central and via a direct `--nb tcp:` connection; text and JSON must agree.

- nonprimary-vm-migration (harvester/harvester#10154, Kube-OVN v1.15.4, --non-primary-cni-mode): FP5 for
  `vmv.fns`, and the attachment port lacks the migration options the release never sets there (MIG1, exit 6).
- sts-zombie-port (kubeovn/kube-ovn#4738, v1.12.6): `db-0.fdb` is a leftover GC deletes (stale, exit 0).
"""

from __future__ import annotations

import json

import pytest

from tests.sandboxes import Sandbox, run_plugin

MIGRATION = ("nonprimary-vm-migration", "vmv", "fns", ["--non-primary-cni-mode", "true"])
STS = ("sts-zombie-port", "db-0", "fdb", [])


def _nb_args(sandbox: Sandbox, via: str) -> list[str]:
    return ["--nb", sandbox.nb_remotes] if via == "tcp" else []


def _run(sandbox: Sandbox, target: str, namespace: str, *args: str) -> tuple[int, str]:
    proc = run_plugin(sandbox, "explain", target, "-n", namespace, *args)
    assert proc.stderr == "", proc.stderr
    return proc.returncode, proc.stdout


def _both(sandbox: Sandbox, target: str, namespace: str, *args: str) -> tuple[int, dict, str, str]:
    code, out = _run(sandbox, target, namespace, "-o", "json", *args)
    text_code, text = _run(sandbox, target, namespace, *args)
    wide_code, wide = _run(sandbox, target, namespace, "-o", "wide", *args)
    assert code == text_code == wide_code
    return code, json.loads(out), text, wide


def _ports(document: dict) -> dict[str, tuple[str, str | None]]:
    return {p["name"]: (p["verdict"], p["reason"]) for p in document["ports"]}


def _text_agrees(document: dict, text: str, wide: str) -> None:
    """Every port's verdict and detail reach the text: detail lines by default, the DETAIL column in -o wide."""
    assert f"Verdict:   {document['verdict']}" in text
    flat = " ".join(text.split())
    for port in document["ports"]:
        row = next(line for line in text.splitlines() if line.startswith(port["name"] + " "))
        assert port["verdict"] in row.split()
        if port["detail"] != "present":
            assert " ".join(port["detail"].split()) in flat
        wide_row = next(line for line in wide.splitlines() if line.startswith(port["name"] + " "))
        assert wide_row.endswith(port["detail"])
    for name in document["gc"]["wouldDelete"]:
        verdict = next(p["verdict"] for p in document["ports"] if p["name"] == name)
        assert verdict in ("stale", "deletion-risk")
    for note in document["notes"]:
        assert " ".join(note.split()) in flat


@pytest.mark.parametrize("via", ["exec", "tcp"])
def test_nonprimary_vm_migration_at_the_reported_release(sandbox_factory, via) -> None:
    scenario, target, namespace, extra = MIGRATION
    sandbox = sandbox_factory(scenario)
    code, document, text, wide = _both(
        sandbox, target, namespace, "--kube-ovn-version", "v1.15.4", *extra, *_nb_args(sandbox, via)
    )
    assert code == 6
    assert _ports(document) == {"vmv.fns": ("false-positive", "FP5"), "vmv.fns.net-b.fns.ovn": ("degraded", "MIG1")}
    assert document["verdict"] == "degraded"
    attachment = document["ports"][1]
    assert "requested-chassis=node1" in attachment["detail"] and "only on vmv.fns" in attachment["detail"]
    assert any("6241" in a and "v1.15.9" in a and "v1.16.0" in a for a in document["advice"])
    assert document["gc"]["lostLogged"] == ["vmv.fns"]
    _text_agrees(document, text, wide)


@pytest.mark.parametrize(
    "version,reason", [("v1.15.9", "MIG4"), ("v1.16.0", "MIG4"), ("v1.15.14", "MIG3"), ("v1.13.4", "MIG2")]
)
def test_nonprimary_vm_migration_other_releases(sandbox_factory, version, reason) -> None:
    """From v1.15.9/v1.16.0 the release would set the options on the attachment port: their absence is MIG4 where
    the handler skips a migration whose target had no node and never retries (#6823), else MIG3 (v1.15.14, #6834)."""
    scenario, target, namespace, extra = MIGRATION
    code, document, text, wide = _both(
        sandbox_factory(scenario), target, namespace, "--kube-ovn-version", version, *extra
    )
    attachment = next(p for p in document["ports"] if p["name"] == "vmv.fns.net-b.fns.ovn")
    assert (attachment["verdict"], attachment["reason"]) == ("degraded", reason)
    assert code in (3, 6)  # v1.13.4 has no --non-primary-cni-mode: <vm>.<ns> is then a real loss (exit 3)
    _text_agrees(document, text, wide)


@pytest.mark.parametrize("via", ["exec", "tcp"])
def test_sts_zombie_port(sandbox_factory, via) -> None:
    scenario, target, namespace, _ = STS
    sandbox = sandbox_factory(scenario)
    code, document, text, wide = _both(
        sandbox, target, namespace, "--kube-ovn-version", "v1.12.6", *_nb_args(sandbox, via)
    )
    assert code == 0
    assert _ports(document) == {"db-0.fdb": ("stale", None)}
    assert document["gc"]["wouldDelete"] == ["db-0.fdb"]
    detail = document["ports"][0]["detail"]
    assert "leftover" in detail and "10.16.0.141" in detail
    assert "if the pod is allocated first" in detail and "if that comes first" in detail and "#4011" in detail
    assert "deletes nothing it needs" not in text
    assert "GC will delete: db-0.fdb." in text
    _text_agrees(document, text, wide)


def test_sts_zombie_port_fixed_release_keeps_addresses_update(sandbox_factory) -> None:
    """From v1.12.15/v1.13.0 an allocation rewrites the reused port's addresses: no #4011 warning."""
    code, document, _, _ = _both(sandbox_factory(STS[0]), STS[1], STS[2], "--kube-ovn-version", "v1.13.0")
    assert code == 0 and _ports(document) == {"db-0.fdb": ("stale", None)}
    assert "#4011" not in document["ports"][0]["detail"]


@pytest.mark.parametrize(
    "version,behaves_as",
    [
        ("v1.16.9", "v1.16.2 + release-1.16 head"),
        ("v1.17.0", "master 1533681d7"),
        ("v1.17.0-x86", "master 1533681d7"),
        ("v1.16.0-400-g1533681d7", "master 1533681d7"),
        ("v1.15.3-12-gabcdef012", "v1.15.3"),
    ],
)
def test_version_honesty(tc4: Sandbox, version: str, behaves_as: str) -> None:
    code, document, text, _ = _both(tc4, "vm-a", "test-ns", "--kube-ovn-version", version)
    assert document["kubeOvn"]["behaviourOf"] == behaves_as
    assert f"behaves as {behaves_as}" in text
    if version != "v1.16.0-400-g1533681d7":  # the checked master snapshot itself is not an assumption
        assert any(behaves_as.split(" + ")[0] in n for n in document["notes"])
        assert document["byRelease"]
    assert code == 0  # tc4's FP1 is fixed in every one of these


def test_kube_ovn_version_all(tc4: Sandbox) -> None:
    """`all`: byRelease over every known release; the exit code stays the running release's (v1.13.4: FP1)."""
    code, document, text, _ = _both(tc4, "vm-a", "test-ns", "--kube-ovn-version", "all")
    assert code == 4 and document["kubeOvn"]["version"] == "v1.13.4"
    ranges = document["byRelease"]
    assert ranges[0]["from"] == "v1.7.0" and ranges[-1]["to"] == "master"
    fp1 = next(r for r in ranges if r["to"] == "v1.13.5")
    assert (fp1["verdict"], fp1["reasons"]) == ("false-positive", ["FP1"])
    assert ranges[-1] == {"from": "v1.13.6", "to": "master", "band": "G–L", "verdict": "ok", "reasons": []}
    assert any(
        a.startswith("Which release fixes this workload: every release from v1.13.6") for a in document["advice"]
    )
    assert "By release: " in text


def test_unknown_version_shows_by_release_automatically(tc4: Sandbox) -> None:
    """No Deployment found: the newest band is assumed (exit 0 for the seed VM), so byRelease shows that
    v1.10.1–v1.13.5 would log FP1 (a cluster really on v1.13.4 gets its answer from the table)."""
    code, document, text, _ = _both(
        tc4, "vm-a", "test-ns", "--ovn-namespace", "nowhere", "--nb", tc4.nb_remotes, "--keep-vm-ip", "true"
    )
    assert code == 0 and document["kubeOvn"]["detectedFrom"] == "assumed"
    assert any(r["reasons"] == ["FP1"] and r["to"] == "v1.13.5" for r in document["byRelease"])
    assert any("not known for sure" in a and "v1.13.6" in a for a in document["advice"])
    assert "By release: " in text and "false-positive (FP1)" in " ".join(text.split())
