"""The compose file as operators run it, checked without a container engine (issue 19)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ["migrate", "web", "worker", "worker-bulk", "beat"]


def test_only_the_proxy_is_published():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["proxy"]["image"].startswith("caddy:")


def test_the_app_trusts_forwarded_headers_only_from_the_proxy_s_fixed_address():
    proxy_ip = SERVICES["proxy"]["networks"]["backend"]["ipv4_address"]
    for name in APP:
        assert SERVICES[name]["environment"]["TRUSTED_PROXIES"] == proxy_ip, name


def test_secrets_are_required_and_never_fall_back_to_a_weak_default():
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in ["SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_URL", "SITE_HOST", "CONTROLLER_NAME"]:
        assert re.search(rf"\$\{{{secret}:\?", text), f"{secret} must be required with ${{{secret}:?…}}"
        assert not re.search(rf"\$\{{{secret}:-", text), f"{secret} must have no default"
    assert "campaign}@" not in text and "mail.example" not in text


def test_migrations_run_once_before_the_web_starts():
    assert "migrate" in SERVICES["migrate"]["command"]
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in SERVICES["web"]["command"]


def test_the_web_health_check_sends_the_real_host():
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "Host" in check and "ALLOWED_HOSTS" in check


@pytest.mark.parametrize("name", APP)
def test_the_cache_and_the_broker_use_different_redis_databases(name):
    env = SERVICES[name]["environment"]
    assert env["REDIS_URL"].rsplit("/", 1)[1] != env["REDIS_CACHE_URL"].rsplit("/", 1)[1]


def test_stops_are_graceful_logs_rotate_and_images_are_pinned():
    assert int(SERVICES["web"]["stop_grace_period"].rstrip("s")) > 20, "longer than gunicorn's graceful_timeout"
    for name, service in SERVICES.items():
        assert service["logging"]["options"]["max-size"], name
        image = service.get("image", "")
        if name not in APP:
            assert re.search(r":\d+(\.\d+)+", image), f"{name}: pin a version, not {image!r}"
    assert SERVICES["postgres"]["image"].startswith("postgres:17")


def test_there_is_a_backup_and_one_beat():
    assert "backup.sh" in " ".join(SERVICES["backup"]["command"])
    assert "backups" in " ".join(SERVICES["backup"]["volumes"])
    assert sum("beat" in str(service.get("command", "")) for service in SERVICES.values()) == 1


def test_secrets_never_reach_the_image_or_the_repository():
    for ignore in (".dockerignore", ".gitignore"):
        assert ".env" in (ROOT / ignore).read_text().split(), ignore
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY . ." not in dockerfile
    assert "requirements-dev.lock" not in dockerfile and "--require-hashes" in dockerfile


def test_every_variable_the_settings_read_is_in_env_example():
    settings = (ROOT / "pausecampaign/settings.py").read_text() + (ROOT / "pausecampaign/env.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|url|networks)\("([A-Z_]+)"', settings))
    example = (ROOT / ".env.example").read_text()
    missing = sorted(name for name in read if name not in example and name != "CI")
    assert missing == []
