"""The OVN Northbound edge: one query description, read through exec into ovn-central or directly."""
