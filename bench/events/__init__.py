"""Event pipeline benchmark: outbox commit → webhook received, on RabbitMQ and embedded."""
