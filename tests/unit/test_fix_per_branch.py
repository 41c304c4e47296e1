"""Advice names the fix on the running branch (issue #16 item 5; model/fixes.py).

For every reason code some upstream change fixes, and for the first release of every branch, the advice names the
first fixed release of that branch, or says the branch has none and names the next one, or says this release has
the fix. The table is literal, from the tags (docs/upstream-findings.md §7–§16), not from `bands.SWITCHES`.
"""

from __future__ import annotations

import re

import pytest

from kubectl_ovn_lsp.model.advice import advice_for
from kubectl_ovn_lsp.model.fixes import FIXES
from kubectl_ovn_lsp.model.lookups import judge
from kubectl_ovn_lsp.model.reasons import BY_CODE, REASONS
from kubectl_ovn_lsp.model.snapshot import PortFinding
from tests.unit import factories as f

BRANCHES = ("1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13", "1.14", "1.15", "1.16", "master")
HAS = "has the fix"


def _row(**by_branch: str) -> dict[str, str]:
    """`_row(upto_1_12="…", b1_13="…", rest=HAS)`: the expectation for every branch, from ranges written out."""
    out: dict[str, str] = {}
    current = ""
    for branch in BRANCHES:
        key = "b" + branch.replace(".", "_")
        current = by_branch.get(key, current)
        out[branch] = current
    return out


# code -> branch -> the phrase its advice must hold at the branch's first release (x.y.0; master: the snapshot)
EXPECTED: dict[str, dict[str, str]] = {
    "FP1": _row(b1_7="upgrade to v1.13.6 or later", b1_13="fixed in v1.13.6 on release-1.13", b1_14=HAS),
    "FP7": _row(b1_7="upgrade to v1.15.0 or later", b1_15=HAS),
    "FP8": _row(b1_7="upgrade to v1.13.0 or later", b1_13=HAS),
    "DEL1": _row(b1_7="upgrade to v1.12.4 or later", b1_12="fixed in v1.12.4 on release-1.12", b1_13=HAS),
    "DEL2": _row(b1_7="upgrade to v1.14.5 or later", b1_14="fixed in v1.14.5 on release-1.14", b1_15=HAS),
    "DEL3": _row(b1_7="upgrade to v1.9.0 or later", b1_9=HAS),
    "DEL5": _row(
        b1_7="upgrade to v1.8.7 or later",
        b1_8="fixed in v1.8.7 on release-1.8",
        b1_9="fixed in v1.9.4 on release-1.9",
        b1_10="fixed in v1.10.1 on release-1.10",
        b1_11=HAS,
    ),
    "DEL6": _row(b1_7="upgrade to v1.12.0 or later", b1_12=HAS),
    "DEL6-template": _row(  # kubeovn/kube-ovn#2486: #2504 is in v1.9.23 and v1.11.5, in no v1.10 tag
        b1_7="upgrade to v1.9.23 or later",
        b1_9="fixed in v1.9.23 on release-1.9",
        b1_10="no release-1.10 release has the fix: upgrade to v1.11.5 or later",
        b1_11="fixed in v1.11.5 on release-1.11",
        b1_12=HAS,
    ),
    "DEL7": _row(b1_7="upgrade to v1.13.7 or later", b1_13="fixed in v1.13.7 on release-1.13", b1_14=HAS),
    "MIG1": _row(b1_7="upgrade to v1.15.9 or later", b1_15="fixed in v1.15.9 on release-1.15", b1_16=HAS),
    "MIG2": _row(b1_7="upgrade to v1.13.15 or later", b1_13="fixed in v1.13.15 on release-1.13", b1_14=HAS),
    "MIG4": _row(
        b1_7="upgrade to v1.15.14 or later",
        b1_15="fixed in v1.15.14 on release-1.15",
        b1_16="no release-1.16 tag has the fix yet: its head has it (the next v1.16.3)",
        master=HAS,
    ),
    "PORT1": _row(b1_7="upgrade to v1.12.18 or later", b1_12="fixed in v1.12.18 on release-1.12", b1_13=HAS),
    "GC1": _row(b1_7="upgrade to v1.14.24 or later", b1_14="fixed in v1.14.24 on release-1.14", b1_15=HAS),
    "GC2": _row(b1_7="upgrade to v1.14.24 or later", b1_14="fixed in v1.14.24 on release-1.14", b1_15=HAS),
    "GC4": _row(b1_7="upgrade to v1.13.0 or later", b1_13=HAS),
    "IP1": _row(b1_7="upgrade to v1.14.7 or later", b1_14="fixed in v1.14.7 on release-1.14", b1_15=HAS),
    "IP3": _row(
        b1_7="upgrade to v1.15.20 or later",
        b1_15="fixed in v1.15.20 on release-1.15",
        b1_16="no release-1.16 tag has the fix yet: its head has it (the next v1.16.3)",
        master=HAS,
    ),
}
EXPECTED["MIG4"]["master"] = HAS
EXPECTED["IP3"]["master"] = HAS


def _finding(code: str) -> PortFinding:
    reason = "DEL6" if code == "DEL6-template" else code
    sources = ("vm-template-annotation",) if code == "DEL6-template" else ("vm-spec",)
    verdict = BY_CODE[reason].verdict
    return PortFinding("p.ns", "ovn", "default", sources, False, True, True, "s", (), verdict, reason, "detail")


