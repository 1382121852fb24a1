"""`deploy/compose/.env.example` documents every setting OMS reads, read from the Settings
class itself (so a new setting fails here until it is documented), each commented default
being the true default, and names no setting that does not exist."""

import pytest
from pydantic import ValidationError

from oms.core.settings import Settings
from tests.deploy.files import ENV_EXAMPLE, KUBERNETES_DIR, env_file_entries, load_yaml


def setting_names() -> set[str]:
    prefix = Settings.model_config.get("env_prefix", "")
    return {f"{prefix}{name}".upper() for name in Settings.model_fields}


def oms_entries() -> list[tuple[str, str, bool]]:
    return [entry for entry in env_file_entries(ENV_EXAMPLE) if entry[0].startswith("OMS_")]


def test_every_setting_is_documented() -> None:
    documented = {name for name, _, _ in oms_entries()}

    assert setting_names() - documented == set()


def test_every_documented_oms_variable_is_a_setting() -> None:
    documented = {name for name, _, _ in oms_entries()}

    assert documented - setting_names() == set()


def test_each_setting_is_documented_once() -> None:
    names = [name for name, _, _ in oms_entries()]

    assert sorted(name for name in set(names) if names.count(name) > 1) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [(name, value) for name, value, commented in oms_entries() if commented],
)
def test_a_commented_default_is_the_true_default(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = name.removeprefix("OMS_").lower()
    default = Settings.model_fields[field].default
    if value == "":
        assert default in (None, []), f"{name} is shown unset but defaults to {default!r}"
        return
    for other in setting_names():
        monkeypatch.delenv(other, raising=False)
    monkeypatch.setenv(name, value)

    assert getattr(Settings(_env_file=None), field) == default


def test_the_values_set_in_the_example_are_valid_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for other in setting_names():
        monkeypatch.delenv(other, raising=False)
    for name, value, commented in oms_entries():
        if not commented:
            monkeypatch.setenv(name, value)
    # What compose.prod.yaml derives for every OMS container.
    monkeypatch.setenv("OMS_OIDC_ISSUER", "https://shop.example.com/sso/realms/oms")

    settings = Settings(_env_file=None)

    assert settings.auth_mode == "oidc"
    assert settings.smtp_url is not None


def test_a_wrong_default_in_the_example_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a value that parses to something else differs."""
    monkeypatch.setenv("OMS_DB_POOL_SIZE", "11")
    assert Settings(_env_file=None).db_pool_size != Settings.model_fields["db_pool_size"].default
    monkeypatch.setenv("OMS_DB_POOL_SIZE", "many")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_the_kubernetes_config_map_names_settings_only() -> None:
    config = load_yaml(KUBERNETES_DIR / "configmap.yaml")["data"]
    secret = load_yaml(KUBERNETES_DIR / "secret.yaml")["stringData"]

    assert (set(config) | set(secret)) - setting_names() == set()
