"""The admin dashboard: figures read from the orders, outbox and integrations modules."""
