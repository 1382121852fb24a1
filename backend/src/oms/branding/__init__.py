"""Branding: the shop's name, colours, logo and the rest that both apps and every email show."""
