"""`kubectl ovn-lsp serve`: the replay as an in-cluster monitor (docs/contracts.md, "serve").

`monitor` runs the cycles and the process, `cycle` one cycle (the audit -A replay and the new controller log lines,
`logs` and the pure `cursor`), `metrics` the families built from the Audit document, `state` the snapshot a scrape
reads, `http` the endpoints. A layer between the CLI and the commands: it composes `commands` and is run by `cli`.
"""
