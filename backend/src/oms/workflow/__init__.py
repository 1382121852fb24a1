"""The workflow module of OMS."""
