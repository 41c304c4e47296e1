"""A local Kube-OVN cluster on loopback: a real NB ovsdb-server plus a Kubernetes API server."""
