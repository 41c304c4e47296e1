"""Pure Kube-OVN logic: naming, Multus parsing, NAD classification, release bands and GC.

Nothing in this package performs I/O or imports kubernetes, ovsdbapp or network code: inputs are
plain Kubernetes objects (dicts as the API returns them) and NB records; outputs are data.

Map: `versions` (tags → Version) → `bands` (bands A–L, switches, controller settings) → `multus`, `nad`,
`naming` (how Kube-OVN names ports) → `gc_pods`, `gc_vms` (what GC expects), `intent` (what the workload
needs) → `collect_names` → `judge` (+ `advice` texts) → `workload` (the entry points commands call).
`loglines` maps `gc.go:<line>] lsp lost` log lines to releases. `releases` (checked tags, what a version string
stands for), `migration` (live-migration options per release: degraded), `deletion` (DEL codes, leftover ports),
`by_release` (the verdict in every known release).
"""
