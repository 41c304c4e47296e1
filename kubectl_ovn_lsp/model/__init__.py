"""Pure Kube-OVN logic: naming, Multus parsing, NAD classification, release bands and GC.

Nothing in this package performs I/O or imports kubernetes, ovsdbapp or network code: inputs are
plain Kubernetes objects (dicts as the API returns them) and NB records; outputs are data.

Map (each name is a module of this package):
- Releases: `versions` (tags → Version) → `release_register` (every checked tag, where each logs the lines of
  `log_events`) → `releases` (what a version string stands for) → `bands` (bands A–L, the switches as one
  Behaviour record) → `settings` (the controller's release and flags, from its Deployment); `fixes` (which
  release fixes a reason code on the running branch).
- Naming: `multus`, `nad`, `naming` (how Kube-OVN names ports), `port_names` (a port name read back).
- Inputs: `records` (NB rows), `inventory` (what GC reads), `shapes` (fields checked before reading), `owners`
  (what findings are grouped by), `snapshot` (one workload in, findings out).
- GC of one workload: `gc_pods`, `gc_vms` (what GC expects), `intent` (what the workload needs), `port_rows`
  (the rows of both sides), `judge` (+ `port_verdict`: GC's decision table per port, `false_positives`,
  `deletion`, `migration`, `advice`, `reasons`, `verdicts`).
- The pass: `replay` (every owner, `lookups` for explain's entry points), `gc_list`, `gc_nodes`, `gc_vips`,
  `orphans`, `transient`, and `by_release` (the verdict in every known release).
- Logs: `log_events` (the lines read), `gc_lines` (which releases log them at which `<file>:<line>`), `loglines`
  (parsing), `triage`.
- `errors`: what the model cannot judge.
"""
