"""The target forms `explain` accepts (`pod/NAME`, `vm/NAME`, `vmi/NAME`, `node/NAME`, `vip/NAME`): one table, read
by the parser (the argument's metavar, its help and its error), the resolver (`kube/resolve.py`), completion
(`cli/complete_values.py`) and the owner kinds (`model/owners.py`), so no usage line can miss a form.

Imports nothing: the parser reads it on every TAB of completion.
"""


class TargetKind:
    """One kind `explain` takes: the prefix usage lines show, the owner kind, the nouns help uses (short, as in
    the subcommand list, and full), kubectl's resource for it (completion lists it) and the other prefixes
    accepted (kubectl's plural and short names). A plain class: `dataclasses` costs ~5 ms on every TAB."""

    __slots__ = ("prefix", "kind", "short", "noun", "resource", "aliases")

    def __init__(self, prefix: str, kind: str, short: str, noun: str, resource: str, aliases: tuple[str, ...]):
        self.prefix, self.kind, self.short, self.noun = prefix, kind, short, noun
        self.resource, self.aliases = resource, aliases


# in the order usage lines list them
TARGET_KINDS: tuple[TargetKind, ...] = (
    TargetKind("pod", "Pod", "pod", "Pod", "pods", ("pods", "po")),
    TargetKind(
        "vm",
        "VirtualMachine",
        "VM",
        "VirtualMachine",
        "virtualmachines.v1.kubevirt.io",
        ("vms", "virtualmachine", "virtualmachines"),
    ),
    TargetKind(
        "vmi",
        "VirtualMachineInstance",
        "VMI",
        "VirtualMachineInstance",
        "virtualmachineinstances.v1.kubevirt.io",
        ("vmis", "virtualmachineinstance", "virtualmachineinstances"),
    ),
    TargetKind("node", "Node", "node", "node", "nodes", ("nodes", "no")),
    TargetKind("vip", "Vip", "Vip", "kubeovn.io Vip", "vips.kubeovn.io", ("vips",)),
)

# every accepted prefix (lower case) -> the owner kind
TARGET_PREFIXES: dict[str, str] = {name: t.kind for t in TARGET_KINDS for name in (t.prefix, *t.aliases)}
# every accepted prefix -> the resource `kubectl get` lists for it (completion)
TARGET_RESOURCES: dict[str, str] = {name: t.resource for t in TARGET_KINDS for name in (t.prefix, *t.aliases)}
# `pod/`, `vm/`, …: the forms usage lines list
TARGET_FORMS: tuple[str, ...] = tuple(f"{t.prefix}/" for t in TARGET_KINDS)


def target_metavar() -> str:
    """explain's positional argument as usage lines show it: `[pod/|vm/|vmi/|node/|vip/]NAME|PORT`."""
    return f"[{'|'.join(TARGET_FORMS)}]NAME|PORT"


def target_forms_text() -> str:
    """The forms in a sentence, for the error of a bad prefix: `NAME, pod/NAME, …, node/NAME or vip/NAME`."""
    forms = ["NAME", *(f"{form}NAME" for form in TARGET_FORMS)]
    return f"{', '.join(forms[:-1])} or {forms[-1]}"


def target_kinds_text(short: bool = False) -> str:
    """The kinds in a sentence, for help: `a Pod, VirtualMachine, …, node or kubeovn.io Vip`; `short`: `pod, VM,
    VMI, node, Vip` (the subcommand list's one line)."""
    if short:
        return ", ".join(t.short for t in TARGET_KINDS)
    nouns = [t.noun for t in TARGET_KINDS]
    return f"a {', '.join(nouns[:-1])} or {nouns[-1]}"
