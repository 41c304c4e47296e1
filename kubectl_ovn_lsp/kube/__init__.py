"""The Kubernetes edge: API access as plain JSON, target resolution, and the reads GC's replay needs."""
