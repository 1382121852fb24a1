"""The audit log's read side: the admin listing and the CSV export (records are written
through `oms.core.audit`)."""
