"""How messages travel from the relay to the workers: RabbitMQ or the embedded PostgreSQL
queue, behind one small interface."""
