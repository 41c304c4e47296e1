"""A full NB read keeps one copy of the strings its rows repeat (nb/query.py `_Shared`): the keys and values of
external_ids and options, one empty options map. Values and order stay exactly as NB sent them."""

from __future__ import annotations

import json

from kubectl_ovn_lsp.nb.reply import lookup_of_results


def _row(i: int, pod: str, options: list) -> dict:
    ids = [["ls", "ovn-default"], ["pod", pod], ["vendor", "kube-ovn"]]
    return {
        "_uuid": ["uuid", f"00000000-0000-0000-0000-00000000000{i}"],
        "name": f"p{i}",
        "type": "",
        "external_ids": ["map", ids],
        "addresses": f"00:00:00:00:00:0{i} 10.16.0.{i}",
        "options": ["map", options],
    }


def test_a_full_read_shares_map_keys_values_and_the_empty_map() -> None:
    rows = [_row(1, "app/web", []), _row(2, "app/web", []), _row(3, "app/db", [["requested-chassis", "n1"]])]
    ports, _ = lookup_of_results(json.loads(json.dumps([{"rows": rows}])))  # decoded apart, as NB replies are
    assert [dict(p.external_ids) for p in ports] == [
        {"ls": "ovn-default", "pod": "app/web", "vendor": "kube-ovn"},
        {"ls": "ovn-default", "pod": "app/web", "vendor": "kube-ovn"},
        {"ls": "ovn-default", "pod": "app/db", "vendor": "kube-ovn"},
    ]
    assert [list(p.external_ids) for p in ports] == [["ls", "pod", "vendor"]] * 3
    assert [dict(p.options) for p in ports] == [{}, {}, {"requested-chassis": "n1"}]
    assert ports[0].options is ports[1].options
    first, second = (list(p.external_ids.items()) for p in ports[:2])
    assert all(k1 is k2 and v1 is v2 for (k1, v1), (k2, v2) in zip(first, second))
