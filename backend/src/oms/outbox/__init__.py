"""The outbox module of OMS: events recorded in the writer's transaction, the relay that
publishes them, and the transports (RabbitMQ or the embedded PostgreSQL queue) they travel by."""
