"""The events module of OMS."""
