"""Configuration as code: the whole white-label configuration as one YAML document."""
