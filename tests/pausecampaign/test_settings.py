"""Configuration from the environment: a bad value stops start-up with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 60
SAFE_SITE = {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "SITE_URL": "https://p.example", "ALLOWED_HOSTS": "p.example"}
CONTROLLER = {"CONTROLLER_NAME": "C Ltd", "CONTROLLER_ADDRESS": "1 Street", "CONTROLLER_EMAIL": "p@c.example"}


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG"}}
    code = "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND, s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "pausecampaign.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must start with one of: postgres, postgresql"),
        ({"DATABASE_URL": "postgres://host"}, "DATABASE_URL must name a database"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL must start with one of"),
        ({"EMAIL_URL": "smtp://host:notaport"}, "EMAIL_URL is not a valid URL"),
        ({"TRUSTED_PROXIES": "two"}, "TRUSTED_PROXIES must list IP addresses or networks"),
        ({"TRUSTED_PROXIES": "10.0.0.1,300.1.1.1"}, "TRUSTED_PROXIES must list IP addresses or networks"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "TRUSTED_PROXY_COUNT is no longer read"),
        ({"SITE_URL": "pauseofsted.org"}, "SITE_URL must be an absolute http(s) URL"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "SITE_URL must be set to the site's public address"),
        (
            {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "SITE_URL": "https://pauseofsted.org"},
            "SITE_URL's host 'pauseofsted.org' must be one of ALLOWED_HOSTS",
        ),
        (
            {**SAFE_SITE, "CONTROLLER_EMAIL": "p@c.example"},
            "CONTROLLER_NAME, CONTROLLER_ADDRESS must be set when DEBUG is off",
        ),
        (
            {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "SITE_URL": "http://127.0.0.1:8000"},
            "SITE_URL must be the site's public https address",
        ),
        (
            {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "SITE_URL": "https://localhost", "ALLOWED_HOSTS": "localhost"},
            "SITE_URL must be the site's public https address",
        ),
        (
            {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "SITE_URL": "http://p.example", "ALLOWED_HOSTS": "p.example"},
            "SITE_URL must be the site's public https address",
        ),
    ],
)
def test_it_refuses_a_bad_value_naming_the_variable(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_runs_on_embedded_defaults_with_nothing_set():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.filebased.EmailBackend", "True"]


def test_it_uses_smtp_from_email_url():
    result = load_settings(
        EMAIL_URL="smtps://user:pa%40ss@mail.example:465",
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        **CONTROLLER,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "False"]


def check_deploy(site_url: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG"}}
    env = {
        **clean,
        "DEBUG": "false",
        "SECRET_KEY": GOOD_KEY,
        "SITE_URL": site_url,
        "SECURE_SSL_REDIRECT": "false",
        **CONTROLLER,
        "ALLOWED_HOSTS": "pauseofsted.example,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("site_url", "error"),
    [("http://pauseofsted.example", "pausecampaign.E001"), ("http://127.0.0.1:8000", "pausecampaign.E002")],
)
def test_it_fails_the_deploy_check_with_a_site_url_nobody_can_use(site_url, error):
    result = check_deploy(site_url)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_it_passes_the_deploy_check_with_a_public_https_site_url():
    result = check_deploy("https://pauseofsted.example")
    assert "pausecampaign.E00" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "url",
    [
        "postgres://campaign:secret@postgres:5432/campaign?pool=true",  # as docker-compose.yml gives it
        "postgres://campaign@db/campaign?pool=true&pool_size=8",
        "postgres://campaign@db/campaign?pool=true&sslmode=require",
    ],
)
def test_it_reads_the_compose_files_database_url_with_a_pool(url):
    config = database_config_for(url)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["OPTIONS"]["pool"]["min_size"] == 1 and config["CONN_MAX_AGE"] == 0


def database_config_for(url: str, **kwargs) -> dict:
    from pausecampaign.env import database_config, env_url

    os.environ["DATABASE_URL_UNDER_TEST"] = url
    try:
        return database_config(env_url("DATABASE_URL_UNDER_TEST", {"postgres", "postgresql"}), "unused", **kwargs)
    finally:
        del os.environ["DATABASE_URL_UNDER_TEST"]


@pytest.mark.parametrize("url", ["postgres://campaign@db/campaign?pool=true", "postgres://campaign@db/campaign"])
def test_it_binds_values_in_python_as_django_does(url):
    # Server-side binding caps a statement at 65,535 parameters, which a large delete passes
    # (tests/pledges/test_retention.py).
    assert not database_config_for(url).get("OPTIONS", {}).get("server_side_binding")


def test_it_uses_no_server_side_cursors_through_pgbouncer():
    config = database_config_for("postgres://campaign@pgbouncer/campaign", pgbouncer=True)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
