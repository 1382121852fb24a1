"""What each worker type does for one configuration and one event."""
