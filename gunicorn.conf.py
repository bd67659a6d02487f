"""gunicorn settings for production. Every value can be overridden by environment variable."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Threads let one worker wait on PostgreSQL and Redis while another request runs.
# Explicit in production (the compose file sets 3): a default from the host's cores ignores a
# container's CPU limit and can open more database connections than PostgreSQL allows.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 4)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))  # 0: never (make bench, to measure CPU)
max_requests_jitter = 2000
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# No client IP and no token from a link ever reaches the access log (pausecampaign/logs.py).
logger_class = "pausecampaign.logs.AccessLogger"
if os.environ.get("LOG_FORMAT") == "json":
    access_log_format = (
        '{"time": "%(t)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(b)s", "ms": %(M)s, '
        '"referer": "%(f)s", "request_id": "%({x-request-id}o)s"}'
    )
else:
    access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" %({x-request-id}o)s'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
