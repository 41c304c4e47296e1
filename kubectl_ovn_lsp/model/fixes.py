"""Which release fixes a reason code on the running release's branch (issue #16 item 5; docs/kube-ovn-facts.md,
"Fixed in, per branch").

A fix is a switch of `bands.SWITCHES`: "on from this first release in each listed branch; newer branches inherit
it". So the fix a user can take depends on their branch: kubeovn/kube-ovn#2504 (the VM template annotation, #2486)
is in v1.9.23 and v1.11.5 and v1.12.0, and no v1.10 tag has it. `fixed_text` says it for the running release:
the first fixed release on its branch, else that its branch has none and the first release after it that has one,
plus the unreleased branch heads that have it. Codes that no release fixes (a state, not a bug) have no entry.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubectl_ovn_lsp.model.bands import SWITCHES, Since
from kubectl_ovn_lsp.model.releases import master
from kubectl_ovn_lsp.model.settings import ControllerSettings
from kubectl_ovn_lsp.model.versions import Version


@dataclass(frozen=True)
class Fix:
    """The switch whose first releases fix a code, the upstream change, and what the fix does (one clause)."""

    switch: str
    change: str  # "#5106"
    what: str = ""


# reason code -> its fix. DEL6 has two: the template annotation (#2504) and spec.networks (v1.12.0); `fix_for`
# picks by the port's source.
FIXES: dict[str, Fix] = {
    "FP1": Fix("vm_skip_default_multus", "#5106"),
    "FP7": Fix("hostnetwork_skip", "#6091"),
    "FP8": Fix("provider_three_field_test", "#3915"),
    "DEL1": Fix("vm_bare_network_name", "#3378"),
    "DEL2": Fix("vm_empty_annotation_guard", "#5557"),
    "DEL3": Fix("provider_suffix_test", "the HasSuffix subnet test"),
    "DEL5": Fix("vm_lsps", "getVmLsps"),
    "DEL6": Fix("vm_spec_networks", "spec.networks in GC's VM path"),
    "DEL6-template": Fix("vm_template_annotation", "#2504, kubeovn/kube-ovn#2486"),
    "DEL7": Fix("sts_to_gc", "#5122", "for a scaled-down pod that still runs"),
    "MIG1": Fix("migrate_all_vm_ports", "#6241"),
    "MIG2": Fix("migrate_handler_all_nets", "#5388"),
    "MIG4": Fix("migrate_defer_unscheduled", "#6834"),
    "PORT1": Fix("port_update_moves_switch", "#4015/#4199", "the allocation moves the port"),
    "GC1": Fix("gc_delete_no_ls_lookup", "#6103"),
    "GC2": Fix("gc_delete_no_ls_lookup", "#6103"),
    "GC4": Fix("gc_delete_skips_no_ls", "#4157", "a switch that does not exist is looked up by the port"),
    "IP1": Fix("gc_ip_owner_check", "#5702", "gcIP collects it at controller start"),
    "IP3": Fix("ipam_only_released", "#7034"),
}


def _text(version: Version) -> str:
    return "master" if version.branch >= master().version.branch else str(version)


def _branch(version: Version) -> str:
    return "master" if version.branch >= master().version.branch else f"release-{version.major}.{version.minor}"


def on_branch(since: Since, version: Version | None, head: bool = False) -> str:
    """'v1.9.23' when the running branch has a fixed release; else which later release has it. `head`: the
    unreleased entries count (a branch-head build)."""
    firsts = sorted(since.released())
    heads = sorted(since.unreleased())
    every = ", ".join([_text(v) for v in firsts] + [f"the {_branch(v)} head (next {v})" for v in heads])
    if version is None:
        return f"fixed in {every}"
    if since.applies(version, head):
        return f"this release ({version}) has the fix ({every})"
    mine = [v for v in firsts if v.branch == version.branch]
    if mine:
        return f"fixed in {_text(mine[0])} on {_branch(version)}" + _also(firsts, heads, mine[0], version)
    unreleased = [v for v in heads if v.branch == version.branch]
    if unreleased:
        return f"no {_branch(version)} tag has the fix yet: its head has it (the next {unreleased[0]})" + _also(
            firsts, heads, unreleased[0], version
        )
    later = [v for v in firsts if v.branch > version.branch]
    if not later:
        return f"no release fixes it yet on {_branch(version)}" + (f" (fixed in {every})" if every else "")
    return f"no {_branch(version)} release has the fix: upgrade to {_text(later[0])} or later" + _also(
        firsts, heads, later[0], version
    )


def _also(firsts: list[Version], heads: list[Version], named: Version, version: Version) -> str:
    """The other fixed releases the user could move to (newer branches than theirs)."""
    rest = [_text(v) for v in firsts if v != named and v.branch > version.branch]
    rest += [f"the {_branch(v)} head" for v in heads if v != named and v.branch > version.branch]
    return f" (also {', '.join(rest)})" if rest else ""


def fixed_text(code: str, settings: ControllerSettings) -> str:
    """The fix of `code` for the running release, with the upstream change: 'fixed in v1.14.24 on release-1.14
    (also v1.15.0; #6103)'; '' for a code no upstream change fixes."""
    fix = FIXES.get(code)
    if fix is None:
        return ""
    text = on_branch(SWITCHES[fix.switch], settings.version, settings.head)
    change = f"{fix.change}: {fix.what}" if fix.what else fix.change
    return f"{text}; {change}"


__all__ = ["FIXES", "Fix", "fixed_text", "on_branch"]
