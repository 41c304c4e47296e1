"""Commands: collect a snapshot, judge it with the model, return a document for the CLI to render."""
