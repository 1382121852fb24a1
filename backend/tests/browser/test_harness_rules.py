"""When the browser tests skip, when they fail, and which apps they run against."""

from pathlib import Path

import pytest

from tests.browser import chromium, web_apps


def test_without_chromium_the_tests_skip_saying_why_outside_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(chromium, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        chromium.chromium_or_skip()


def test_without_chromium_the_tests_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(chromium, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match=r"CI=true and .*chromium is missing"):
        chromium.chromium_or_skip()


def test_a_checkout_without_app_sources_gets_the_stand_in_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(web_apps, "FRONTEND", tmp_path / "frontend")

    served = web_apps.gather_web_apps(tmp_path / "web")

    assert (served / "customer" / "index.html").read_text() == web_apps.STAND_IN_INDEX
    assert (served / "customer" / "assets" / "index-abc123.js").is_file()
    assert not (served / "admin").exists()


def test_app_sources_that_are_not_built_fail_the_tests(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    frontend = tmp_path / "frontend"
    (frontend / "customer" / "src").mkdir(parents=True)
    (frontend / "package.json").write_text("{}")
    monkeypatch.setattr(web_apps, "FRONTEND", frontend)

    with pytest.raises(pytest.fail.Exception, match="the customer app is not built"):
        web_apps.gather_web_apps(tmp_path / "web")


def test_built_apps_are_served_from_their_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    frontend = tmp_path / "frontend"
    (frontend / "customer" / "dist").mkdir(parents=True)
    (frontend / "customer" / "dist" / "index.html").write_text("<!doctype html>")
    (frontend / "package.json").write_text("{}")
    monkeypatch.setattr(web_apps, "FRONTEND", frontend)

    served = web_apps.gather_web_apps(tmp_path / "web")

    assert (served / "customer").resolve() == (frontend / "customer" / "dist").resolve()
    assert not (served / "admin").exists()
