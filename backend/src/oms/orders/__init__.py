"""The orders module of OMS."""
