"""Real `oms api`, `oms relay` and `oms worker` processes: the relay's and workers' own port
(`/health/live`, `/health`, `/metrics`), the counters each process exports while an order
goes through them, and PROMETHEUS_MULTIPROC_DIR adding up processes."""

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from httpx import AsyncClient

from tests.actors import Actor
from tests.events.services import HttpReceiver, eventually
from tests.events.test_pipeline import create_configuration
from tests.monitoring.processes import PROCESS_TIMEOUT, Served, serving, start, stop, wait
from tests.monitoring.scrape import sample_names, value
from tests.orders.conftest import Product, place
from tests.processes import OMS, free_port, oms_env

pytestmark = PROCESS_TIMEOUT


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, database_url: str
) -> Iterator[dict[str, Served]]:
    """An API, a relay and a webhook worker on the test database and the embedded queue."""
    logs = tmp_path_factory.mktemp("monitoring-logs")
    env = {
        "OMS_DATABASE_URL": database_url,
        "OMS_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "OMS_RATE_LIMIT_ORDERS_PER_USER": "",
    }
    started = (
        start(["api"], logs / "api.log", **env),
        start(["relay"], logs / "relay.log", **env),
        start(["worker", "webhook"], logs / "webhook.log", **env),
    )
    with serving(*started):
        yield dict(zip(("api", "relay", "webhook"), started, strict=True))


