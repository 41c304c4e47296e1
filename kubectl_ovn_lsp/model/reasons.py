"""Reason codes: which verdict each code qualifies and what it means, in one line (`reasons`, docs, README).

The long plain-language advice for each code is in `advice.py`; this table is the index users look up.
Codes are stable: add new ones, never reuse one for another meaning (docs/contracts.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubectl_ovn_lsp.model import verdicts


@dataclass(frozen=True)
class Reason:
    code: str
    verdict: str  # the port verdict this code qualifies
    summary: str  # one line
    fixed_in: str = ""  # the releases that fix it, as text ("" = not fixed upstream / not a bug)


REASONS: tuple[Reason, ...] = (
    Reason(
        "FP1",
        verdicts.FALSE_POSITIVE.name,
        "GC expects <vm>.<ns> for a VM whose only network is a Multus default network",
        "v1.13.6, v1.14.0 (#5106)",
    ),
    Reason(
        "FP2",
        verdicts.FALSE_POSITIVE.name,
        "GC's VM path appends .ovn to a Multus network that is not a kube-ovn NAD (IPAM-only or another CNI)",
    ),
    Reason("FP3", verdicts.FALSE_POSITIVE.name, "GC expects the ports of a VM that has never run"),
    Reason(
        "FP4",
        verdicts.FALSE_POSITIVE.name,
        "a NAD attached twice gets per-interface names (v1.16+); GC expects the un-suffixed one",
    ),
    Reason("FP5", verdicts.FALSE_POSITIVE.name, "--non-primary-cni-mode: the VM has no <vm>.<ns> port, GC expects it"),
    Reason(
        "FP6",
        verdicts.FALSE_POSITIVE.name,
        "the port exists but GC's list filter hides it (type, or no vendor=kube-ovn under --enable-external-vpc)",
    ),
    Reason("FP7", verdicts.FALSE_POSITIVE.name, "a hostNetwork pod carries allocation annotations", "v1.15.0"),
    Reason(
        "FP8",
        verdicts.FALSE_POSITIVE.name,
        "an IPAM-only attachment taken for an OVN network by the subnet test",
        "v1.13.0",
    ),
    Reason("FP9", verdicts.LOST.name, "missing for a pod allocated under a minute ago: probably transient"),
    Reason(
        "DEL1",
        verdicts.DELETION_RISK.name,
        "a stopped VM's port whose spec uses a bare networkName",
        "v1.12.4, v1.13.0 (#3378)",
    ),
    Reason(
        "DEL2",
        verdicts.DELETION_RISK.name,
        "a stopped VM without a template Multus annotation",
        "v1.14.5, v1.15.0 (#5557)",
    ),
    Reason("DEL3", verdicts.DELETION_RISK.name, "v1.8.1–v1.8.18 never expect Kube-OVN attachment ports", "v1.9.0"),
    Reason(
        "DEL4",
        verdicts.DELETION_RISK.name,
        "a port Kube-OVN did not create (no vendor=kube-ovn) that GC lists "
        "and deletes under --enable-external-vpc=false",
    ),
    Reason(
        "DEL5",
        verdicts.DELETION_RISK.name,
        "a stopped VM's port in a release whose GC has no VM path (getVmLsps)",
        "v1.8.7, v1.9.4, v1.10.1, v1.11.0",
    ),
    Reason(
        "DEL6",
        verdicts.DELETION_RISK.name,
        "a stopped VM's port whose network GC's VM path does not read "
        "(spec.networks before v1.12.0, or a template annotation it cannot parse)",
        "v1.12.0",
    ),
    Reason(
        "DEL7",
        verdicts.DELETION_RISK.name,
        "a running StatefulSet pod GC thinks is going away (StatefulSet gone, re-created or scaled below its ordinal)",
        "scaled-down case: v1.13.7, v1.14.0 (#5122)",
    ),
    Reason(
        "DEL8",
        verdicts.DELETION_RISK.name,
        "the pod's Subnet (logical_switch annotation) does not exist, so GC does not expect the port the pod uses",
    ),
    Reason("DEL9", verdicts.DELETION_RISK.name, "GC's OVN-subnet test rejects the provider of the pod's Subnet"),
    Reason(
        "DEL10",
        verdicts.DELETION_RISK.name,
        "the port of an existing Vip that this release does not exempt "
        "from GC (typed Vips from v1.14.0; arp_proxy ports before)",
    ),
    Reason(
        "DEL11",
        verdicts.DELETION_RISK.name,
        "a stopped VM's per-interface port (a NAD attached twice, v1.16+): GC's VM path knows only the "
        "un-suffixed name",
    ),
    Reason(
        "LOST1", verdicts.LOST.name, "the pod is allocated on a Subnet that does not exist: no port, nothing repairs it"
    ),
    Reason(
        "LOST2",
        verdicts.LOST.name,
        "a stopped VM's port GC expects is missing from NB (an earlier release's GC or a hand deleted it): nothing "
        "creates it until the VM starts",
    ),
    Reason(
        "PORT1",
        verdicts.LOST.name,
        "the port is on another logical switch than the Subnet its owner is allocated on: on that Subnet the owner "
        "has no port",
        "moved by the allocation from v1.12.18, v1.13.0 (#4199); #3424",
    ),
    Reason(
        "PORT2",
        verdicts.LOST.name,
        "the port's MAC differs from the owner's allocation (mac_address): OVN delivers the owner's frames nowhere",
    ),
    Reason(
        "PORT3",
        verdicts.DEGRADED.name,
        "the port's IP addresses differ from the owner's allocation (ip_address)",
    ),
    Reason(
        "PORT4",
        verdicts.LOST.name,
        "port_security allows other addresses than the owner's allocation: OVN drops the owner's traffic",
    ),
    Reason(
        "PORT5",
        verdicts.DEGRADED.name,
        "no port_security although the owner asks for it (<p>.kubernetes.io/port_security=true)",
    ),
    Reason(
        "PORT6",
        verdicts.DEGRADED.name,
        "external_ids:ls does not name the switch that holds the port (GC's delete and the allocation act on it)",
    ),
    Reason(
        "GC1",
        verdicts.DEGRADED.name,
        "GC's delete of this port fails on every cycle (no or empty external_ids:ls): markAndCleanLSP stops there, "
        "cluster-wide (no 'lsp lost' lines, no new deletions)",
        "v1.14.24, v1.15.0 (#6103)",
    ),
    Reason(
        "GC2",
        verdicts.DEGRADED.name,
        "GC's delete of this port does nothing (no external_ids:ls, v1.13.0–v1.14.7): the port stays while its IP "
        "CR is deleted and its address released",
        "v1.14.24, v1.15.0 (#6103)",
    ),
    Reason(
        "GC3",
        verdicts.DEGRADED.name,
        "GC's delete of this port does nothing: external_ids:ls names an existing switch that does not hold it",
    ),
    Reason(
        "GC4",
        verdicts.DEGRADED.name,
        "GC's delete of this port fails on every cycle: its external_ids:ls names a switch that does not exist "
        "(v1.12), or no or several switches hold it",
        "missing switch: v1.13.0 (#4157)",
    ),
    Reason(
        "IP1",
        verdicts.LEAKED.name,
        "an IP CR whose owner is gone that no GC of this release collects (gcIP checks owners from v1.14.7/v1.15.0)",
        "v1.14.7, v1.15.0 (#5702; at controller start)",
    ),
    Reason(
        "IP2",
        verdicts.LEAKED.name,
        "an IP CR whose owner is gone: the periodic GC never collects it, only gcIP at the next controller start",
    ),
    Reason(
        "IP3",
        verdicts.LEAKED.name,
        "an IPAM-only attachment's IP CR the pod deletion left behind because its NAD was gone (#6943)",
        "v1.15.20 (#7034); release-1.16 head",
    ),
    Reason(
        "IP4",
        verdicts.DEGRADED.name,
        "two ports or IP CRs of different names hold one address in one Subnet (a cluster finding)",
    ),
    Reason(
        "MIG1",
        verdicts.DEGRADED.name,
        "live migration: the release sets the migration options only on <vm>.<ns>, never on this attachment port",
        "v1.15.9, v1.16.0 (#6241)",
    ),
    Reason(
        "MIG2",
        verdicts.DEGRADED.name,
        "live migration: the release's handler sets the migration options on no "
        "port (needAllocateSubnets of the source pod is empty)",
        "v1.13.15, v1.14.0 (#5388)",
    ),
    Reason(
        "MIG4",
        verdicts.DEGRADED.name,
        "live migration: the handler ran before the target pod was scheduled, logged 'migration setup skipped' and "
        "never retries (#6823)",
        "v1.15.14 (#6834); release-1.16 head",
    ),
    Reason(
        "MIG3",
        verdicts.DEGRADED.name,
        "live migration: the release sets the migration options on this port, "
        "but NB lacks them (handler failing or not run, or --enable-live-migration-optimize=false)",
    ),
)
BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}


def table() -> list[tuple[str, int, str, str, str]]:
    """One table of verdicts and codes (README, docs/contracts.md, a `reasons` command): per verdict, most severe
    first, a row for the verdict itself (code "") and one per reason code qualifying it.
    Rows: (verdict, exit code, code, meaning, fixed in)."""
    rows: list[tuple[str, int, str, str, str]] = []
    for v in sorted(verdicts.VERDICTS, key=lambda v: (-v.severity, v.exit_code == 1, v.name)):
        rows.append((v.name, v.exit_code, "", v.meaning, ""))
        rows += [(v.name, v.exit_code, r.code, r.summary, r.fixed_in) for r in REASONS if r.verdict == v.name]
    return rows
