"""Infrastructure shared by every OMS module: settings, database, errors, logging."""
