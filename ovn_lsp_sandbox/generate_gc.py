"""What a generated cluster adds for the GC views (`audit`, `triage`): orphans, lost node ports, a controller log.

* `orphans` ports of VMs that were stopped and then deleted (two ports each: `<vm>.<ns>` on ovn-default and an
  attachment port), keyed `external_ids:pod=<ns>/<vm>`: GC deletes them, `audit -A` reports them as Orphans;
* every `NODE_PORT_LOST_EVERY`-th node loses its `node-<n>` port (an NB raft recovery, kubeovn/kube-ovn#7322);
* `loglines` kube-ovn-controller lines in klog format over `lognames` distinct port names: `lsp lost` for the
  #5087 VMs and the lost node ports at v1.13.4's gc.go:430, `gc logical switch port` deletions at its gc.go:390
  for orphans and old pods, and lines of other components in between (the generated cluster runs v1.13.4).
"""

from __future__ import annotations

from ovn_lsp_sandbox.nb_content import PortSpec, SwitchSpec

NODE_PORT_LOST_EVERY = 20
LOST_LINE = "E1127 {t}       1 gc.go:430] lsp lost for pod {name}, please delete the pod and retry"
DELETE_LINE = "I1127 {t}       1 gc.go:390] gc logical switch port {name}"
NOISE_LINE = "I1127 {t}       1 pod.go:573] handle add/update pod {name}"


def orphan_ports(count: int, mac: object, ip: object) -> dict[str, list[PortSpec]]:
    """Ports by switch name: `count` deleted VMs `gone-NNNNN` in `vms-00`, two ports each."""
    out: dict[str, list[PortSpec]] = {"ovn-default": [], "attach-0": []}
    for k in range(count):
        vm, ns = f"gone-{k:05d}", "vms-00"
        ids = {"pod": f"{ns}/{vm}", "vendor": "kube-ovn"}
        out["ovn-default"].append(
            PortSpec(
                f"{vm}.{ns}",
                addresses=[f"{mac()} {ip('ovn-default', '10.16')}"],  # type: ignore[operator]
                external_ids={**ids, "ls": "ovn-default"},
            )
        )
        out["attach-0"].append(
            PortSpec(
                f"{vm}.{ns}.attach-0.default.ovn",
                addresses=[f"{mac()} {ip('attach-0', '10.100')}"],  # type: ignore[operator]
                external_ids={**ids, "ls": "attach-0"},
            )
        )
    return out


def add_orphans(switches: list[SwitchSpec], ports: dict[str, list[PortSpec]]) -> None:
    by_name = {sw.name: sw for sw in switches}
    for switch, extra in ports.items():
        if extra:
            by_name[switch].ports.extend(extra)


def drop_node_ports(switches: list[SwitchSpec], node_names: list[str]) -> list[str]:
    """Remove the port of every `NODE_PORT_LOST_EVERY`-th node; returns the lost port names."""
    lost = {f"node-{n}" for i, n in enumerate(node_names) if i % NODE_PORT_LOST_EVERY == NODE_PORT_LOST_EVERY - 1}
    for sw in switches:
        sw.ports = [p for p in sw.ports if p.name not in lost]
    return sorted(lost)


def controller_log(lines: int, distinct: int, lost: list[str], deleted: list[str]) -> str:
    """`lines` klog lines naming `distinct` ports (lost ones first, then deletions, then old pods' deletions),
    one line in ten another component's, in time order."""
    names = [("lost", n) for n in lost] + [("deleted", n) for n in deleted]
    k = 0
    while len(names) < distinct:
        names.append(("deleted", f"old-pod-{k:05d}.tenant-00"))
        k += 1
    names = names[: max(distinct, 1)]
    out = []
    for i in range(lines):
        seconds = 9 * 3600 + i // 10
        t = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{(i * 7919) % 1000000:06d}"
        if i % 10 == 9:
            out.append(NOISE_LINE.format(t=t, name=f"tenant-00/app-{i:05d}"))
            continue
        kind, name = names[i % len(names)]
        out.append((LOST_LINE if kind == "lost" else DELETE_LINE).format(t=t, name=name))
    return "".join(line + "\n" for line in out)
