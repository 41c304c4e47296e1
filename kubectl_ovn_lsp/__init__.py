"""kubectl ovn-lsp: explain Kube-OVN logical switch ports and the GC's "lsp lost" verdicts."""

__version__ = "0.1.0"