def test_every_fixed_reason_has_a_per_branch_fix_and_a_row_here() -> None:
    fixed = {r.code for r in REASONS if r.fixed_in}
    assert fixed == {c for c in FIXES if c != "DEL6-template"}
    assert set(EXPECTED) == set(FIXES)


@pytest.mark.parametrize("code", sorted(EXPECTED))
@pytest.mark.parametrize("branch", BRANCHES)
def test_advice_names_the_fix_on_the_running_branch(code: str, branch: str) -> None:
    release = "master" if branch == "master" else f"v{branch}.0"
    finding = _finding(code)
    advice = " ".join(advice_for(finding.verdict, [finding], f.settings(release)))
    assert EXPECTED[code][branch] in advice, (release, advice)


@pytest.mark.parametrize(
    "release,says",
    [
        ("v1.9.22", "fixed in v1.9.23 on release-1.9"),
        ("v1.10.10", "upgrade to v1.11.5 or later"),
        ("v1.11.3", "fixed in v1.11.5 on release-1.11"),
    ],
)
def test_2486_advice_names_the_branch_fix_not_v1_12_0(release: str, says: str) -> None:
    finding = _finding("DEL6-template")
    advice = " ".join(advice_for(finding.verdict, [finding], f.settings(release)))
    assert says in advice and "upgrade to v1.12.0" not in advice


def _stopped_vm_2486(release: str):
    """#2486 as the replay sees it (not a hand-made finding): a stopped VM that has run, with keep-vm-ip, whose only
    secondary network is named by its template's Multus annotation; its port is still in NB."""
    provider = "nad-a.vmns.ovn"
    snap = f.snapshot(
        "vmns",
        "VirtualMachine",
        "vm1",
        vm_obj=f.vm("vm1", "vmns", template_annotations={"k8s.v1.cni.cncf.io/networks": "vmns/nad-a"}, ready=False),
        nads=[f.nad("nad-a", "vmns")],
        subnets=[f.subnet("subnet-nad-a", provider, "172.19.0.0/16")],
        nb=[
            f.nb_port("vm1.vmns", "vmns", "vm1"),
            f.nb_port(f"vm1.vmns.{provider}", "vmns", "vm1", "subnet-nad-a", address="00:00:00:0b:00:03 172.19.0.3"),
        ],
    )
    return judge(snap, f.settings(release, keep_vm_ip=True)), f"vm1.vmns.{provider}"


@pytest.mark.parametrize(
    "release,says",
    [
        ("v1.9.22", "fixed in v1.9.23 on release-1.9"),
        ("v1.10.10", "no release-1.10 release has the fix: upgrade to v1.11.5 or later"),
        ("v1.11.3", "fixed in v1.11.5 on release-1.11"),
    ],
)
def test_2486_replayed_names_the_branch_fix_and_no_circular_workaround(release: str, says: str) -> None:
    """The replay gave this port sources ("nb",) only, so its DEL6 took spec.networks' fix (v1.12.0) and advised
    naming the network in the template's annotation, which is what the VM already does."""
    judgement, name = _stopped_vm_2486(release)
    finding = f.port(judgement, name)
    assert (finding.verdict, finding.reason) == ("deletion-risk", "DEL6")
    assert "vm-template-annotation" in finding.sources and "#2504" in finding.detail
    advice = " ".join(judgement.advice)
    assert says in advice and "upgrade to v1.12.0" not in advice, advice
    assert "or name the network in the template" not in advice, advice


@pytest.mark.parametrize("release", ["v1.9.23", "v1.11.5", "v1.12.0"])
def test_2486_fixed_releases_keep_the_port(release: str) -> None:
    judgement, name = _stopped_vm_2486(release)
    assert (f.port(judgement, name).verdict, judgement.verdict) == ("ok", "ok")


def _at_patch(release: str, patch: int) -> str:
    return release.rsplit(".", 1)[0] + f".{patch}"


BOUNDARIES = [
    (code, branch, m.group(1), int(m.group(2)))
    for code, row in sorted(EXPECTED.items())
    for branch, phrase in row.items()
    for m in [re.match(r"fixed in (v\d+\.\d+\.(\d+)) on release-", phrase)]
    if m
]


@pytest.mark.parametrize("code,branch,fixed,patch", BOUNDARIES, ids=lambda v: str(v))
def test_advice_changes_at_the_branch_fix_itself(code: str, branch: str, fixed: str, patch: int) -> None:
    """The last release without the fix names it; the fix release itself says it has it (the table above holds
    only x.y.0: a fix keyed one patch off would pass there)."""
    finding = _finding(code)
    before = " ".join(advice_for(finding.verdict, [finding], f.settings(_at_patch(fixed, patch - 1))))
    at = " ".join(advice_for(finding.verdict, [finding], f.settings(fixed)))
    assert EXPECTED[code][branch] in before, before
    assert HAS in at and "fixed in v" not in at, at


@pytest.mark.parametrize("code", sorted(r.code for r in REASONS if not r.fixed_in))
def test_reasons_no_release_fixes_never_name_a_fix(code: str) -> None:
    """Every reason, every branch: one no upstream change fixes never sends the operator to an upgrade."""
    reason = BY_CODE[code]
    finding = PortFinding("p.ns", "ovn", "default", ("vm-spec",), False, True, True, "s", (), reason.verdict, code, "d")
    for branch in BRANCHES:
        release = "master" if branch == "master" else f"v{branch}.0"
        advice = " ".join(advice_for(reason.verdict, [finding], f.settings(release)))
        assert not re.search(r"fixed in v|has the fix|upgrade to v", advice), (release, advice)
