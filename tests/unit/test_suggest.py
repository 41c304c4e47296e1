"""explain's input as operators paste it, and the names offered after a not-found (issue #18): literals only."""

from __future__ import annotations

import pytest

from kubectl_ovn_lsp.model.suggest import close_names, edit_distance, target_from_paste


@pytest.mark.parametrize(
    "pasted,name",
    [
        (
            "E1127 10:06:00.123456       1 gc.go:430] lsp lost for pod vm-a.test-ns, please delete the pod and retry",
            "vm-a.test-ns",
        ),
        ("lsp lost for pod node-node2, please delete the pod and retry", "node-node2"),
        (
            "2026-11-27T10:00:00.1Z stderr F I1127 10:00:00.1 1 gc.go:436] gc logical switch port "
            "vm1.vmns.nad-a.vmns.ovn with uuid 0b7c5a1e-1f2a-4b3c-9d8e-7f6a5b4c3d2e",
            "vm1.vmns.nad-a.vmns.ovn",
        ),
        ('{"log": "E1127 10:06:00.1 1 gc.go:476] lsp lost for pod web-5f7c.app, please delete"}', "web-5f7c.app"),
        ("vm-a.test-ns,", "vm-a.test-ns"),
        ("  'vm-a';", "vm-a"),
        ("`pod/web-5f7c.`", "pod/web-5f7c"),
        ("(node/node2)", "node/node2"),
        ("vm-a", "vm-a"),
        (",", ","),  # nothing left: the text stays as it is (and is not found)
    ],
)
def test_a_pasted_gc_line_or_a_trailing_comma_gives_the_name(pasted: str, name: str) -> None:
    assert target_from_paste(pasted) == name


@pytest.mark.parametrize(
    "a,b,distance", [("vm-a", "vm-b", 1), ("vm-a", "vm-a", 0), ("kitten", "sitting", 3), ("vm2", "vm-2", 1)]
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 5) == distance


def test_edit_distance_stops_past_the_limit() -> None:
    assert edit_distance("a", "abcdefgh", 2) == 3
    assert edit_distance("abcdef", "uvwxyz", 2) == 3


def test_close_names_are_within_two_edits_closest_first() -> None:
    listed = ["vm-a", "vm-b", "web-5f7c", "vm-xyz", "vm-x", "virt-launcher-vm-a-7xk2p"]
    assert close_names("vm-x", listed) == ["vm-a", "vm-b", "vm-xyz"]
    assert close_names("vm-xy", listed) == ["vm-x", "vm-xyz", "vm-a"]
    assert close_names("web-5f7", listed) == ["web-5f7c"]
    assert close_names("database", listed) == []