def scrape(served: Served) -> str:
    response = httpx.get(f"{served.url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return response.text


@pytest.mark.parametrize("name", ["relay", "webhook"])
def test_a_relay_and_a_worker_answer_health_and_metrics_on_their_own_port(
    stack: dict[str, Served], name: str
) -> None:
    served = stack[name]
    live = httpx.get(f"{served.url}/health/live", timeout=10)
    assert live.status_code == 200
    assert live.json() == {"status": "ok", "checks": {}}
    ready = httpx.get(f"{served.url}/health", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}
    scraped = scrape(served)
    assert value(scraped, "oms_build_info") == 1
    assert value(scraped, "oms_db_pool_limit", pool="pipeline") > 0
    assert value(scraped, "oms_dependency_up", dependency="database") == 1
    assert "oms_queue_messages{" in scraped

    missing = httpx.get(f"{served.url}/api/v1/orders", timeout=10)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    refused = httpx.post(f"{served.url}/metrics", timeout=10)
    assert refused.status_code == 405
    assert refused.headers["content-type"] == "application/problem+json"
    assert set(refused.headers["allow"].split(", ")) == {"GET", "HEAD"}


async def test_each_process_counts_its_part_of_an_order(
    stack: dict[str, Served],
    client: AsyncClient,
    admin: Actor,
    customer: Actor,
    shop: tuple[Product, ...],
    receiver: HttpReceiver,
) -> None:
    before = {name: scrape(served) for name, served in stack.items()}
    await create_configuration(
        client,
        admin,
        {"worker_type": "webhook", "name": "ERP", "settings": {"url": receiver.url()}},
    )
    api = AsyncClient(base_url=stack["api"].url, timeout=30)
    async with api:
        placed = await place(api, customer, [{"sku": shop[0].sku, "quantity": 1}])
    assert placed.status_code == 201, placed.text

    async def delivered() -> bool:
        return bool(receiver.at("/hook"))

    await eventually(delivered, within=60)

    def grew(name: str, metric: str, **labels: str) -> float:
        return value(scrape(stack[name]), metric, **labels) - value(before[name], metric, **labels)

    async def worker_counted() -> bool:
        succeeded = {"worker": "webhook", "outcome": "succeeded", "attempt": "1"}
        return grew("webhook", "oms_deliveries_total", **succeeded) == 1

    await eventually(worker_counted, within=10)
    assert grew("api", "oms_orders_created_total") == 1
    assert grew("api", "oms_outbox_events_recorded_total", type="order.created") == 1
    created = {"method": "POST", "route": "/api/v1/orders", "status": "201"}
    assert grew("api", "oms_http_requests_total", **created) == 1
    assert grew("relay", "oms_outbox_events_published_total", type="order.created") == 1
    # The backlogs are the database's, the same whichever process is asked.
    for served in stack.values():
        assert value(scrape(served), "oms_outbox_pending_events", type="order.created") == 0


def test_a_relay_with_its_broker_away_is_live_but_not_ready(
    tmp_path: Path, database_url: str
) -> None:
    closed = free_port()
    relay = start(
        ["relay"],
        tmp_path / "relay.log",
        OMS_DATABASE_URL=database_url,
        OMS_AMQP_URL=f"amqp://guest:guest@127.0.0.1:{closed}/",
    )
    with serving(relay):
        assert httpx.get(f"{relay.url}/health/live", timeout=10).status_code == 200
        ready = httpx.get(f"{relay.url}/health", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["broker"].startswith("error: ")
        scraped = scrape(relay)
        assert value(scraped, "oms_dependency_up", dependency="broker") == 0
        assert value(scraped, "oms_dependency_up", dependency="database") == 1
    assert relay.process.returncode == 0


def test_a_taken_health_port_stops_a_worker_with_one_line(
    tmp_path: Path, database_url: str
) -> None:
    first = wait(start(["worker", "email"], tmp_path / "first.log", OMS_DATABASE_URL=database_url))
    port = first.url.rsplit(":", 1)[1]
    try:
        second = subprocess.run(
            [OMS, "worker", "email"],
            env=oms_env(OMS_DATABASE_URL=database_url, OMS_HEALTH_PORT=port),
            capture_output=True,
            text=True,
            timeout=90,
        )
    finally:
        assert stop(first) == 0
    assert second.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use (set OMS_HEALTH_PORT)" in second.stderr
    assert "Traceback" not in second.stderr


def test_health_port_zero_serves_no_port(tmp_path: Path, database_url: str) -> None:
    log = tmp_path / "relay.log"
    with log.open("wb") as output:
        relay = subprocess.Popen(
            [OMS, "relay"],
            env=oms_env(OMS_DATABASE_URL=database_url, OMS_HEALTH_PORT="0"),
            stdout=output,
            stderr=output,
        )
    served = Served("http://127.0.0.1:0", relay, log)
    try:
        for _ in range(600):
            if "event pipeline started" in served.log_text():
                break
            assert relay.poll() is None, served.log_text()
            time.sleep(0.1)
        assert "health and metrics" not in served.log_text()
    finally:
        assert stop(served) == 0


def test_with_a_multiprocess_directory_a_scrape_adds_up_every_process(
    tmp_path: Path, database_url: str
) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {"OMS_DATABASE_URL": database_url, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    first = start(["api"], tmp_path / "a.log", **env)
    second = start(["api"], tmp_path / "b.log", **env)
    with serving(first, second):
        for served, times in ((first, 2), (second, 3)):
            for _ in range(times):
                assert httpx.get(f"{served.url}/health", timeout=10).status_code == 200
        for served in (first, second):
            scraped = scrape(served)
            health = {"method": "GET", "route": "/health", "status": "200"}
            # Each process's wait_until_serving asked /health/live, not /health.
            assert value(scraped, "oms_http_requests_total", **health) == 5
            assert value(scraped, "oms_db_pool_limit", pool="api") == 2 * 20
    assert any(shared.iterdir())


def test_a_missing_multiprocess_directory_is_one_line(tmp_path: Path, database_url: str) -> None:
    result = subprocess.run(
        [OMS, "api"],
        env=oms_env(
            OMS_DATABASE_URL=database_url, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "absent")
        ),
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"oms: error: PROMETHEUS_MULTIPROC_DIR {tmp_path / 'absent'} is not a directory"
    )


MONITORING = Path(__file__).resolve().parents[3] / "deploy" / "monitoring"
METRIC_NAME = re.compile(r"\boms_[a-z0-9_]+\b")
SEVERITIES = {"info", "warning", "critical"}


def exported_names(stack: dict[str, Served]) -> set[str]:
    """Every series name the API, the relay and a worker export (families with no sample
    yet included: their HELP and TYPE lines name them)."""
    return set().union(*(sample_names(scrape(served)) for served in stack.values()))


def test_the_alert_rules_are_rule_groups_naming_only_metrics_oms_exports(
    stack: dict[str, Served],
) -> None:
    document = yaml.safe_load((MONITORING / "prometheus-alerts.yml").read_text())
    assert set(document) == {"groups"}
    exported = exported_names(stack)
    alerts: list[str] = []
    for group in document["groups"]:
        assert set(group) == {"name", "rules"}
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert rule["labels"]["severity"] in SEVERITIES
            assert rule["annotations"]["summary"]
            assert rule["annotations"]["description"]
            assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s"))
            named = set(METRIC_NAME.findall(rule["expr"]))
            assert named or "up{" in rule["expr"], rule["alert"]
            assert named <= exported, f"{rule['alert']} names {named - exported}"
            alerts.append(rule["alert"])
    assert len(alerts) == len(set(alerts))
    for wanted in ("OmsOutboxBacklogGrowing", "OmsDeadLettersAppearing", "OmsHighErrorRate"):
        assert wanted in alerts

    config = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    assert config["rule_files"] == ["prometheus-alerts.yml"]
    assert {job["job_name"] for job in config["scrape_configs"]} == {
        "oms-api",
        "oms-relay",
        "oms-worker",
    }


def test_the_dashboard_queries_only_metrics_oms_exports(stack: dict[str, Served]) -> None:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    assert dashboard["uid"]
    assert dashboard["title"] == "OMS"
    exported = exported_names(stack)
    queried: set[str] = set()
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            named = set(METRIC_NAME.findall(target["expr"]))
            assert named, f"{panel['title']}: {target['expr']}"
            assert named <= exported, f"{panel['title']} names {named - exported}"
            queried |= named
    # Every OMS figure has a panel.
    wanted = {
        "oms_http_requests_total",
        "oms_http_request_duration_seconds_bucket",
        "oms_orders_created_total",
        "oms_order_status_changes_total",
        "oms_outbox_events_recorded_total",
        "oms_outbox_events_published_total",
        "oms_outbox_pending_events",
        "oms_outbox_oldest_pending_age_seconds",
        "oms_deliveries_total",
        "oms_dead_lettered_total",
        "oms_queue_messages",
        "oms_db_pool_connections_in_use",
        "oms_db_pool_limit",
        "oms_dependency_up",
        "oms_build_info",
    }
    assert wanted <= queried, wanted - queried
