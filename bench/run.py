"""`make bench`: the production stack on this machine, under load, measured against its own ceilings.

Starts gunicorn (production settings, PostgreSQL, Redis), a Celery worker and an SMTP sink on
127.0.0.1, drives them with wrk (and a paced Python client for the 2,000-a-minute email phase),
then writes docs/benchmarks.md and docs/benchmarks.json. Every request goes to 127.0.0.1 only, and
every phase is bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs"
PG = "postgres://postgres@127.0.0.1:5432"
DB = "pausecampaign_bench"
REDIS = "redis://127.0.0.1:6379/3"
WEB_PORT, SMTP_PORT = 8765, 8025
BASE = f"http://127.0.0.1:{WEB_PORT}"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SIGNING_SECONDS = int(os.environ.get("BENCH_SIGNING_SECONDS", "60"))
PHASE_SECONDS = int(os.environ.get("BENCH_PHASE_SECONDS", "20"))
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "4")
WEB_THREADS = os.environ.get("BENCH_WEB_THREADS", "2")
FIXED_RATE = int(os.environ.get("BENCH_FIXED_RATE", "600"))

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + "k" * 60,
    "CONTROLLER_NAME": "Bench Controller",
    "CONTROLLER_ADDRESS": "1 Bench Street",
    "CONTROLLER_EMAIL": "privacy@bench.example",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": BASE,
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"{PG}/{DB}?pool=true&pool_size=4",
    "REDIS_URL": REDIS,
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "TRUSTED_PROXIES": "127.0.0.1",
    "SIGNING_RATE_PER_IP": "1000000",
    "SIGNING_RATE_PER_DOMAIN": "1000000",
    "BENCH_CEILINGS": "true",
    "VAR_DIR": str(OUT / "var"),
    "WEB_CONCURRENCY": WEB_WORKERS,
    "GUNICORN_THREADS": WEB_THREADS,
    "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
    "GUNICORN_ACCESS_LOG": "",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
    "OUTBOX_LEASE_SECONDS": "120",
    "GUNICORN_MAX_REQUESTS": "0",  # no worker recycled mid-phase: its CPU time would be lost to the measure
}
processes: list[subprocess.Popen] = []


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*args: str, **kwargs) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{args[:3]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def manage(*args: str) -> str:
    return run(str(VENV / "python"), "manage.py", *args)


def django(code: str) -> str:
    """Run code with the bench settings and return what it prints."""
    return run(str(VENV / "python"), "-c", "import django; django.setup()\n" + code)


def start(name: str, *args: str) -> subprocess.Popen:
    log = open(OUT / f"{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(args, env=ENV, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    processes.append(process)
    return process


def run_behind(process: subprocess.Popen) -> None:
    """Give a process (and the children it forks) the lowest CPU weight, as compose's cpu_shares does.

    Every process here starts its own session, and with the kernel's autogroup scheduling
    (sched_autogroup_enabled) each session shares the CPU equally with the others whatever its
    `nice`: a plain `nice` would leave the worker level with the web. The session's own weight
    is set through /proc/<pid>/autogroup; without autogroup, `nice` is the weight.
    """
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, process.pid, 19)
    autogroup = Path(f"/proc/{process.pid}/autogroup")
    if autogroup.exists():
        with contextlib.suppress(OSError):
            autogroup.write_text("19")


def stop_all() -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def ensure_tools() -> None:
    missing = [name for name, tool in (("wrk", "wrk"), ("redis-server", "redis-server")) if not shutil.which(tool)]
    if missing:
        say(f"installing {missing}")
        subprocess.run(["apt-get", "update", "-q"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    if subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode != 0:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )


def prepare() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "var").mkdir(parents=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run(["redis-cli", "-n", "3", "flushdb"], check=True, capture_output=True)
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    subprocess.run(
        ["psql", f"{PG}/{DB}", "-qc", "CREATE TABLE bench_row (id bigserial primary key, v int)"], check=True
    )


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def csrf_pair() -> tuple[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
    connection.request("GET", "/sign/")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def wrk(
    script: str, path: str, seconds: int, extra_env: dict | None = None, threads: int = min(2, CONNECTIONS)
) -> dict:
    env = {**ENV, **(extra_env or {}), "THREADS": str(threads)}
    args = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        f"bench/{script}",
        BASE + path,
    ]
    output = subprocess.run(args, check=True, capture_output=True, text=True, env=env, cwd=ROOT).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    for key in ("p50_us", "p90_us", "p99_us"):
        result[key.replace("_us", "_ms")] = round(result.pop(key) / 1000, 1)
    return result


def peak_rss_mb(pids: list[int]) -> float:
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return round(max(peaks or [0]), 1)


def cpu_seconds(pids: list[int], *, reaped: bool = False) -> float:
    """User and system CPU time these processes have used so far (from /proc, in clock ticks).

    With `reaped`, also what their children that have exited used (cutime, cstime).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / ticks


