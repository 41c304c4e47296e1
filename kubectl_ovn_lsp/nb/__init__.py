"""The OVN Northbound edge: one reader interface (`reader.py`, opened by `backend.py`) over two backends, exec into
ovn-central (`exec.py`) or direct (`direct.py`), sending one query description (`query.py`)."""
