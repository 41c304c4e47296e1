"""serve's log cursors: no line counted twice across cycles or container restarts (kubelet answers as literals)."""

from __future__ import annotations

from kubectl_ovn_lsp.serve.cursor import Cursor, Read, new_lines, plan, since_time, stamp_of

T0 = "2026-11-27T10:00:00.120001000Z"
T1 = "2026-11-27T10:00:00.120002000Z"
T2 = "2026-11-27T10:06:00.000000000Z"
NS_T0 = 1795773600_120001000  # 2026-11-27T10:00:00.120001Z in ns since the epoch (date -d … +%s: 1795773600)


def line(stamp: str, text: str) -> str:
    return f"{stamp} {text}"


def test_stamps_are_read_to_the_nanosecond_and_since_time_is_their_second() -> None:
    assert stamp_of(line(T0, "x")) == NS_T0
    assert stamp_of(line(T1, "x")) == NS_T0 + 1000
    assert stamp_of("I1127 10:00:00.120001 1 gc.go:476] no kubelet stamp") is None
    assert since_time(Cursor(NS_T0, 1, 0)) == "2026-11-27T10:00:00Z"


def test_a_later_read_skips_what_was_counted_even_within_one_second_and_one_stamp() -> None:
    first = [line(T0, "a"), line(T1, "b"), line(T1, "c")]
    fresh, cursor = new_lines(first, None, 0)
    assert fresh == first and cursor == Cursor(NS_T0 + 1000, 2, 0)
    # the next answer starts at the second of the cursor (sinceTime): it repeats all three, then a new line at the
    # very same stamp, then a later one
    again = [*first, line(T1, "d"), line(T2, "e")]
    fresh, cursor = new_lines(again, cursor, 0)
    assert fresh == [line(T1, "d"), line(T2, "e")]
    assert cursor == Cursor(stamp_of(line(T2, "")) or 0, 1, 0)
    fresh, same = new_lines(again, cursor, 0)  # nothing new: nothing counted, the cursor stays
    assert fresh == [] and same == cursor


def test_plans_first_cycle_steady_restart_and_runs_lost_between_cycles() -> None:
    assert plan(None, 3, first_cycle=True).reads == (Read(previous=False, since=None, counts=False),)
    c = Cursor(NS_T0, 1, 2)
    assert plan(c, 2, first_cycle=False).reads == (Read(previous=False, since=c, counts=True),)
    restarted = plan(c, 3, first_cycle=False)
    assert restarted.reads == (Read(previous=True, since=c, counts=True), Read(previous=False, since=None, counts=True))
    assert restarted.lost_runs == 0
    twice = plan(c, 5, first_cycle=False)
    assert twice.reads == (Read(previous=True, since=None, counts=True), Read(previous=False, since=None, counts=True))
    assert twice.lost_runs == 2  # runs 3 and 4 ended and were replaced; only run 4's log (previous) is kept
    new_pod = plan(None, 1, first_cycle=False)  # a controller pod that appeared since the last cycle
    assert new_pod.reads == (
        Read(previous=True, since=None, counts=True),
        Read(previous=False, since=None, counts=True),
    )
    assert plan(None, 0, first_cycle=False).reads == (Read(previous=False, since=None, counts=True),)


def test_a_restart_counts_the_rest_of_the_old_log_and_all_of_the_new_one_once() -> None:
    old = [line(T0, "a"), line(T1, "b")]
    _, cursor = new_lines(old[:1], None, 0)  # the last cycle saw only "a"
    steps = plan(cursor, 1, first_cycle=False)
    previous_answer = old  # previous=true&sinceTime=10:00:00Z
    current_answer = [line(T2, "c")]
    counted: list[str] = []
    for step, answer in zip(steps.reads, (previous_answer, current_answer)):
        fresh, cursor = new_lines(answer, step.since, 1)
        counted += fresh
    assert counted == [line(T1, "b"), line(T2, "c")]
    assert cursor.restarts == 1 and cursor.at_stamp == 1
