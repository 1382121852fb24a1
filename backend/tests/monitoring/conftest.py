"""Fixtures of the monitoring tests: the orders tests' shop, the event tests' receiver."""

from tests.events.conftest import amqp_base_url, amqp_url, receiver
from tests.orders.conftest import catalogue, shop
from tests.workflow.conftest import demo_workflow

__all__ = ["amqp_base_url", "amqp_url", "catalogue", "demo_workflow", "receiver", "shop"]
