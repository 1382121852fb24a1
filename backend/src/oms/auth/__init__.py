"""The auth module of OMS."""
