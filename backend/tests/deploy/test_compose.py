"""The Compose files (deploy/compose): valid by the Compose Specification's JSON Schema (the
copy check-jsonschema ships), every reference resolving, and shaped as OMS runs: one service
per `oms` command, migrations first, healthchecks on the probes; in production only nginx
exposed, every variable documented in `.env.example`. No Docker engine is needed."""

import ipaddress
import json
import re
from importlib import resources
from typing import Any

import jsonschema
import pytest

from oms.core.settings import Settings
from oms.outbox.events import WorkerType
from tests.deploy.files import (
    COMPOSE_DIR,
    COMPOSE_FILES,
    ENV_EXAMPLE,
    SERVED_COMMANDS,
    UnsetVariable,
    env_file_entries,
    interpolate,
    interpolate_tree,
    load_yaml,
)

ENVIRONMENTS = sorted(COMPOSE_FILES)
OMS_COMMANDS = {*SERVED_COMMANDS, *(("worker", kind.value) for kind in WorkerType)}
ONE_SHOT_COMMANDS = {("migrate",), ("seed", "--demo")}
# Images of others are pinned to a release line, never `latest`.
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:[A-Za-z0-9][A-Za-z0-9._-]*$")


def compose_schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(vendor.joinpath("compose-spec.json").read_text())
    return schema


def example_environment() -> dict[str, str]:
    """The variables of `.env.example` as an installer fills them in: every empty one set."""
    return {
        name: value or f"secret-{name.lower()}"
        for name, value, commented in env_file_entries(ENV_EXAMPLE)
        if not commented
    }


def interpolated(environment: str) -> dict[str, Any]:
    """The file as Compose sees it: the production one with `.env` made from the example, the
    development one with no `.env` at all (its defaults must do)."""
    environ = example_environment() if environment == "production" else {}
    document: dict[str, Any] = interpolate_tree(
        load_yaml(COMPOSE_FILES[environment]), environ, set()
    )
    return document


def services(environment: str) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = interpolated(environment)["services"]
    return result


def oms_services(environment: str) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in services(environment).items()
        if tuple(service.get("command", ())) in OMS_COMMANDS | ONE_SHOT_COMMANDS
    }


def command_of(service: dict[str, Any]) -> tuple[str, ...]:
    return tuple(service.get("command", ()))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_compose_file_satisfies_the_compose_specification(environment: str) -> None:
    schema = compose_schema()
    validator = jsonschema.Draft202012Validator(schema)

    for document in (load_yaml(COMPOSE_FILES[environment]), interpolated(environment)):
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
        assert not errors, "\n".join(
            f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors
        )