def web_cpu_seconds(master: int) -> float:
    """All CPU the web server has used: the master, its live workers, and any worker it has reaped."""
    return cpu_seconds([master], reaped=True) + cpu_seconds(children(master))


def settle(web: subprocess.Popen, timeout: float = 180) -> None:
    """Wait until the web server is idle and the outbox is empty, so one phase never runs in another's tail."""
    deadline = time.monotonic() + timeout
    before = web_cpu_seconds(web.pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = web_cpu_seconds(web.pid)
        busy, before = now - before, now
        waiting = int(django("from pledges.models import Email; print(Email.objects.filter(sent_at=None).count())"))
        if busy < 0.1 and waiting == 0:
            return
    say("the stack did not settle in time; measuring anyway")


def pids_of(name: str) -> list[int]:
    out = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def sink_lines() -> list[tuple[float, str]]:
    path = OUT / "sink.tsv"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        stamp, rcpt = line.split("\t")
        rows.append((float(stamp), rcpt))
    return rows


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def count_now(slug: str = "support-the-pause") -> int:
    body = json.loads(urllib.request.urlopen(BASE + "/api/v1/counts", timeout=5).read())
    return next(p["count"] for p in body["pledges"] if p["slug"] == slug)


def confirmation_to_count(tokens: list[str], cookie: str, token: str) -> list[float]:
    delays = []
    for link in tokens:
        before = count_now()
        connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
        connection.request(
            "POST", f"/confirm/{link}/", body=f"csrfmiddlewaretoken={token}",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
        )  # fmt: skip
        response = connection.getresponse()
        response.read()
        confirmed_at = time.monotonic()
        assert response.status == 200, response.status
        while count_now() <= before and time.monotonic() - confirmed_at < 10:
            time.sleep(0.02)
        delays.append(time.monotonic() - confirmed_at)
    return delays


def paced_signings(rate_per_minute: int, seconds: int, cookie: str, token: str, pledge: str) -> dict[str, float]:
    """Sign at a steady rate from a few threads; return address → time the request was sent."""
    sent: dict[str, float] = {}
    interval = 60 / rate_per_minute
    start_at = time.time() + 0.5
    total = int(seconds / interval)
    lock = threading.Lock()

    def worker(offset: int, step: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
        for n in range(offset, total, step):
            delay = start_at + n * interval - time.time()
            if delay > 0:
                time.sleep(delay)
            email = f"paced-{n}@p{n % 97}.bench.example"
            body = (
                f"csrfmiddlewaretoken={token}&pledges={pledge}&name=Paced+Signer&email={email}"
                "&role=teacher&region=J&appearance=counted&consent=on"
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "X-Forwarded-For": f"198.19.{n % 250}.{n // 250 % 250 + 1}",
            }
            with lock:
                sent[email] = time.time()
            connection.request("POST", "/sign/", body=body, headers=headers)
            connection.getresponse().read()

    threads = [threading.Thread(target=worker, args=(i, 4)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return sent


def main() -> dict:
    ensure_tools()
    say("preparing a fresh database")
    prepare()
    # The mail server is the outside world, and the worker's sending can wait for a surge to pass (the
    # outbox holds it): both run at a lower CPU priority than the web processes, as the compose file's
    # cpu_shares set them. The paced email phase below is timed with the same priorities.
    sink = start("sink", str(VENV / "python"), "bench/sink.py", str(SMTP_PORT), str(OUT / "sink.tsv"))
    web = start("web", str(VENV / "gunicorn"), "--config", "gunicorn.conf.py", "pausecampaign.wsgi:application")
    worker = start(
        "worker",
        str(VENV / "celery"),
        "-A",
        "pausecampaign",
        "worker",
        "-Q",
        "celery,mail,bulk",
        "--loglevel=WARNING",
        "--concurrency=2",
        "--without-gossip",
        "--without-mingle",
    )
    for process in (sink, worker):
        run_behind(process)
    wait_for(BASE + "/healthz")
    time.sleep(3)
    pledge = django("from pledges.models import Pledge; print(Pledge.objects.get(slug='support-the-pause').pk)").strip()
    cookie, token = csrf_pair()
    counts_body = urllib.request.urlopen(BASE + "/api/v1/counts").read().decode()
    django(f"from django.core.cache import cache; cache.set('bench:key', {counts_body!r}.encode(), None)")
    results: dict = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "connections": CONNECTIONS}
    results["machine"] = {"cores": os.cpu_count(), "web_workers": WEB_WORKERS, "web_threads": WEB_THREADS}

    say("ceiling: a view that reads one Redis key")
    wrk("get.lua", "/bench/read-one-key", 3)
    results["ceiling_read"] = wrk("get.lua", "/bench/read-one-key", PHASE_SECONDS)
    say("counts endpoint")
    wrk("get.lua", "/api/v1/counts", 3)
    results["counts"] = wrk("get.lua", "/api/v1/counts", PHASE_SECONDS)
    say("the sign form, as a new visitor opens it")
    wrk("get.lua", "/sign/", 3)
    results["sign_page"] = wrk("get.lua", "/sign/", PHASE_SECONDS)
    say("the counts page, as a crowd reads it")
    wrk("get.lua", "/counts/", 3)
    results["counts_page"] = wrk("get.lua", "/counts/", PHASE_SECONDS)
    say("ceiling: a view that inserts one row")
    wrk("insert.lua", "/bench/insert-one-row", 3)
    results["ceiling_insert"] = wrk("insert.lua", "/bench/insert-one-row", PHASE_SECONDS)

    say(f"signing for {SIGNING_SECONDS}s at {CONNECTIONS} connections")
    lua_env = {"CSRF_TOKEN": token, "CSRF_COOKIE": cookie, "PLEDGE_ID": pledge}
    wrk("sign.lua", "/sign/", 3, {**lua_env, "RUN": "warm"})
    settle(web)
    where = {
        "web (gunicorn)": lambda: web_cpu_seconds(web.pid),
        "PostgreSQL": lambda: cpu_seconds(pids_of("postgres")),
        "Redis": lambda: cpu_seconds(pids_of("redis-server")),
        "Celery worker (sending the email)": lambda: cpu_seconds([worker.pid, *children(worker.pid)]),
        "SMTP sink (the mail server)": lambda: cpu_seconds([sink.pid]),
        "wrk (the load)": lambda: (lambda t: t.children_user + t.children_system)(os.times()),
    }
    cpu_before = {name: read() for name, read in where.items()}
    surge_started = time.time()
    results["signing"] = wrk("sign.lua", "/sign/", SIGNING_SECONDS, {**lua_env, "RUN": "surge"})
    surge_ended = time.time()
    answered = max(results["signing"]["requests"], 1)
    results["cpu_ms_per_signing"] = {
        name: round(1000 * (read() - cpu_before[name]) / answered, 2) for name, read in where.items()
    }
    results["web_cpu_ms_per_signing"] = results["cpu_ms_per_signing"]["web (gunicorn)"]
    check = json.loads(
        django(
            "import json\nfrom pledges.models import Signature, Email\n"
            "s = Signature.objects.filter(email__startswith='surge-')\n"
            "print(json.dumps({'signatures': s.count(), 'distinct_emails': s.values('canonical_email').distinct().count(),"
            " 'confirmation_emails': Email.objects.filter(signature__in=s).count()}))"
        )
    )
    accepted = results["signing"]["expected"]
    check["accepted_by_http"] = accepted
    # wrk stops counting at the deadline: up to one request per connection was still in flight and was
    # stored without its 302 being counted. Every accepted one must be there, and none twice.
    check["in_flight_at_cutoff"] = check["signatures"] - accepted
    check["exactly_once"] = (
        check["signatures"] == check["distinct_emails"] == check["confirmation_emails"]
        and 0 <= check["in_flight_at_cutoff"] <= CONNECTIONS
    )
    results["signing_check"] = check

    say("waiting for the confirmation emails of the surge to reach the sink")
    expected_mail = check["confirmation_emails"] + results["signing"]["requests"] * 0  # surge only
    deadline = time.time() + 300
    while time.time() < deadline:
        surge_mail = [row for row in sink_lines() if row[1].startswith("surge-")]
        if len(surge_mail) >= expected_mail:
            break
        time.sleep(2)
    surge_mail = [row for row in sink_lines() if row[1].startswith("surge-")]
    last = max((row[0] for row in surge_mail), default=surge_ended)
    results["surge_email"] = {
        "delivered": len(surge_mail),
        "expected": expected_mail,
        "per_second": round(len(surge_mail) / max(last - surge_started, 1), 1),
        "all_delivered_after_s": round(last - surge_ended, 1),
    }

    settle(web)
    say(f"signing at a fixed {FIXED_RATE} a second for {PHASE_SECONDS} s, timed from each request's due time")
    fixed = subprocess.run(
        [str(VENV / "python"), "bench/fixed_rate.py", str(FIXED_RATE), str(PHASE_SECONDS), "fixed"],
        check=True, capture_output=True, text=True, cwd=ROOT, env={**ENV, **lua_env, "WEB_PORT": str(WEB_PORT)},
    )  # fmt: skip
    results["fixed_rate"] = json.loads(fixed.stdout.strip().splitlines()[-1])
    settle(web)  # what the client stopped waiting for may still be in the server's queue: count after it
    stored = json.loads(
        django(
            "import json\nfrom pledges.models import Signature, Email\n"
            "s = Signature.objects.filter(email__startswith='fixed-')\n"
            "print(json.dumps([s.count(), s.values('canonical_email').distinct().count(), "
            "Email.objects.filter(signature__in=s).count()]))"
        )
    )
    fixed_result = results["fixed_rate"]
    accepted = fixed_result["statuses"].get("302", 0)
    fixed_result["stored"], fixed_result["distinct_emails"], fixed_result["confirmation_emails"] = stored
    # A request the client stopped waiting for may still have been stored: never more than those.
    fixed_result["exactly_once"] = (
        stored[0] == stored[1] == stored[2]
        and accepted <= stored[0] <= accepted + fixed_result["unanswered"] + fixed_result["errors"]
    )

    settle(web)
    say("confirmations")
    tokens_file = OUT / "tokens.txt"
    django(
        "from pledges.models import Signature\nfrom pledges.tokens import make_token\n"
        f"ids = list(Signature.objects.filter(email__startswith='surge-').order_by('pk').values_list('pk', flat=True)[:60000])\n"
        f"open({str(tokens_file)!r}, 'w').write('\\n'.join(make_token('confirm', [i]) for i in ids))"
    )
    all_tokens = tokens_file.read_text().split()
    probe_tokens, bench_tokens = all_tokens[:50], all_tokens[50:]
    tokens_file.write_text("\n".join(bench_tokens))
    cpu_before = {name: read() for name, read in where.items()}
    results["confirm"] = wrk("confirm.lua", "/confirm/x/", PHASE_SECONDS, {**lua_env, "TOKENS": str(tokens_file)})
    confirmed = max(results["confirm"]["requests"], 1)
    results["cpu_ms_per_confirmation"] = {
        name: round(1000 * (read() - cpu_before[name]) / confirmed, 2) for name, read in where.items()
    }
    results["confirm"]["tokens_available"] = len(bench_tokens)
    time.sleep(2)
    say("time from a confirmation to the public count")
    delays = confirmation_to_count(probe_tokens, cookie, token)
    results["confirm_to_count"] = {
        "samples": len(delays),
        "p50_ms": round(statistics.median(delays) * 1000, 1),
        "p99_ms": round(percentile(delays, 99) * 1000, 1),
    }

    settle(web)
    say("email at 2,000 signings a minute for 30 s")
    sent = paced_signings(2000, 30, cookie, token, pledge)
    deadline = time.time() + 120
    while time.time() < deadline:
        arrived = {rcpt: stamp for stamp, rcpt in sink_lines() if rcpt.startswith("paced-")}
        if len(arrived) >= len(sent):
            break
        time.sleep(1)
    arrived = {rcpt: stamp for stamp, rcpt in sink_lines() if rcpt.startswith("paced-")}
    paced_delays = [arrived[email] - sent[email] for email in sent if email in arrived]
    results["paced_email"] = {
        "signings": len(sent),
        "delivered": len(paced_delays),
        "p50_s": round(statistics.median(paced_delays), 2) if paced_delays else None,
        "p95_s": round(percentile(paced_delays, 95), 2) if paced_delays else None,
    }

    say("statements and Redis commands per signing and per confirmation")
    results["costs"] = json.loads(
        django("import runpy; runpy.run_path('bench/costs.py', run_name='__main__')").strip().splitlines()[-1]
    )

    results["memory_mb"] = {
        "web_worker_peak_rss": peak_rss_mb(children(web.pid)),
        "celery_worker_peak_rss": peak_rss_mb([worker.pid, *children(worker.pid)]),
    }
    return results


def verdicts(r: dict) -> list[tuple[str, str, str, bool]]:
    sign, counts, fixed, ceil_i = r["signing"], r["counts"], r["fixed_rate"], r["ceiling_insert"]
    fixed_errors = fixed["errors"] + fixed["unanswered"] + sum(v for k, v in fixed["statuses"].items() if k != "302")
    errors = sign["socket_errors"] + sign["non_2xx_3xx"] + sign["unexpected"] + fixed_errors
    return [
        ("Signings per second, sustained for 60 s", f"{sign['rps']}", "≥ 600", sign["rps"] >= 600),
        ("Signing p99 at a fixed 600 a second, from each request's due time", f"{fixed['p99_ms']} ms", "< 250 ms", fixed["p99_ms"] < 250),
        ("Signing vs insert-one-row ceiling", f"{sign['rps'] / ceil_i['rps']:.0%}", "≥ 33%", sign["rps"] >= ceil_i["rps"] / 3),
        ("Confirmations per second", f"{r['confirm']['rps']}", "≥ 600", r["confirm"]["rps"] >= 600),
        ("Signing errors (surge and fixed rate)", f"{errors}", "0", errors == 0),
        ("Every accepted signing stored exactly once", str(r["signing_check"]["exactly_once"] and fixed["exactly_once"]), "True", r["signing_check"]["exactly_once"] and fixed["exactly_once"]),
        ("Counts endpoint vs read-one-key ceiling", f"{counts['rps'] / r['ceiling_read']['rps']:.0%}", "≥ 80%", counts["rps"] >= 0.8 * r["ceiling_read"]["rps"]),
        ("Confirmation visible in the count, p99", f"{r['confirm_to_count']['p99_ms']} ms", "≤ 2,000 ms", r["confirm_to_count"]["p99_ms"] <= 2000),
        ("Confirmation email delay at 2,000/min, p95", f"{r['paced_email']['p95_s']} s", "≤ 10 s", (r["paced_email"]["p95_s"] or 99) <= 10),
    ]  # fmt: skip


def web_split(costs: dict) -> list[str]:
    """Where one web process's CPU goes, request by request part (bench/costs.py, in one process)."""
    cpu = costs.get("cpu")
    if not cpu:
        return []
    sign, conf = cpu["signing"], cpu["confirmation"]
    labels = list(dict.fromkeys([*sign["parts_ms"], *conf["parts_ms"]]))
    rows = [f"| {label} | {sign['parts_ms'].get(label, '')} | {conf['parts_ms'].get(label, '')} |" for label in labels]
    return [
        "Inside one web process, part by part (`bench/costs.py`: the thread's CPU time over "
        f"{sign['rounds']} signings and {conf['rounds']} confirmations through Django's test client, on this stack, with no load beside it; "
        "gunicorn's own share, reading and writing the HTTP, is on top of these):",
        "",
        "| Part of the request | ms per signing | ms per confirmation |",
        "| --- | --- | --- |",
        *rows,
        f"| **in all** | **{sign['total_ms']}** | **{conf['total_ms']}** |",
    ]


def write_report(r: dict) -> None:
    DOCS.mkdir(exist_ok=True)
    (DOCS / "benchmarks.json").write_text(json.dumps(r, indent=2) + "\n")
    sign, counts, ceil_r, ceil_i, conf = r["signing"], r["counts"], r["ceiling_read"], r["ceiling_insert"], r["confirm"]
    fixed, costs = r["fixed_rate"], r["costs"]
    cpu = r["cpu_ms_per_signing"]
    total_cpu = sum(cpu.values())
    ceiling_from_cpu = 1000 * r["machine"]["cores"] / total_cpu
    confirm_cpu = sum(r["cpu_ms_per_confirmation"].values())
    web_confirm = r["cpu_ms_per_confirmation"]["web (gunicorn)"]
    missed = [name for name, _, _, ok in verdicts(r) if not ok]
    misses = (
        ["Every target is met in this run."]
        if not missed
        else [
            f"Missed here: {'; '.join(missed)}.",
            "",
            f"- **Throughput.** All the processes together spend {total_cpu:.2f} ms of CPU per signing, so "
            f"{r['machine']['cores']} cores can carry at most about {ceiling_from_cpu:,.0f} a second, and this run "
            f"sustained {sign['rps']} ({sign['rps'] * 60:,.0f} a minute, {sign['rps'] * 60 / 2000:.0f}× the rate "
            f"at which the Parliament petitions site failed in 2019), with nothing lost. Reaching 600 a second "
            f"on this machine needs the whole signing, email included, under {1000 * r['machine']['cores'] / 600:.1f} "
            f"ms of CPU; or more cores: web processes and workers scale out (see the README).",
            f"- **Latency at a fixed 600 a second.** Offered more than it can carry, the queue grows for as long "
            f"as the load lasts, and every request waits behind it: p50 {fixed['p50_ms']} ms, p99 "
            f"{fixed['p99_ms']} ms from the moment each was due. Below the ceiling (the 2,000-a-minute phase) "
            f"signings are answered at once.",
            f"- **Confirmations.** A confirmation is one conditional UPDATE and one count-shard upsert in a "
            f"transaction, and a read of the rows its link names; its page (the next steps, share links, the "
            f"site's navigation) is rendered once per process and kept, with the signer's own name and links "
            f"put into slots: {conf['rps']} a second here, at "
            f"{confirm_cpu:.2f} ms of CPU each across the processes (web {web_confirm:.2f} ms), so "
            f"{r['machine']['cores']} cores carry at most about {1000 * r['machine']['cores'] / confirm_cpu:,.0f} "
            f"a second; 600 needs under {1000 * r['machine']['cores'] / 600:.1f} ms.",
        ]
    )
    lines = [
        "# Benchmarks",
        "",
        f"Run by `make bench` on {r['when']} on this project's machine ({r['machine']['cores']} cores), everything on "
        f"127.0.0.1: gunicorn with production settings ({r['machine']['web_workers']} workers × "
        f"{r['machine']['web_threads']} threads), PostgreSQL, Redis, one Celery worker (2 processes), an aiosmtpd "
        f"sink, and wrk at {r['connections']} connections. Raw figures: `docs/benchmarks.json`.",
        "",
        "## Targets",
        "",
        "| Measure | Result | Target | Met |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {value} | {target} | {'yes' if ok else '**no**'} |" for name, value, target, ok in verdicts(r)
    ]
    lines += [
        "",
        "## Throughput against the ceilings",
        "",
        "| Endpoint | Requests/s | p50 | p99 | Ceiling | Ratio to ceiling |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| `POST /sign/` ({SIGNING_SECONDS} s) | {sign['rps']} | {sign['p50_ms']} ms | {sign['p99_ms']} ms | insert one row: {ceil_i['rps']}/s | {sign['rps'] / ceil_i['rps']:.0%} |",
        f"| `GET /sign/` (the blank form, a new visitor) | {r['sign_page']['rps']} | {r['sign_page']['p50_ms']} ms | "
        f"{r['sign_page']['p99_ms']} ms | read one Redis key: {ceil_r['rps']}/s | {r['sign_page']['rps'] / ceil_r['rps']:.0%} |",
        f"| `GET /counts/` (the page, a crowd reading it) | {r['counts_page']['rps']} | {r['counts_page']['p50_ms']} ms | "
        f"{r['counts_page']['p99_ms']} ms | read one Redis key: {ceil_r['rps']}/s | {r['counts_page']['rps'] / ceil_r['rps']:.0%} |",
        f"| `GET /api/v1/counts` | {counts['rps']} | {counts['p50_ms']} ms | {counts['p99_ms']} ms | read one Redis key: {ceil_r['rps']}/s | {counts['rps'] / ceil_r['rps']:.0%} |",
        f"| `POST /confirm/<token>/` | {conf['rps']} | {conf['p50_ms']} ms | {conf['p99_ms']} ms | insert one row: {ceil_i['rps']}/s | {conf['rps'] / ceil_i['rps']:.0%} |",
        f"| `POST /sign/` at a fixed {fixed['offered_rate']:.0f}/s ({fixed['seconds']:.0f} s, open loop) | {fixed['answered'] / fixed['seconds']:.1f} | {fixed['p50_ms']} ms | {fixed['p99_ms']} ms | insert one row: {ceil_i['rps']}/s | |",
        f"| ceiling: read one Redis key | {ceil_r['rps']} | {ceil_r['p50_ms']} ms | {ceil_r['p99_ms']} ms | | |",
        f"| ceiling: insert one row | {ceil_i['rps']} | {ceil_i['p50_ms']} ms | {ceil_i['p99_ms']} ms | | |",
        "",
        f"At the fixed rate, latency runs from the moment each request was due, so a stall is counted in every "
        f"request it held up: {fixed['sent']} due, {fixed['answered']} answered ({fixed['statuses']}), "
        f"{fixed['errors']} errors, {fixed['unanswered']} unanswered; p90 {fixed['p90_ms']} ms, worst {fixed['max_ms']} ms; "
        f"the client sent at {fixed['achieved_send_rate']}/s on up to {fixed['connections_opened']} connections and was "
        f"itself at most {fixed['client_late_p99_ms']} ms late (p99) in sending.",
        "",
        "## What each request asks of the database and Redis",
        "",
        "Measured on this stack by `bench/costs.py` (20 of each; BEGIN and COMMIT are not counted as statements; "
        "the worker's nudges are included). `tests/pledges/test_hot_path.py` holds the budgets.",
        "",
        "| Request | SQL statements | Redis round trips | Redis commands |",
        "| --- | --- | --- | --- |",
        f"| a signing | {costs['signing']['sql_statements']} | {costs['signing']['redis_round_trips']} | {costs['signing']['redis_commands']} |",
        f"| a confirmation | {costs['confirmation']['sql_statements']} | {costs['confirmation']['redis_round_trips']} | {costs['confirmation']['redis_commands']} |",
        "",
        "## Nothing lost, nothing twice",
        "",
        f"- Signings accepted over HTTP (302): {r['signing_check']['accepted_by_http']}; signatures stored: "
        f"{r['signing_check']['signatures']}; distinct addresses: {r['signing_check']['distinct_emails']}; confirmation "
        f"emails in the outbox: {r['signing_check']['confirmation_emails']}. The difference, "
        f"{r['signing_check']['in_flight_at_cutoff']}, is the requests still in flight when wrk stopped counting "
        f"(at most one per connection): stored, answered, but not counted by wrk.",
        f"- At the fixed rate: {fixed['statuses'].get('302', 0)} accepted, {fixed['stored']} stored "
        f"({fixed['distinct_emails']} distinct addresses, {fixed['confirmation_emails']} confirmation emails); "
        f"{fixed['unanswered'] + fixed['errors']} were not answered before the client stopped waiting.",
        f"- Confirmation emails of the surge delivered to the sink: {r['surge_email']['delivered']} of "
        f"{r['surge_email']['expected']}, at {r['surge_email']['per_second']} a second; the last arrived "
        f"{r['surge_email']['all_delivered_after_s']} s after the surge ended.",
        f"- Confirmations: {conf['expected']} confirmed at {conf['rps']}/s; unexpected answers: {conf['unexpected']}.",
        f"- A confirmation shows in `/api/v1/counts` after {r['confirm_to_count']['p50_ms']} ms (p50), "
        f"{r['confirm_to_count']['p99_ms']} ms (p99), over {r['confirm_to_count']['samples']} probes.",
        f"- At 2,000 signings a minute for 30 s ({r['paced_email']['signings']} signings): "
        f"{r['paced_email']['delivered']} confirmation emails delivered, {r['paced_email']['p50_s']} s (p50) and "
        f"{r['paced_email']['p95_s']} s (p95) after the signing was sent.",
        "",
        "## Where the time goes",
        "",
        f"CPU used per signing during the {SIGNING_SECONDS} s surge, and per confirmation during the "
        f"{PHASE_SECONDS} s of confirmations, by process (from /proc; everything shares the machine's "
        f"{r['machine']['cores']} cores):",
        "",
        "| Process | CPU per signing | CPU per confirmation |",
        "| --- | --- | --- |",
        *[f"| {name} | {ms} ms | {r['cpu_ms_per_confirmation'].get(name, '')} ms |" for name, ms in cpu.items()],
        f"| **all of it** | **{total_cpu:.2f} ms**: at most {ceiling_from_cpu:,.0f} signings a second on "
        f"{r['machine']['cores']} cores | **{confirm_cpu:.2f} ms**: at most "
        f"{1000 * r['machine']['cores'] / confirm_cpu:,.0f} a second |",
        "",
        "A signing in the web process is the request itself (gunicorn's parsing and threads, the middleware, "
        "CSRF), the form's validation, one Redis pipeline for the rate counters and the fraud verdict, and one "
        "transaction of two INSERTs (the signature, with the email cap in the same statement, and its outbox row); "
        "nothing is rendered. PostgreSQL's share is those two rows and their indexes, the commit, and the "
        "worker's claiming and marking of each email. The worker renders each confirmation (three templates), "
        "builds the MIME message and hands it to the SMTP sink, which parses it: the email costs about as much "
        "CPU as the signing, and the outbox lets it wait while the web runs first (the worker and sink run at the "
        "lowest CPU weight, set on their autogroups, as the compose file's cpu_shares ranks them).",
        "",
        *web_split(costs),
        "",
        "## Which targets are missed, and why",
        "",
        *misses,
        "",
        "## Memory",
        "",
        f"- Peak RSS of a web worker: {r['memory_mb']['web_worker_peak_rss']} MB.",
        f"- Peak RSS of a Celery worker process: {r['memory_mb']['celery_worker_peak_rss']} MB.",
        "",
    ]
    (DOCS / "benchmarks.md").write_text("\n".join(lines))


if __name__ == "__main__":
    if "--report-only" in sys.argv:
        write_report(json.loads((DOCS / "benchmarks.json").read_text()))
        print((DOCS / "benchmarks.md").read_text())
        sys.exit(0)
    try:
        report = main()
    finally:
        stop_all()
    write_report(report)
    print((DOCS / "benchmarks.md").read_text())
    sys.exit(0)
