"""The integrations module of OMS: worker configurations and what the email, webhook and
inventory workers do with each event, with every attempt logged as a delivery."""
