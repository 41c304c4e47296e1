"""`explain`: the GC replay scoped to one owner — a pod, VM, VMI, node, a port name as GC logs it, or the
orphaned ports of an owner that no longer exists.

Reads a few objects (GETs) into an inventory, reads NB by the rows the model's plan names (`model/explain_plan.py`:
the owner's candidate names and pod keys, or for a port name every owner it could belong to, at once), runs the
same replay `audit` runs, and returns that owner's `Explanation` document. One NB reader serves the command, and
answers a selection an earlier read covers without asking NB again (`nb/reader.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kubectl_ovn_lsp.commands.context import CommandContext, connect
from kubectl_ovn_lsp.commands.errors import Ambiguous, BadInput, NamespaceMismatch
from kubectl_ovn_lsp.environment import Environment
from kubectl_ovn_lsp.errors import PluginError
from kubectl_ovn_lsp.kube.errors import Ambiguous as KubeAmbiguous
from kubectl_ovn_lsp.kube.errors import NotFound
from kubectl_ovn_lsp.model import explain_plan
from kubectl_ovn_lsp.model.explain_plan import Plan
from kubectl_ovn_lsp.model.inventory import Inventory
from kubectl_ovn_lsp.model.owners import NODE, ORPHAN, VIP, Owner, pod_scoped, workload_owners
from kubectl_ovn_lsp.model.records import NbLookup, Selection, SwitchView
from kubectl_ovn_lsp.options import ExplainOptions

if TYPE_CHECKING:
    from kubectl_ovn_lsp.commands.documents import Explanation, ReleaseVerdict

NbRead = Callable[[Selection], NbLookup]


def run(options: ExplainOptions, env: Environment) -> Explanation:
    """The `Explanation` document (docs/contracts.md). Raises PluginError for what cannot be answered."""
    from kubectl_ovn_lsp.nb.backend import open_reader

    common = options.common
    context = connect(common)
    deadline = context.client.deadline  # one budget for the whole command (--request-timeout)
    with open_reader(context.client, common.nb, deadline, verbose=common.kube.verbose, stderr=env.stderr) as reader:
        return _explain(options, env, context, reader.read)


def _explain(options: ExplainOptions, env: Environment, context: CommandContext, nb_read: NbRead) -> Explanation:
    from kubectl_ovn_lsp.commands.documents import explanation
    from kubectl_ovn_lsp.model.replay import replay

    common = options.common
    try:
        plan = _plan(context, options, env.now(), nb_read)
    except NotFound as not_found:
        raise NotFound(_with_hints(str(not_found), context, options, nb_read)) from None
    lookup = nb_read(plan.selection)
    wider = explain_plan.switches_named(lookup.ports, plan.selection, context.settings.behaviour)
    if wider is not None:  # a port names a switch not read: read again with it, as audit's read has every switch
        lookup = nb_read(wider)
    workload = plan.owner.kind not in (NODE, ORPHAN, VIP)
    result = replay(
        plan.inventory,
        lookup.ports,
        context.settings,
        owners=[plan.owner] if workload else [],
        switches=SwitchView.of(lookup),
    )
    item = next(
        (
            i
            for i in result.items
            if (i.owner.kind, i.owner.namespace, i.owner.name)
            == (plan.owner.kind, plan.owner.namespace, plan.owner.name)
        ),
        None,
    )
    if item is None:  # an orphan key whose ports are gone by now
        raise NotFound(
            f'no pod, virtualmachine, virtualmachineinstance or port owned by "{plan.owner.name}" '
            f'in namespace "{plan.owner.namespace}"'
        )
    if item.error is not None:
        raise BadInput(item.error)
    assert item.judgement is not None
    context.add_notes(item.judgement.notes)
    context.add_notes(lookup.notes)
    table = None
    if workload and (common.controller.by_release or context.settings.version_assumed):
        table = _by_release(plan, lookup, context)
    from kubectl_ovn_lsp.commands.stall import affecting

    cluster = affecting(context, item, result, nb_read)
    document = explanation(item, context.settings, lookup, context.notes, context.deployment_version, table, cluster)
    if options.upgrade_to:  # the same read replayed at the target (docs/contracts.md, "Upgrade preflight")
        from kubectl_ovn_lsp.commands import upgrade

        key = (plan.owner.kind, plan.owner.namespace, plan.owner.name)
        document["upgrade"] = upgrade.plan(
            context,
            options.upgrade_to,
            plan.inventory,
            lookup,
            result,
            keep=lambda i: (i.owner.kind, i.owner.namespace, i.owner.name) == key,
            owners=[plan.owner] if workload else [],
        )
    return document


def _with_hints(message: str, context: CommandContext, options: ExplainOptions, nb_read: NbRead) -> str:
    """A not-found error that says what to try (#18): the listed names within two edits
    (`model/suggest.close_names`), then the namespaces that hold the name (`-n NS` or `-A`), else the namespaces
    whose NB ports an owner of that name left (an Orphan: `-n NS` or `-A` for an unprefixed name, the explain line
    for a prefixed one); no `-A` advice when nothing anywhere could answer it. A port name is compared with the
    ports the listed owners would have under each reading of it (its namespace and provider, another owner's
    name). Reading the hints may fail (RBAC, time): then they are left out."""
    from kubectl_ovn_lsp.kube import resolve
    from kubectl_ovn_lsp.model.port_names import looks_like_port_name, owner_candidates
    from kubectl_ovn_lsp.model.suggest import close_names

    kube = options.common.kube
    kind, name = resolve.parse_target(options.target)
    port = kind is None and looks_like_port_name(name)
    scoped = kind not in (NODE, VIP) and not port
    namespace = None if kube.all_namespaces or not scoped else (kube.namespace or context.client.namespace)
    hints = []
    try:
        listed = resolve.listed_names(context.client, kind, namespace)
        names = sorted({n for _, n in listed})
        if port:
            names = sorted(
                {
                    f"{owner}.{reading.namespace}" + ("" if reading.provider == "ovn" else f".{reading.provider}")
                    for reading in owner_candidates(name)
                    for ns, owner in listed
                    if ns == reading.namespace
                }
                | {f"{owner}.{ns}" for ns, owner in listed if ns}
            )
        close = close_names(name, names)
        if close:
            prefix = options.target.partition("/")[0] + "/" if kind is not None else ""
            hints.append("did you mean " + " or ".join(prefix + c for c in close) + "?")
        elsewhere: list[str] = []
        if scoped and namespace is not None:
            elsewhere = sorted({ns for ns, n in resolve.listed_names(context.client, kind, None, name) if n == name})
            if elsewhere:
                hints.append(f"it exists in namespace {', '.join(elsewhere)}: use -n {elsewhere[0]} or -A")
        if scoped and not elsewhere:
            left = [ns for ns in orphan_namespaces(nb_read, name) if kind is not None or ns != namespace]
            where = f"ports it left remain in namespace {', '.join(left)}"
            if left and kind is None:
                hints.append(f"{where}: use -n {left[0]} or -A")
            elif left:
                hints.append(f"{where}: kubectl ovn-lsp explain {name} -n {left[0]} shows them")
    except PluginError:  # a hint is never worth an error of its own (a timeout included)
        pass
    if len(hints) == 2:  # "did you mean a or b? Or try -A …"
        return f"{message}; {hints[0]} Or {hints[1]}"
    return "; ".join([message, *hints])


def _by_release(plan: Plan, lookup: NbLookup, context: CommandContext) -> tuple[list[ReleaseVerdict], str | None]:
    """The owner replayed at every checked release (`--kube-ovn-version all`, or an assumed version): the
    `byRelease` entries and the sentence naming the release that fixes it."""
    from kubectl_ovn_lsp.commands.documents import release_verdict
    from kubectl_ovn_lsp.model.by_release import by_release
    from kubectl_ovn_lsp.model.replay import NbIndex, snapshot_with_ports

    snapshot, _ = snapshot_with_ports(
        plan.owner, plan.inventory, context.settings, NbIndex(lookup.ports, SwitchView.of(lookup))
    )
    table = by_release(snapshot, context.settings)
    return [release_verdict(r) for r in table.ranges], table.fix


def _plan(context: CommandContext, options: ExplainOptions, now: datetime, nb_read: NbRead) -> Plan:
    from kubectl_ovn_lsp.kube import resolve

    client, kube = context.client, options.common.kube
    kind, name = resolve.parse_target(options.target)
    if kind == NODE:
        return _node_plan(context, name, now)
    if kind == VIP:
        return _vip_plan(context, name, now)
    namespace = kube.namespace or client.namespace
    try:
        if kube.all_namespaces:
            namespace = resolve.locate_namespace(client, options.target)
        workload = resolve.resolve(client, options.target, namespace)
    except NotFound as not_found:
        if kind is not None:
            raise
        from kubectl_ovn_lsp.model.port_names import looks_like_port_name

        if looks_like_port_name(name):
            return _port_plan(context, name, kube.namespace, now, nb_read, not_found)
        vip = (
            resolve.find_vip(client, name, namespace) if not kube.all_namespaces else resolve.find_any_vip(client, name)
        )
        if vip is not None:
            return _vip_plan(context, name, now)
        if kube.all_namespaces:  # the ports an owner of that name left, in whichever namespace holds them
            found = orphan_namespaces(nb_read, name)
            if len(found) > 1:
                raise KubeAmbiguous(kind="owner of ports", name=name, namespaces=", ".join(found)) from None
            if not found:
                raise not_found
            namespace = found[0]
        return _orphan_plan(context, namespace, name, now, nb_read, not_found)
    plan = _workload_plan(context, workload, now)
    if kind is None:
        _refuse_a_shadowed_port_name(context, name, kube.namespace, now, nb_read, plan.owner)
    return plan


def _refuse_a_shadowed_port_name(
    context: CommandContext,
    name: str,
    given_namespace: str | None,
    now: datetime,
    nb_read: NbRead,
    found: Owner,
) -> None:
    """A workload may be named like another owner's port (`web-5f7c.app`, `node-node2`): a name pasted from the
    log must not silently explain the wrong one. Raise Ambiguous when the port reading names another owner."""
    from kubectl_ovn_lsp.model.port_names import looks_like_port_name

    if not looks_like_port_name(name):
        return
    try:
        port_owner = _port_plan(context, name, given_namespace, now, nb_read, NotFound(name)).owner
    except PluginError:
        return  # no other reading: the workload it is
    if (port_owner.kind, port_owner.namespace, port_owner.name) != (found.kind, found.namespace, found.name):
        where = f"{port_owner.namespace}/{port_owner.name}" if port_owner.namespace else port_owner.name
        raise Ambiguous(
            port=name,
            owners=f"{found.kind.lower()} {found.namespace}/{found.name} (by its name), "
            f"{port_owner.kind.lower()} {where} (by the port name)",
        )


def _workload_plan(context: CommandContext, workload: Any, now: datetime) -> Plan:
    from kubectl_ovn_lsp.kube.resolve import workload_inventory
    from kubectl_ovn_lsp.model import lookups
    from kubectl_ovn_lsp.model.errors import ModelError

    settings = context.settings
    try:  # a malformed pod annotation is reported before anything else is read
        nad_keys = lookups.nad_references(tuple(workload.pods), workload.vm, workload.namespace, settings)
    except ModelError as exc:
        raise BadInput(str(exc)) from None
    inventory = workload_inventory(context.client, workload, nad_keys, now)
    owner = _pick_owner(workload_owners(inventory), workload, settings.keep_vm_ip)
    try:
        selection = explain_plan.workload_selection(owner, inventory, settings)
    except ModelError as exc:  # a missing NAD: reported before any NB connection
        raise BadInput(str(exc)) from None
    return Plan(inventory, owner, selection)


def _pick_owner(owners: list[Owner], workload: Any, keep_vm_ip: bool) -> Owner:
    """The owner the user named: a launcher pod is its VM when ports are named after the VM (keep-vm-ip),
    else that pod alone."""
    named = workload.named_pod
    for owner in owners:
        if named and any(p["metadata"]["name"] == named for p in owner.pods):
            return owner if keep_vm_ip or owner.kind == "Pod" else pod_scoped(owner, named)
    for owner in owners:
        if owner.kind == workload.kind and owner.name == workload.name:
            return owner
    return owners[0]


def _node_plan(context: CommandContext, name: str, now: datetime) -> Plan:
    from kubectl_ovn_lsp.kube.resolve import node_inventory

    inventory = node_inventory(context.client, name, now)
    return Plan(inventory, Owner(NODE, "", name), explain_plan.node_selection(name, inventory))


def _vip_plan(context: CommandContext, name: str, now: datetime) -> Plan:
    from kubectl_ovn_lsp.kube.resolve import vip_inventory
    from kubectl_ovn_lsp.model.gc_vips import vip_namespace

    inventory = vip_inventory(context.client, name, now)
    vip = inventory.vips[name]
    return Plan(inventory, Owner(VIP, vip_namespace(vip), name), explain_plan.vip_selection(vip, inventory.subnets))


def orphan_namespaces(nb_read: NbRead, name: str) -> list[str]:
    """The namespaces holding NB ports that an owner named `name` left (`external_ids:pod=<ns>/<name>`, the key
    Kube-OVN writes on every port it creates for a pod or VM), sorted. One read of every port: OVSDB cannot
    select a map value by its suffix, and the owner's namespace may itself be gone."""
    suffix = f"/{name}"
    ports = nb_read(Selection(every_port=True)).ports
    return sorted({p.pod_key[: -len(suffix)] for p in ports if p.pod_key and p.pod_key.endswith(suffix)} - {""})


def _orphan_plan(
    context: CommandContext,
    namespace: str,
    name: str,
    now: datetime,
    nb_read: NbRead,
    not_found: NotFound,
) -> Plan:
    """No VM, VMI or pod of that name: its ports may still be in NB (`external_ids:pod=<ns>/<name>`), and its IP
    CRs in the API (model/ip_crs.py: leaked when no GC collects them). The read that finds the ports is the
    replay's read (the reader answers it again from the first)."""
    from kubectl_ovn_lsp.kube.resolve import ip_crs_of

    selection = explain_plan.orphan_selection(namespace, name)
    ips, subnets = ip_crs_of(context.client, namespace, name)
    if not ips and not nb_read(selection).ports:
        raise not_found
    inventory = Inventory(now=now, ips=ips, subnets=subnets, scope=namespace)
    return Plan(inventory, Owner(ORPHAN, namespace, name), selection)


def _port_plan(
    context: CommandContext,
    port: str,
    given_namespace: str | None,
    now: datetime,
    nb_read: NbRead,
    not_found: NotFound,
) -> Plan:
    """A port name as GC logs it: its NB row names the owner (`external_ids:pod`); a lost port's name is split
    into (owner, namespace) readings and the ones whose owner exists are kept (docs/contracts.md). NB is read
    once for all of them (`explain_plan.port_selection`); a node's `node-<n>` is read with the node's own
    selection when the Node exists (it holds the port name)."""
    from kubectl_ovn_lsp.model.port_names import node_of_port

    node = node_of_port(port)
    node_error: PluginError | None = None
    if node is not None:  # the Node first: its selection holds the port, so one read answers both
        try:
            plan = _node_plan(context, node, now)
        except PluginError as exc:  # not found, or not readable: NB's row decides, as below
            node_error = exc
        else:
            if explain_plan.port_name(port, nb_read(plan.selection).ports, given_namespace).node is not None:
                return plan  # the row does not name a pod: the node's port
    found = explain_plan.port_name(port, nb_read(explain_plan.port_selection(port)).ports, given_namespace)
    if found.node is not None:
        if not isinstance(node_error, NotFound):
            assert node_error is not None
            raise node_error
        if found.row is None:
            raise NotFound(f'node "{found.node}" not found, and NB has no port "{port}"') from None
        return Plan(Inventory(now=now), Owner(ORPHAN, "", port), Selection.of([port], []))
    if given_namespace is not None and not found.readings and found.elsewhere:
        raise NamespaceMismatch(port=port, found=", ".join(found.elsewhere), given=given_namespace)
    return _owner_of_port(context, found, now, nb_read, not_found)


def _owner_of_port(
    context: CommandContext, found: explain_plan.PortName, now: datetime, nb_read: NbRead, not_found: NotFound
) -> Plan:
    """The owner among a port name's readings: one that exists (a workload, else a Vip), else the one whose pod
    key holds ports in NB, else the owner a leaked IP CR of that name names."""
    from kubectl_ovn_lsp.kube import resolve

    client, port, readings = context.client, found.port, found.readings
    existing = [(ns, o) for ns, o in readings if resolve.exists(client, ns, o)]
    if len(existing) > 1:
        raise Ambiguous(port=port, owners=", ".join(f"{ns}/{o}" for ns, o in existing))
    if existing:
        namespace, owner_name = existing[0]
        return _workload_plan(context, resolve.resolve(client, owner_name, namespace), now)
    vips = [(ns, o) for ns, o in readings if resolve.find_vip(client, o, ns) is not None]
    if len(vips) == 1:
        return _vip_plan(context, vips[0][1], now)
    keyed = found.keyed
    if not keyed and found.row is None:  # a leaked IP CR of that name (model/ip_crs.py) names its owner
        ip = resolve.ip_cr(client, port)
        if ip is not None and ip.namespace and ip.pod_name:
            return _orphan_plan(context, str(ip.namespace), str(ip.pod_name), now, nb_read, not_found)
    if len(keyed) > 1:
        raise Ambiguous(port=port, owners=", ".join(f"{ns}/{o} (ports only)" for ns, o in keyed))
    if keyed:
        namespace, owner_name = keyed[0]
        return Plan(
            Inventory(now=now),
            Owner(ORPHAN, namespace, owner_name),
            explain_plan.orphan_selection(namespace, owner_name),
        )
    raise NotFound(
        f'no pod, virtualmachine or virtualmachineinstance owns port "{port}", and NB has no port of '
        "any owner it could name"
    ) from None
