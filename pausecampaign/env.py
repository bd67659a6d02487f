"""Strict readers for configuration from the environment.

Each helper names the variable in its error, so a typo in a deployment fails at
start-up with a message an operator can act on, not later with a confusing 500.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (203.0.113.7, 172.18.0.0/16)."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks, not {item!r}") from None
    return networks


def env_url(name: str, schemes: set[str]) -> dict | None:
    """Parse a URL variable into its parts, or None when it is unset or empty."""
    raw = env_str(name)
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} is not a valid URL") from None
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must start with one of: {allowed}")
    if not parts.hostname and parts.scheme not in {"redis", "rediss", "file"}:
        raise ImproperlyConfigured(f"{name} must name a host")
    return {
        "url": raw,
        "scheme": parts.scheme,
        "host": parts.hostname or "",
        "port": port,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "path": unquote(parts.path.lstrip("/")),
        "query": {k: v[-1] for k, v in parse_qs(parts.query).items()},
    }


def redis_neighbour_db(url: str) -> str:
    """The same Redis server, the next database number (the one before, for database 15)."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    db = int(path) if path.isdigit() else 0
    other = db + 1 if db < 15 else db - 1
    return parts._replace(path=f"/{other}").geturl()


def database_config(url: dict | None, sqlite_path: str, *, pgbouncer: bool = False) -> dict:
    """Django's DATABASES entry: dj-database-url reads the URL (every query option is passed to
    psycopg: sslmode, sslrootcert, connect_timeout, options …; socket URLs work), and we add
    psycopg's pool (`?pool=true&pool_size=N`) and the settings PgBouncer needs."""
    if url is None:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            # WAL lets the dev server read while a request writes.
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20},
        }
    if not url["path"]:
        raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgres://host/dbname")
    query = dict(url["query"])
    pool = query.pop("pool", "").lower() in TRUE_WORDS
    pool_size = query.pop("pool_size", "4")
    raw = url["url"].split("?", 1)[0] + ("?" + urlencode(query) if query else "")
    config = dj_database_url.parse(raw, conn_max_age=0 if pool or pgbouncer else 600, conn_health_checks=not pool)
    config["ENGINE"] = "django.db.backends.postgresql"
    if pgbouncer:
        # Transaction pooling hands each transaction any server connection: no server-side cursors,
        # and nothing prepared (its next use could reach another server connection).
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        return config
    options = config.setdefault("OPTIONS", {})
    if pool:
        # psycopg 3's pool: one per process, shared by its threads.
        options["pool"] = {"min_size": 1, "max_size": int(pool_size)}
    # Values are bound in Python (Django's default), not on the server: PostgreSQL binds at most
    # 65,535 parameters in one statement, and Django's delete gathers every related row's id into one
    # UPDATE … WHERE id IN (…), so with server-side binding a purge of 70,000 rows failed.
    return config


def email_config(url: dict | None, file_path: str) -> dict:
    if url is None:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": file_path,
        }
    if url["scheme"] == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": "/" + url["path"],
        }
    secure = url["scheme"] == "smtps"
    starttls = url["query"].get("starttls", "").lower() in TRUE_WORDS
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": url["host"],
        "EMAIL_PORT": url["port"] or (465 if secure else 25),
        "EMAIL_HOST_USER": url["user"],
        "EMAIL_HOST_PASSWORD": url["password"],
        "EMAIL_USE_SSL": secure,
        "EMAIL_USE_TLS": starttls and not secure,
        "EMAIL_TIMEOUT": 20,
    }