def test_the_schema_refuses_what_compose_refuses() -> None:
    """The check can fail: a misspelt key and a wrong type are errors."""
    validator = jsonschema.Draft202012Validator(compose_schema())
    good = {"services": {"api": {"image": "oms:1", "restart": "always"}}}
    assert not list(validator.iter_errors(good))

    assert list(validator.iter_errors({"services": {"api": {"image": "oms:1", "restrat": "no"}}}))
    assert list(validator.iter_errors({"services": {"api": {"image": "oms:1", "ports": 80}}}))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_reference_in_the_compose_file_resolves(environment: str) -> None:
    document = interpolated(environment)
    declared_services = set(document["services"])
    declared_networks = set(document.get("networks", {})) | {"default"}
    declared_volumes = set(document.get("volumes", {}))
    declared_secrets = set(document.get("secrets", {}))
    declared_configs = set(document.get("configs", {}))

    for name, service in document["services"].items():
        assert "image" in service, f"{name} names no image"
        for dependency in service.get("depends_on", {}):
            assert dependency in declared_services, f"{name} depends on unknown {dependency}"
        networks = service.get("networks", [])
        for network in networks if isinstance(networks, list) else networks.keys():
            assert network in declared_networks, f"{name} joins unknown network {network}"
        for secret in service.get("secrets", []):
            assert (secret if isinstance(secret, str) else secret["source"]) in declared_secrets
        for config in service.get("configs", []):
            assert (config if isinstance(config, str) else config["source"]) in declared_configs
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume["source"]
            if source.startswith((".", "/")):
                assert (COMPOSE_DIR / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared_volumes, f"{name} mounts undeclared volume {source}"
        env_files = service.get("env_file", [])
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            path = COMPOSE_DIR / (env_file if isinstance(env_file, str) else env_file["path"])
            # `.env` is the installer's copy of `.env.example`, never in the repository.
            if path.name == ".env":
                path = path.with_name(".env.example")
            assert path.is_file(), f"{name} reads missing {path}"
        build = service.get("build")
        if build is not None:
            context = COMPOSE_DIR / build["context"]
            assert (context / build.get("dockerfile", "Dockerfile")).is_file()
    for volume in declared_volumes:
        assert any(
            isinstance(mount, str) and mount.split(":")[0] == volume
            for service in document["services"].values()
            for mount in service.get("volumes", [])
        ), f"volume {volume} is declared but unused"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_services_mirror_the_oms_commands_one_to_one(environment: str) -> None:
    commands = [command_of(service) for service in oms_services(environment).values()]

    assert sorted(set(commands) & OMS_COMMANDS) == sorted(OMS_COMMANDS)
    assert len(commands) == len(set(commands)), "two services run the same command"
    images = {service["image"] for service in oms_services(environment).values()}
    assert len(images) == 1, f"the OMS services run different images: {images}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_migrations_run_once_before_anything_that_uses_the_database(environment: str) -> None:
    all_services = services(environment)
    (migrate,) = (n for n, s in all_services.items() if command_of(s) == ("migrate",))
    assert all_services[migrate]["restart"] == "no"
    assert all_services[migrate]["depends_on"]["postgres"]["condition"] == "service_healthy"

    def waits_for_migrate(name: str, seen: frozenset[str] = frozenset()) -> bool:
        dependencies = all_services[name].get("depends_on", {})
        if dependencies.get(migrate, {}).get("condition") == "service_completed_successfully":
            return True
        return any(
            waits_for_migrate(dependency, seen | {name})
            for dependency, how in dependencies.items()
            if dependency not in seen and how["condition"] == "service_completed_successfully"
        )

    for name in oms_services(environment):
        if name != migrate:
            assert waits_for_migrate(name), f"{name} may start before the migrations ran"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_long_running_service_restarts_and_has_a_healthcheck(environment: str) -> None:
    for name, service in services(environment).items():
        if command_of(service) in ONE_SHOT_COMMANDS:
            assert service["restart"] == "no"
            assert service["healthcheck"] == {"disable": True}
            continue
        assert service.get("restart") in ("always", "unless-stopped"), name
        test = service["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL"), name
        if command_of(service) in OMS_COMMANDS:
            # The probes of docs/operations.md: readiness for Compose's `service_healthy`.
            assert test == ["CMD", "python", "-m", "oms.core.probe", "/health"], name


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_images_of_others_are_pinned(environment: str) -> None:
    for name, service in services(environment).items():
        if "build" in service:
            continue
        assert PINNED_IMAGE.match(service["image"]), f"{name}: {service['image']}"
        assert not service["image"].endswith(":latest"), name


def test_in_production_only_nginx_is_exposed() -> None:
    exposed = {name for name, service in services("production").items() if service.get("ports")}

    assert exposed == {"nginx"}
    assert services("production")["nginx"]["ports"] == ["80:80", "443:443"]
    networks = interpolated("production")["networks"]
    for name, service in services("production").items():
        if name in ("postgres", "rabbitmq"):
            assert service["networks"] == ["data"], name
    assert networks["data"]["internal"] is True


def test_in_production_three_api_replicas_sit_behind_nginx() -> None:
    production = services("production")
    (api,) = (s for s in production.values() if command_of(s) == ("api",))

    assert api["deploy"]["replicas"] == 3
    assert "container_name" not in api
    assert production["nginx"]["depends_on"] == {"api": {"condition": "service_healthy"}}


def test_in_production_every_service_has_resource_limits() -> None:
    for name, service in services("production").items():
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert limits.get("memory"), f"{name} has no memory limit"
        assert limits.get("cpus"), f"{name} has no CPU limit"


def test_in_production_the_data_lives_in_volumes() -> None:
    production = services("production")

    assert "postgres-data:/var/lib/postgresql/data" in production["postgres"]["volumes"]
    assert "rabbitmq-data:/var/lib/rabbitmq" in production["rabbitmq"]["volumes"]
    # RabbitMQ keeps its data under its node name, which follows the host name.
    assert production["rabbitmq"]["hostname"] == "rabbitmq"


def test_the_api_trusts_forwarded_addresses_from_nginx_network_only() -> None:
    document = interpolated("production")
    (subnet,) = document["networks"]["edge"]["ipam"]["config"]
    (api,) = (s for s in document["services"].values() if command_of(s) == ("api",))

    assert api["environment"]["OMS_TRUSTED_PROXIES"] == subnet["subnet"]
    assert ipaddress.ip_network(subnet["subnet"]).is_private
    assert "edge" in document["services"]["nginx"]["networks"]


def test_nginx_limits_bodies_to_the_api_limit() -> None:
    nginx = services("production")["nginx"]
    default = Settings.model_fields["max_body_bytes"].default

    assert nginx["environment"]["OMS_MAX_BODY_BYTES"] == str(default)
    assert nginx["environment"]["NGINX_ENVSUBST_FILTER"] == "^OMS_"
    raw = load_yaml(COMPOSE_FILES["production"])["services"]["nginx"]["environment"]
    assert raw["OMS_MAX_BODY_BYTES"] == "${OMS_MAX_BODY_BYTES:-" + str(default) + "}"


def test_every_variable_of_the_production_file_is_documented_in_env_example() -> None:
    used: set[str] = set()
    interpolate_tree(load_yaml(COMPOSE_FILES["production"]), example_environment(), used)
    documented = {name for name, _, _ in env_file_entries(ENV_EXAMPLE)}

    assert used - documented == set()


def test_production_refuses_to_start_without_its_passwords() -> None:
    environ = example_environment()
    for required in ("POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "DOMAIN"):
        without = {name: value for name, value in environ.items() if name != required}
        with pytest.raises(UnsetVariable, match=required):
            interpolate_tree(load_yaml(COMPOSE_FILES["production"]), without, set())
    # The example as it stands, its passwords still blank.
    blank = {
        name: value for name, value, commented in env_file_entries(ENV_EXAMPLE) if not commented
    }
    with pytest.raises(UnsetVariable):
        interpolate_tree(load_yaml(COMPOSE_FILES["production"]), blank, set())


def test_development_needs_no_env_file() -> None:
    used: set[str] = set()
    interpolate_tree(load_yaml(COMPOSE_FILES["development"]), {}, used)
    raw = COMPOSE_FILES["development"].read_text()

    for name in used:
        assert re.search(r"\$\{" + name + r":-[^}]", raw), f"{name} has no default"


def test_the_interpolation_of_the_tests_follows_compose() -> None:
    environ = {"SET": "x", "EMPTY": ""}

    assert interpolate("${SET}-${UNSET:-d}-${EMPTY:-e}-${EMPTY-f}-$$SET", environ) == "x-d-e--$SET"
    assert interpolate("${UNSET:-a${SET}b}", environ) == "axb"
    assert interpolate("${SET:+yes}${UNSET:+no}", environ) == "yes"
    with pytest.raises(UnsetVariable, match="EMPTY: say so"):
        interpolate("${EMPTY:?say so}", environ)
    with pytest.raises(ValueError, match="lone"):
        interpolate("cost: 5$", environ)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_keycloak_imports_the_oms_realm(environment: str) -> None:
    keycloak = services(environment)["keycloak"]

    assert "--import-realm" in keycloak["command"]
    assert "../keycloak:/opt/keycloak/data/import:ro" in keycloak["volumes"]
    assert (COMPOSE_DIR / "../keycloak/realm-oms.json").is_file()
    # The realm's redirect URIs follow OMS_PUBLIC_URL (a placeholder Keycloak fills in).
    (api,) = (s for s in services(environment).values() if command_of(s) == ("api",))
    assert keycloak["environment"]["OMS_PUBLIC_URL"] == api["environment"]["OMS_PUBLIC_URL"]
    issuer = api["environment"]["OMS_OIDC_ISSUER"]
    assert issuer.endswith("/realms/oms")


def test_the_development_keycloak_has_one_address_for_browsers_and_containers() -> None:
    development = services("development")
    issuer = development["api"]["environment"]["OMS_OIDC_ISSUER"]
    keycloak = development["keycloak"]

    assert issuer.startswith(keycloak["environment"]["KC_HOSTNAME"] + "/")
    host = keycloak["environment"]["KC_HOSTNAME"].split("//")[1].split(":")[0]
    assert host.endswith(".localhost"), "browsers resolve *.localhost to this machine"
    assert host in keycloak["networks"]["default"]["aliases"]


def test_the_production_keycloak_is_on_the_shops_origin_under_sso() -> None:
    production = interpolated("production")["services"]
    domain = example_environment()["DOMAIN"]
    (api,) = (s for s in production.values() if command_of(s) == ("api",))

    assert api["environment"]["OMS_PUBLIC_URL"] == f"https://{domain}"
    assert api["environment"]["OMS_OIDC_ISSUER"] == f"https://{domain}/sso/realms/oms"
    assert production["keycloak"]["environment"]["KC_HOSTNAME"] == f"https://{domain}/sso"
    assert production["keycloak"]["environment"]["KC_HTTP_RELATIVE_PATH"] == "/sso"
    # The API containers fetch the issuer's keys through nginx, by the public name.
    assert domain in production["nginx"]["networks"]["edge"]["aliases"]


def test_the_mounted_folders_say_what_goes_in_them() -> None:
    for folder in ("certs", "acme"):
        assert (COMPOSE_DIR / folder / "README.md").is_file()
