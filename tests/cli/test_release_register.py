"""docs/architecture.md, "How to add a release", followed with a fake tag: v1.16.3 (not tagged upstream when the
model was checked) is added to the release register as step 2 says, with `gc.go` lines of its own, and must reach
every view: version resolution, band, behaviour, fixes per branch, the log line ranges, `version` and the
completion of `--kube-ovn-version`. Expectations are literals."""

from __future__ import annotations

import dataclasses
import io

import pytest

from kubectl_ovn_lsp.cli import complete
from kubectl_ovn_lsp.cli import main as cli
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.model import bands, fixes, gc_lines, release_register, releases
from kubectl_ovn_lsp.model.log_events import DELETE_FAILED, DELETED, GC_ERROR, LOST
from kubectl_ovn_lsp.model.release_register import Register
from kubectl_ovn_lsp.model.releases import Resolved, resolve
from kubectl_ovn_lsp.model.settings import settings_from_deployment
from kubectl_ovn_lsp.model.versions import Version

V1_16_2, V1_16_3 = Version(1, 16, 2), Version(1, 16, 3)


def _with_v1_16_3(register: Register) -> Register:
    """Step 2: raise release-1.16's `last` and give the lines the new tag moved (made up: gc.go 600 and 560, and
    controller.go 1420); the others (delete-failed at gc.go:515, …) stay where v1.16.2 logs them."""
    moved = {LOST: 600, DELETED: 560, GC_ERROR: 1420}
    branches = tuple(
        dataclasses.replace(b, last=3, lines=(*b.lines, (3, moved))) if b.key == (1, 16) else b
        for b in register.branches
    )
    return Register(branches, register.master)


@pytest.fixture
def fake_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(release_register, "REGISTER", _with_v1_16_3(release_register.REGISTER))


def _version_text() -> str:
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    assert cli.main(["version"], env) == 0
    return env.stdout.getvalue()


def _completed_versions(partial: str) -> list[str]:
    found, _ = complete.candidates(["explain", "vm-a", "--kube-ovn-version", partial])
    return [c.split("\t")[0] for c in found]


def test_before_the_tag_is_added() -> None:
    """The shipped register: v1.16.3 is newer than checked, its switch entry unreleased."""
    assert resolve("v1.16.3").assumed and resolve("v1.16.3").behaviour_of == "v1.16.2 + release-1.16 head"
    assert not bands.behaviour_for(V1_16_3).ipam_by_nad_type
    assert [r.as_text() for r in gc_lines.releases(LOST, 553)] == ["v1.16.0–v1.16.2 and newer"]
    assert [r.as_text() for r in gc_lines.releases(GC_ERROR, 1414)] == ["v1.16.2 and newer"]
    assert [r.as_text() for r in gc_lines.releases(DELETE_FAILED, 515)] == ["v1.16.0–v1.16.2 and newer"]
    defer = bands.SWITCHES["migrate_defer_unscheduled"]  # #6834: v1.15.14, master and the release-1.16 head
    assert fixes.on_branch(defer, V1_16_2) == (
        "no release-1.16 tag has the fix yet: its head has it (the next v1.16.3) (also master)"
    )
    assert (
        fixes.on_branch(defer, Version(1, 15, 2))
        == "fixed in v1.15.14 on release-1.15 (also master, the release-1.16 head)"
    )
    assert "  K  v1.16.0–v1.16.2\n" in _version_text()
    assert _completed_versions("v1.16.")[0] == "v1.16.2"


def test_a_new_tag_reaches_version_resolution_and_settings(fake_tag: None) -> None:
    assert resolve("v1.16.3") == Resolved(V1_16_3, behaviour_of="v1.16.3")
    assert releases.is_checked_release(V1_16_3) and releases.newest_checked((1, 16)) == V1_16_3
    assert releases.known_releases()[-2:] == (V1_16_3, Version(1, 17, 0))
    settings = settings_from_deployment(None, {"version": "v1.16.3"})
    assert (settings.band, settings.version_assumed, settings.notes) == ("K", False, ())
    # a release past it is "newer than checked" against the new tag
    assert resolve("v1.16.4").behaviour_of == "v1.16.3 + release-1.16 head"


def test_a_new_tag_reaches_the_band_and_the_behaviour(fake_tag: None) -> None:
    assert bands.band_of(V1_16_3).letter == "K"
    assert bands.band_by_letter("K").tags == "v1.16.0–v1.16.3"
    # ipam_by_nad_type named v1.16.3 as its unreleased first release: with the tag checked it applies
    assert bands.behaviour_for(V1_16_3).ipam_by_nad_type
    assert not bands.behaviour_for(V1_16_2).ipam_by_nad_type


def test_a_new_tag_reaches_the_fixes_per_branch(fake_tag: None) -> None:
    defer = bands.SWITCHES["migrate_defer_unscheduled"]
    assert fixes.on_branch(defer, V1_16_2) == "fixed in v1.16.3 on release-1.16 (also master)"
    assert fixes.on_branch(defer, V1_16_3) == "this release (v1.16.3) has the fix (v1.15.14, v1.16.3, master)"
    assert fixes.on_branch(defer, Version(1, 15, 2)) == "fixed in v1.15.14 on release-1.15 (also v1.16.3, master)"


def test_a_new_tag_reaches_the_gc_line_ranges(fake_tag: None) -> None:
    lost = [r.as_text() for r in gc_lines.releases(LOST, 600)]
    deleted = [r.as_text() for r in gc_lines.releases(DELETED, 560)]
    assert lost == deleted == ["v1.16.3 and newer"]
    assert [r.as_text() for r in gc_lines.releases(LOST, 553)] == ["v1.16.0–v1.16.2"]  # closed now
    assert gc_lines.logs_at(LOST, 600, Version(1, 16, 7))
    assert not gc_lines.logs_at(LOST, 553, V1_16_3)
    assert gc_lines.newest_checked(Version(1, 16, 4)) == "v1.16.3"
    # the failure lines too: one moved, one stayed
    assert [r.as_text() for r in gc_lines.releases(GC_ERROR, 1420)] == ["v1.16.3 and newer"]
    assert [r.as_text() for r in gc_lines.releases(GC_ERROR, 1414)] == ["v1.16.2"]
    assert [r.as_text() for r in gc_lines.releases(DELETE_FAILED, 515)] == ["v1.16.0–v1.16.3 and newer"]


def test_a_new_tag_reaches_version_and_completion(fake_tag: None) -> None:
    text = _version_text()
    assert "Kube-OVN releases known to the model: v1.7.0 to v1.16.3 (213 tags), and master 1533681d7" in text
    assert "  K  v1.16.0–v1.16.3\n" in text and "  J  v1.15.0–v1.15.24\n" in text
    assert _completed_versions("v1.16.") == ["v1.16.3", "v1.16.2", "v1.16.1", "v1.16.0"]


def test_a_switch_release_that_is_neither_checked_nor_next_is_refused() -> None:
    """A typo in a switch's first release fails at import (bands.check_switches): with release-1.16 checked only up
    to v1.16.0, ipam_by_nad_type's v1.16.3 is no longer the branch's next release."""
    branches = tuple(
        dataclasses.replace(b, last=0) if b.key == (1, 16) else b for b in release_register.REGISTER.branches
    )
    with pytest.raises(ValueError, match="switch ipam_by_nad_type: v1.16.3 is neither a checked release nor the next"):
        bands.check_switches(Register(branches, release_register.REGISTER.master))
    bands.check_switches(release_register.REGISTER)  # the shipped register passes
