"""Logs without secrets: no token from a link, no sign-in code, no client IP address.

Used by Django's log handlers (RedactTokens) and by gunicorn's access log
(gunicorn.conf.py: logger_class), so the privacy notice's "we do not keep your IP
address" holds for the logs too.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re

from gunicorn.glogging import Logger

# /confirm/<token>/, /my-signature/<token>/ … : every route whose address carries a secret.
TOKEN_PATH = re.compile(
    r"/(confirm|my-signature|actions|unsubscribe|email-preferences|invitations/no-more)/[^/\s?\"']+"
)
QUERY = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    return TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class AccessLogger(Logger):
    """gunicorn's access log with no client address and no token or query string."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(atoms.get("U", ""))
        atoms.update({"h": "-", "{x-forwarded-for}i": "-", "U": path, "q": "", "r": f"{atoms.get('m', '')} {path}"})
        atoms["f"] = QUERY.sub("", redact(atoms.get("f", "")))
        return atoms


# Request ids: one per web request (taken from a trusted proxy's X-Request-ID, or made here)
# and one per Celery task (its task id), on every log line written while it runs.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors: time, level, logger, message, request id."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
