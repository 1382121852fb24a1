"""The Kustomize base (deploy/kubernetes): every resource listed is there and valid by the
Kubernetes JSON schemas of a recent release (kubernetes-validate, strict: no unknown field),
and the workloads are shaped as OMS runs: one per `oms` command, probes on /health/live and
/health, non-root, read-only root file system, requests and limits, references resolving."""

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from oms.core.settings import Settings
from oms.outbox.events import WorkerType
from tests.deploy.files import KUBERNETES_DIR, SERVED_COMMANDS, load_yaml, load_yaml_documents

KUBERNETES_VERSION = kubernetes_validate.latest_version()
IMAGE_UID = 10001  # the `oms` user of the Dockerfile
OMS_COMMANDS = {*SERVED_COMMANDS, *(("worker", kind.value) for kind in WorkerType)}


def kustomization() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(KUBERNETES_DIR / "kustomization.yaml")
    return document


def resource_files() -> list[Path]:
    return [KUBERNETES_DIR / name for name in kustomization()["resources"]]


def documents() -> list[dict[str, Any]]:
    return [document for path in resource_files() for document in load_yaml_documents(path)]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [document for document in documents() if document["kind"] == kind]


def workloads() -> list[dict[str, Any]]:
    return of_kind("Deployment") + of_kind("Job")


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def only_container(workload: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod_spec(workload)["containers"]
    result: dict[str, Any] = container
    return result


def by_command(command: tuple[str, ...]) -> dict[str, Any]:
    (workload,) = (w for w in workloads() if tuple(only_container(w)["args"]) == command)
    return workload


def test_every_resource_listed_exists_and_every_file_is_listed() -> None:
    listed = set(kustomization()["resources"])

    for name in listed:
        assert (KUBERNETES_DIR / name).is_file(), f"{name} is listed but missing"
    on_disk = {path.name for path in KUBERNETES_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert on_disk == listed, "a manifest that kustomization.yaml leaves out is never applied"


@pytest.mark.parametrize("path", resource_files(), ids=lambda path: path.name)
def test_each_resource_is_valid_for_a_recent_kubernetes(path: Path) -> None:
    for document in load_yaml_documents(path):
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validation_refuses_a_wrong_resource() -> None:
    """The check above can fail: a wrong type and an unknown field are errors."""
    deployment = by_command(("api",))
    wrong_type = {**deployment, "spec": {**deployment["spec"], "minReadySeconds": "soon"}}
    unknown_field = {**deployment, "spec": {**deployment["spec"], "replica": 3}}

    for broken in (wrong_type, unknown_field):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_workloads_mirror_the_oms_commands_one_to_one() -> None:
    commands = [tuple(only_container(workload)["args"]) for workload in workloads()]

    assert sorted(commands) == sorted(OMS_COMMANDS)
    assert by_command(("migrate",))["kind"] == "Job"
    assert by_command(("migrate",))["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_every_workload_runs_the_one_image_set_by_the_kustomization() -> None:
    (image,) = kustomization()["images"]

    for workload in workloads():
        assert only_container(workload)["image"] == image["name"]


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_every_workload_runs_as_the_images_non_root_user_on_a_read_only_root(
    workload: dict[str, Any],
) -> None:
    pod = pod_spec(workload)
    container = only_container(workload)

    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == IMAGE_UID
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    # What OMS writes (temporary files) goes to a volume of its own.
    (mount,) = container["volumeMounts"]
    assert mount["mountPath"] == "/tmp"
    (volume,) = pod["volumes"]
    assert volume["name"] == mount["name"]
    assert "emptyDir" in volume


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_every_workload_has_requests_and_limits(workload: dict[str, Any]) -> None:
    resources = only_container(workload)["resources"]

    for kind in ("requests", "limits"):
        assert set(resources[kind]) == {"cpu", "memory"}, kind


@pytest.mark.parametrize("workload", of_kind("Deployment"), ids=lambda w: w["metadata"]["name"])
def test_every_long_running_workload_is_probed_on_its_health_endpoints(
    workload: dict[str, Any],
) -> None:
    container = only_container(workload)
    (port,) = container["ports"]

    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port["name"]}
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": port["name"]}
    annotations = workload["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(port["containerPort"])
    assert annotations["prometheus.io/path"] == "/metrics"
    if tuple(container["args"]) == ("api",):
        assert port["containerPort"] == Settings.model_fields["port"].default
    else:
        # The relay and the workers serve their probes on OMS_HEALTH_PORT.
        config = load_yaml(KUBERNETES_DIR / "configmap.yaml")["data"]
        assert port["containerPort"] == int(config["OMS_HEALTH_PORT"])


def test_every_workload_reads_the_config_map_and_the_secret() -> None:
    names = {(d["kind"], d["metadata"]["name"]) for d in documents()}

    for workload in workloads():
        sources = only_container(workload)["envFrom"]
        assert {"configMapRef": {"name": "oms-config"}} in sources
        assert {"secretRef": {"name": "oms-secrets"}} in sources
    assert {("ConfigMap", "oms-config"), ("Secret", "oms-secrets")} <= names


def test_the_api_is_autoscaled_from_three_replicas_and_drained_one_at_a_time() -> None:
    api = by_command(("api",))
    (hpa,) = of_kind("HorizontalPodAutoscaler")
    (pdb,) = of_kind("PodDisruptionBudget")
    pod_labels = api["spec"]["template"]["metadata"]["labels"]

    assert "replicas" not in api["spec"], "the HorizontalPodAutoscaler owns the replica count"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": api["metadata"]["name"],
    }
    assert hpa["spec"]["minReplicas"] >= 3
    assert pdb["spec"]["maxUnavailable"] == 1
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert api["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_the_service_selects_the_api_pods_and_the_ingress_reaches_it_over_tls() -> None:
    api = by_command(("api",))
    (service,) = of_kind("Service")
    pod_labels = api["spec"]["template"]["metadata"]["labels"]
    container_ports = {port["name"] for port in only_container(api)["ports"]}

    assert service["spec"]["selector"].items() <= pod_labels.items()
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] in container_ports
    ingresses = of_kind("Ingress")
    assert ingresses
    for ingress in ingresses:
        hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
        (tls,) = ingress["spec"]["tls"]
        assert hosts <= set(tls["hosts"])
        assert tls["secretName"]
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] == service["metadata"]["name"]
                assert backend["port"]["name"] == service_port["name"]
        annotations = ingress["metadata"]["annotations"]
        assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == str(
            Settings.model_fields["max_body_bytes"].default
        )


def test_the_order_events_are_not_buffered_by_the_ingress() -> None:
    (events,) = (
        ingress
        for ingress in of_kind("Ingress")
        if any(
            path["path"] == "/api/v1/orders/events"
            for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]
        )
    )

    assert events["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"


def test_the_config_map_matches_the_api_limits() -> None:
    config = load_yaml(KUBERNETES_DIR / "configmap.yaml")["data"]

    assert int(config["OMS_MAX_BODY_BYTES"]) == Settings.model_fields["max_body_bytes"].default
    assert config["OMS_PUBLIC_URL"].startswith("https://")
    for value in config.values():
        assert isinstance(value, str), "ConfigMap values are strings"


def test_postgres_and_rabbitmq_are_external() -> None:
    images = {only_container(w)["image"] for w in workloads()}
    secret = load_yaml(KUBERNETES_DIR / "secret.yaml")["stringData"]

    assert images == {"oms"}
    assert secret["OMS_DATABASE_URL"].startswith("postgresql://")
    assert secret["OMS_AMQP_URL"].startswith(("amqp://", "amqps://"))
    assert Settings(
        _env_file=None, database_url=secret["OMS_DATABASE_URL"], amqp_url=secret["OMS_AMQP_URL"]
    )
