"""Signed checkpoints of the audit chain's head: the external anchor of the audit log."""
