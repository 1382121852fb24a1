"""The admin dashboard endpoint on a million orders."""
