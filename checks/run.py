"""`make check`: judges we did not write, run against the site started on 127.0.0.1.

- schemathesis on the OpenAPI document, every check, a fixed seed;
- the Nu HTML Checker on every page in the sitemap and the pages a sitemap cannot reach
  (forms with errors, the no-JavaScript school search, an embed, the account pages) and on
  the HTML part of every email;
- Lighthouse (mobile) on the home page, the sign form, the counts, the briefing and an embed;
- LinkChecker over the whole site from the home page, anchors included.

Reports go to var/reports/ (a CI artefact). Exits non-zero when any judge fails.
Every request goes to 127.0.0.1, and every step is bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
REPORTS = ROOT / "var" / "reports"
WORK = ROOT / "var" / "checks"
NODE = ROOT / "node_modules"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = int(os.environ.get("CHECK_PORT") or free_port())
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "checks-" + "k" * 60,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": BASE,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "CONTROLLER_NAME": "Check Controller",
    "CONTROLLER_ADDRESS": "1 Check Street, Checktown",
    "CONTROLLER_EMAIL": "privacy@check.example",
    "VAR_DIR": str(WORK),
    "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
    "SIGNING_RATE_PER_IP": "100000",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "WEB_CONCURRENCY": "2",
    "CI": "",
}
for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
    ENV.pop(name, None)

failures: list[str] = []


def say(message: str) -> None:
    print(f"[check {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*args: str, timeout: int = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout, **kwargs)


def prepare() -> subprocess.Popen:
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.rmtree(REPORTS, ignore_errors=True)
    (REPORTS / "html").mkdir(parents=True)
    for step in (
        ["manage.py", "migrate", "--noinput"],
        ["manage.py", "import_schools", "tests/pledges/fixtures/schools.csv"],
        ["manage.py", "collectstatic", "--noinput"],
        ["checks/seed.py", "seed"],
        ["checks/seed.py", "emails", str(REPORTS / "html")],
    ):
        done = run(str(VENV / "python"), *step)
        if done.returncode:
            sys.exit(f"{step} failed:\n{done.stderr[-3000:]}")
    web = subprocess.Popen(
        [str(VENV / "gunicorn"), "--config", "gunicorn.conf.py", "pausecampaign.wsgi:application"],
        cwd=ROOT, env=ENV, stdout=open(REPORTS / "web.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz/live", timeout=1)
            return web
        except OSError:
            time.sleep(0.2)
    sys.exit("the site did not start")


def fetch_pages() -> None:
    """Pages the checker reads from files: forms with errors and the signed-in pages."""
    session = requests.Session()

    class Http:
        """requests, sending back the Secure cookies of production settings over local plain http."""

        def request(self, method: str, url: str, data=None) -> requests.Response:
            response = session.request(method, url, data=data, timeout=30)
            for cookie in session.cookies:
                cookie.secure = False
            return response

        def get(self, url: str) -> requests.Response:
            return self.request("GET", url)

        def post(self, url: str, data: dict) -> requests.Response:
            return self.request("POST", url, data)

    http = Http()

    def save(name: str, response: requests.Response) -> None:
        assert response.headers["Content-Type"].startswith("text/html"), (name, response.status_code)
        (REPORTS / "html" / f"{name}.html").write_text(response.text, encoding="utf-8")

    def csrf(path: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', http.get(BASE + path).text).group(1)

    token = csrf("/sign/")
    save("sign-with-errors", http.post(BASE + "/sign/", {"csrfmiddlewaretoken": token, "name": "x"}))
    search = {"csrfmiddlewaretoken": token, "school_query": "kestrel", "find_school": "1"}
    save("sign-school-search", http.post(BASE + "/sign/", search))
    token = csrf("/resolutions/record/")
    record = {"csrfmiddlewaretoken": token, "school_query": "kestrel", "day": "31", "month": "2", "year": "2026"}
    save("resolution-with-errors", http.post(BASE + "/resolutions/record/", record))
    mail_dir = WORK / "mail"
    before = set(mail_dir.glob("*")) if mail_dir.exists() else set()
    token = csrf("/accounts/login/code/")
    http.post(BASE + "/accounts/login/code/", {"csrfmiddlewaretoken": token, "email": "sample0@school.example"})
    message = max(set(mail_dir.glob("*")) - before, key=lambda p: p.stat().st_mtime).read_text()
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", message).group(1)
    token = csrf("/accounts/login/code/confirm/")
    http.post(BASE + "/accounts/login/code/confirm/", {"csrfmiddlewaretoken": token, "code": code})
    for name, path in [("my-pledges", "/my/pledges/"), ("my-data", "/my/data/"), ("my-details", "/my/details/")]:
        save(name, http.get(BASE + path))
    save("sign-signed-in", http.get(BASE + "/sign/"))


def page_urls() -> list[str]:
    sitemap = urllib.request.urlopen(f"{BASE}/sitemap.xml", timeout=10).read().decode()
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    urls = [re.sub(r"^https?://[^/]+", BASE, url) for url in urls]
    extra = ["/", "/sign/", "/counts/", "/wall/", "/api/", "/embed/support-the-pause/", "/accounts/login/",
             "/accounts/login/code/", "/privacy/", "/news/"]  # fmt: skip
    return sorted(set(urls) | {BASE + path for path in extra})


def check_html() -> None:
    say("Nu HTML Checker")
    # The checker will not fetch from 127.0.0.1 itself ("Forbidden host"): we fetch, it reads files.
    urls = page_urls()
    for url in urls:
        name = "page" + (re.sub(r"[^a-z0-9]+", "-", url.removeprefix(BASE)).strip("-") or "-home")
        with urllib.request.urlopen(url, timeout=30) as response:
            (REPORTS / "html" / f"{name}.html").write_bytes(response.read())
    files = sorted(str(p) for p in (REPORTS / "html").glob("*.html"))
    done = subprocess.run(
        ["java", "-jar", str(NODE / "vnu-jar/build/dist/vnu.jar"), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    (REPORTS / "vnu.json").write_text(done.stderr or "{}")
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"} or m.get("subType") == "fatal"]
    say(f"  {len(urls)} pages in the sitemap and more, {len(files)} documents in all: {len(errors)} errors")
    for error in errors[:30]:
        print(f"    {error.get('url', '')}:{error.get('lastLine', '')} {error.get('message', '')}")
    if errors:
        failures.append(f"Nu HTML Checker: {len(errors)} errors")


def check_api() -> None:
    say("schemathesis")
    done = run(
        str(VENV / "schemathesis"), "run", f"{BASE}/api/v1/openapi.json", "--checks", "all", "--seed", "20261123",
        "--max-examples", "30", "--report", "junit", "--report-dir", str(REPORTS / "schemathesis"), timeout=900,
    )  # fmt: skip
    (REPORTS / "schemathesis.log").write_text(done.stdout + done.stderr)
    print("\n".join(done.stdout.strip().splitlines()[-15:]))
    if done.returncode:
        failures.append("schemathesis")


LIGHTHOUSE_PAGES = {
    "home": "/",
    "sign": "/sign/",
    "counts": "/counts/",
    "briefing": "/briefing/",
    "embed": "/embed/support-the-pause/",
}


def check_lighthouse() -> None:
    say("Lighthouse (mobile)")
    flags = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    flags += " --no-first-run --disable-sync"
    for name, path in LIGHTHOUSE_PAGES.items():
        report = REPORTS / f"lighthouse-{name}.json"
        for _attempt in range(3):
            # Lighthouse's own trace recording sometimes fails on a busy machine (NO_NAVSTART, NO_FCP):
            # that says nothing about the page, so it is run again; a score below the floor is never retried.
            report.unlink(missing_ok=True)
            done = subprocess.run(
                [str(NODE / ".bin/lighthouse"), BASE + path, "--quiet", f"--chrome-flags={flags}", "--output=json",
                 f"--output-path={report}", "--only-categories=performance,accessibility,best-practices,seo"],
                env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
                capture_output=True, text=True, timeout=240,
            )  # fmt: skip
            if not done.returncode and report.exists() and "runtimeError" not in report.read_text()[:2000]:
                break
            say(f"  {name}: Lighthouse could not record the page, running it again")
        if done.returncode or not report.exists():
            failures.append(f"Lighthouse {name}: {done.stderr[-500:]}")
            continue
        categories = json.loads(report.read_text())["categories"]
        scores = {key: round(100 * (value["score"] or 0)) for key, value in categories.items()}
        say(f"  {name}: {scores}")
        wanted = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
        if name == "embed":
            wanted.pop("seo")  # kept out of search on purpose (noindex)
        for key, floor in wanted.items():
            if scores.get(key, 0) < floor:
                audits = json.loads(report.read_text())["audits"]
                below = [a["id"] for a in audits.values() if a.get("score") is not None and a["score"] < 1][:8]
                failures.append(f"Lighthouse {name} {key} {scores.get(key)} < {floor} ({', '.join(below)})")


def check_links() -> None:
    say("LinkChecker")
    # Anchors too: a link to /page/#part fails unless the page has id="part" (a warning, which fails the run).
    config = REPORTS / "linkcheckerrc"
    config.write_text("[AnchorCheck]\n")
    done = run(
        str(VENV / "linkchecker"), "--config", str(config), "--no-robots", "--no-status", "--threads", "4",
        "--output", "csv", "--ignore-url", r"^mailto:", BASE + "/", timeout=900,
    )  # fmt: skip
    (REPORTS / "links.csv").write_text(done.stdout)
    problems = [line for line in done.stdout.splitlines() if line and not line.startswith("#") and ";False;" in line]
    say(f"  {len(done.stdout.splitlines())} lines of report; exit {done.returncode}")
    for line in problems[:20]:
        print(f"    {line[:300]}")
    if done.returncode:
        failures.append("LinkChecker: broken links or anchors (see var/reports/links.csv)")


def main() -> int:
    say(f"starting the site on {BASE}")
    web = prepare()
    try:
        fetch_pages()
        judges = sys.argv[1:] or ["api", "html", "lighthouse", "links"]
        for judge in judges:
            {"api": check_api, "html": check_html, "lighthouse": check_lighthouse, "links": check_links}[judge]()
    finally:
        web.terminate()
        web.wait(20)
    if failures:
        say("FAILED: " + "; ".join(failures))
        return 1
    say("every judge passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
