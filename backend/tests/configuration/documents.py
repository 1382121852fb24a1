"""The example configurations, and small edits of them, for the configuration tests."""

import base64
import copy
from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
EXAMPLE_NAMES = ("furniture", "electronics")
SECRET = "whsec_" + base64.b64encode(b"configuration-as-code-test-key!!").decode()
EXAMPLE_SECRETS = {
    "OMS_SECRET_WEBHOOK_WORKSHOP_ERP": SECRET,
    "OMS_SECRET_WEBHOOK_FULFILMENT": SECRET,
    "OMS_SECRET_WEBHOOK_ANALYTICS": SECRET,
    "OMS_SECRET_INVENTORY_WAREHOUSE": SECRET,
}


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / name / "oms.yaml").read_text())
    return data


def minimal() -> dict[str, Any]:
    """A small complete document: three statuses, two transitions, one of everything else."""
    return {
        "version": 1,
        "branding": {
            "shop_name": "Test shop",
            "primary_colour": "#112233",
            "accent_colour": "#445566",
            "currency": "EUR",
            "locale": "en",
        },
        "statuses": [
            {"code": "new", "name": "New", "initial": True},
            {"code": "shipped", "name": "Shipped", "customer_name": "Shipped"},
            {"code": "done", "name": "Done", "terminal": True},
        ],
        "transitions": [
            {"from_status": "new", "to_status": "shipped", "roles": ["admin"]},
            {"from_status": "shipped", "to_status": "done", "roles": ["admin"]},
        ],
        "categories": [
            {
                "code": "chairs",
                "name": "Chairs",
                "attribute_schema": {"type": "object", "properties": {"legs": {"type": "integer"}}},
            }
        ],
        "worker_configurations": [
            {
                "worker_type": "webhook",
                "name": "ERP",
                "trigger_statuses": ["shipped"],
                "settings": {"url": "https://erp.example/hook", "secret": "${OMS_TEST_ERP_SECRET}"},
            }
        ],
        "email_templates": [
            {
                "key": "shipped",
                "subject": "{{ order.number }} shipped",
                "html": "<p>Sent</p>",
                "text": "Sent",
            }
        ],
    }


def edited(document: dict[str, Any], **sections: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed.update(sections)
    return changed


def as_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False)
