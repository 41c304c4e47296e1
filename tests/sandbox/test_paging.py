"""The sandbox's list chunking as etcd reads a range: each page starts after the token's key, in (namespace, name)
order, without sorting or scanning the whole kind again (a 120,000-pod list of 240 pages took minutes)."""

from __future__ import annotations

from ovn_lsp_sandbox.apiserver.paging import page
from ovn_lsp_sandbox.apiserver.store import ObjectStore


def _pod(ns: str, name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}}


def test_pages_of_one_list_every_pod_once_in_key_order() -> None:
    # "a-b" sorts before "a/…" as a string ('-' < '/') but after "a" as a namespace: no pod may be skipped
    pods = [_pod("a", "x"), _pod("a", "y"), _pod("a-b", "z"), _pod("b", "w")]
    store = ObjectStore(pods)
    rt = store.registry.for_object(pods[0])
    seen, token, pages = [], "", 0
    while True:
        got = page(store.keyed(rt), lambda o: True, 1, token, 1, None, False)
        seen += [f"{o['metadata']['namespace']}/{o['metadata']['name']}" for o in got.items]
        token, pages = got.continue_token, pages + 1
        if not token:
            break
    assert seen == ["a/x", "a/y", "a-b/z", "b/w"] and pages == 4
    assert store.keyed(rt) is store.keyed(rt)  # kept between pages while nothing changes
    second = page(store.keyed(rt), lambda o: True, 2, "", 1, None, False)
    assert second.remaining == 2 and [o["metadata"]["name"] for o in second.items] == ["x", "y"]
