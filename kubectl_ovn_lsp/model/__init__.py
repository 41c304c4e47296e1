"""Pure Kube-OVN logic: naming, Multus parsing, NAD classification, release bands and GC.

Nothing in this package performs I/O or imports kubernetes, ovsdbapp or network code: inputs are
plain Kubernetes objects (dicts as the API returns them) and NB records; outputs are data.
"""
