"""I/O edges: Kubernetes API access and OVN NB backends. They return plain snapshots and records."""
