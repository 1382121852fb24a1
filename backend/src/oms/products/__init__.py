"""The products module of OMS."""
