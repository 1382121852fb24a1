"""Fixtures of the monitoring tests: the orders tests' shop, the event tests' receiver."""

from tests.events.conftest import receiver
from tests.orders.conftest import catalogue, shop
from tests.workflow.conftest import demo_workflow

__all__ = ["catalogue", "demo_workflow", "receiver", "shop"]
