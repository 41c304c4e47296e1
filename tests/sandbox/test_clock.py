"""Scenario time (ovn_lsp_sandbox/clock.py): a scenario's times move with the clock, so no test depends on the date."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ovn_lsp_sandbox import clock
from ovn_lsp_sandbox.scenario_load import load_scenario

AUTHORED = "2026-11-27T11:00:00Z"

pytestmark = pytest.mark.clock


@pytest.mark.parametrize(
    "text, seconds, expected",
    [
        ("2026-11-27T09:54:00Z", 3600, "2026-11-27T10:54:00Z"),
        ("2026-11-27T09:54:00.120001Z", 86400 * 365, "2027-11-27T09:54:00.120001Z"),
        ("2026-12-31T23:59:59+02:00", 1, "2027-01-01T00:00:00+02:00"),
        ("2026-03-01T00:00:00Z", -1, "2026-02-28T23:59:59Z"),
    ],
)
def test_a_timestamp_moves_in_its_own_form(text: str, seconds: int, expected: str) -> None:
    assert clock.moved(text, seconds) == expected


def test_objects_move_everywhere_but_other_strings_stay() -> None:
    objects = [
        {
            "metadata": {"creationTimestamp": "2026-11-27T10:00:00Z", "name": "2026-11-27T10:00:00Z-ish"},
            "status": {"conditions": [{"lastTransitionTime": "2026-11-27T10:00:05Z", "reason": "Ready"}]},
        }
    ]
    clock.move_objects(objects, 60)
    assert objects[0]["metadata"] == {"creationTimestamp": "2026-11-27T10:01:00Z", "name": "2026-11-27T10:00:00Z-ish"}
    assert objects[0]["status"]["conditions"][0] == {"lastTransitionTime": "2026-11-27T10:01:05Z", "reason": "Ready"}


def test_log_lines_move_their_klog_header_and_leading_stamps() -> None:
    text = (
        "E1127 09:54:00.120001       1 gc.go:476] lsp lost for pod web-5f7c.app, please delete the pod and retry\n"
        "2026-11-27T09:54:00.5Z I1127 09:54:00.500000 1 gc.go:436] gc logical switch port old-pod.app\n"
        "2026-11-27T09:54:00.1+02:00 stderr F I1127 07:54:00.100000 1 gc.go:436] x\n"
        "I1231 23:59:00.000001 1 controller.go:1] dated after authoredAt: the year before\n"
        "not a klog line 1127 stays\n"
    )
    assert clock.move_log(text, 86400 + 60, AUTHORED) == (
        "E1128 09:55:00.120001       1 gc.go:476] lsp lost for pod web-5f7c.app, please delete the pod and retry\n"
        "2026-11-28T09:55:00.5Z I1128 09:55:00.500000 1 gc.go:436] gc logical switch port old-pod.app\n"
        "2026-11-28T09:55:00.1+02:00 stderr F I1128 07:55:00.100000 1 gc.go:436] x\n"
        "I0102 00:00:00.000001 1 controller.go:1] dated after authoredAt: the year before\n"
        "not a klog line 1127 stays\n"
    )


def test_a_shipped_scenario_is_as_old_on_any_day() -> None:
    """triage-gc-lines: its first GC line is 66 minutes before authoredAt whatever the loading clock says."""
    for now in (datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc), datetime(2031, 2, 28, 23, 30, tzinfo=timezone.utc)):
        scenario = load_scenario("triage-gc-lines", now=now)
        shift = (now - datetime(2026, 11, 27, 11, 0, tzinfo=timezone.utc)).total_seconds()
        assert scenario.authored_at == AUTHORED and scenario.clock_shift == shift
        log = next(iter(scenario.logs.values()))
        first_gc = next(line for line in log.splitlines() if "gc.go" in line)
        assert first_gc.startswith("I1127 09:54:00.118000") is (shift == 0)
        stamp = datetime.strptime(f"{now.year}{first_gc[1:5]} {first_gc[6:14]}", "%Y%m%d %H:%M:%S")
        assert (now.replace(tzinfo=None) - stamp).total_seconds() == 66 * 60
        deployment = next(o for o in scenario.objects if o["metadata"]["name"] == "kube-ovn-controller")
        assert clock.parse(deployment["metadata"]["creationTimestamp"]) == clock.parse(
            "2026-11-20T08:14:02Z"
        ).astimezone(timezone.utc) + (now - clock.parse(AUTHORED))


def test_a_scenario_without_authored_at_keeps_its_times(tmp_path) -> None:
    path = tmp_path / "own.yaml"
    path.write_text(
        "name: own\nobjects:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a, "
        "creationTimestamp: '2020-01-01T00:00:00Z'}}\n"
    )
    scenario = load_scenario(str(path), now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert scenario.clock_shift == 0 and scenario.objects[0]["metadata"]["creationTimestamp"] == "2020-01-01T00:00:00Z"


def test_a_bad_authored_at_is_one_line(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nauthoredAt: yesterday\n")
    with pytest.raises(ValueError, match="authoredAt must be an RFC 3339 time"):
        load_scenario(str(path))
