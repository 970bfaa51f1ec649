"""Page speed under load, on PostgreSQL: the case list, the case page and the search, beside a
trivial view of the same server in the same run (the baseline: what the server, the network
stack and the client cost without Amparo's work).

    .venv/bin/python bench/pages.py [--cases 100000] [--users 16] [--requests 400]

Creates (once) the database `amparo_bench` on 127.0.0.1 (user postgres), migrates it, seeds the
demo users and the cases, starts `amparo serve` in the production configuration
(bench/production.py: not the demo), signs 16 coordinators in with password and
authenticator code and fires the requests from 16 threads. Prints p50/p95/max in
milliseconds. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import production  # bench/production.py: the production configuration on this machine

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB = "amparo_bench"
PORT = 8765


def env() -> dict:
    """Production configuration (not the demo), on the bench's own PostgreSQL database."""
    return production.environment(f"postgres://postgres@127.0.0.1:5432/{DB}")


def run(*args: str) -> str:
    return subprocess.run([str(BIN / "amparo"), *args], env=env(), check=True,
                          capture_output=True, text=True).stdout


def last_line(output: str) -> list[str]:
    """The command's answer (the shell may print notices before it)."""
    return output.strip().splitlines()[-1].split()


def prepare(cases: int) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"],
                   capture_output=True)
    run("migrate", "--no-input", "-v", "0")
    run("collectstatic", "--no-input", "-v", "0")  # production serves the hashed files
    have = int(run("shell", "-c", "from amparo.cases.models import Case; "
                                  "print(Case.objects.count())").strip().splitlines()[-1])
    if have < cases:
        started = time.perf_counter()
        production.seed(env(), cases - have, have + 1)
        print(f"seeded {cases - have} cases in {time.perf_counter() - started:.0f} s", flush=True)
    run("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")


class Session:
    """One person signed in as in production: password, then the authenticator's code."""

    def __init__(self, username: str, password: str, secret: str):
        self.cookies: dict[str, str] = {}
        self._post_form("/cuenta/login/", {"login": username, "password": password}, username)
        self._post_form("/cuenta/2fa/authenticate/", {"code": production.totp_code(secret)},
                        username)

    def _post_form(self, path: str, fields: dict, username: str) -> None:
        page = self.get(path)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
        status, _ = self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{PORT}{path}"})
        if status != 302:
            raise SystemExit(f"could not sign {username} in at {path} (HTTP {status})")

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body, {**(headers or {}), "Cookie": cookie,
                                                 "Host": f"127.0.0.1:{PORT}"})
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text

    def get(self, path):
        return self.request("GET", path)

    def fetch(self, what):
        """A path to GET, or ("search", text): the case list's search, posted as htmx posts
        it (a search never travels in the address)."""
        if isinstance(what, str):
            return self.get(what)
        if not hasattr(self, "_token"):
            page = self.get("/casos/")[1]
            self._token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"vista": "oficina", "q": what[1]})
        return self.request("POST", "/casos/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
            "X-CSRFToken": self._token, "Referer": f"http://127.0.0.1:{PORT}/casos/"})


def serve(workers: int) -> subprocess.Popen:
    """`amparo serve` (the production server) on the bench's port, once it answers."""
    server = subprocess.Popen([str(BIN / "amparo"), "serve", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", str(workers), "--access-log", ""], env=env(),
                              cwd=ROOT, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/salud/")
            break
        except OSError:
            time.sleep(0.2)
    return server


def measure(sessions, paths_for, requests: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    per_user = max(1, requests // len(sessions))

    def work(session, rng):
        mine = []
        for _ in range(per_user):
            path = paths_for(rng)
            started = time.perf_counter()
            status, _ = session.fetch(path)
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=work, args=(s, random.Random(i)))
               for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def report(name: str, timings: list[float]) -> None:
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{name:<22} n={len(timings):<5} p50={statistics.median(timings):7.1f} ms  "
          f"p95={p95:7.1f} ms  max={timings[-1]:7.1f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args()
    prepare(args.cases)
    codes = last_line(run("shell", "-c", "from amparo.cases.models import Case; "
                                         "print(' '.join(Case.objects.filter(office__code='lima')"
                                         ".order_by('?').values_list('code', flat=True)[:2000]))"))
    # Searches as staff type them: a given name and a surname, or a document number.
    names = last_line(run("shell", "-c", (
        "from amparo.cases.models import Identity as I; "
        "print(' '.join(f\"{i.given_names.split()[0]}+{i.paternal_surname}\" "
        "if n % 3 else (i.document_number or i.paternal_surname) "
        "for n, i in enumerate(I.objects.order_by('?')[:500])))")))
    people = production.coordinators(env(), args.users)
    server = serve(args.workers)
    try:
        sessions = [Session(name, production.PASSWORD, secret) for name, secret in people]
        print(f"{args.cases} cases · {args.users} concurrent users · {args.workers} gunicorn "
              f"workers · {os.cpu_count()} CPUs", flush=True)
        measure(sessions, lambda rng: "/salud/", args.users * 4)  # warm up
        measure(sessions, lambda rng: f"/casos/{rng.choice(codes)}/", args.users * 4)
        report("trivial view (baseline)", measure(sessions, lambda rng: "/salud/", args.requests))
        report("case list", measure(
            sessions, lambda rng: f"/casos/?vista=oficina&page={rng.randint(1, 20)}",
            args.requests))
        report("case page", measure(sessions, lambda rng: f"/casos/{rng.choice(codes)}/",
                                    args.requests))
        report("search", measure(
            sessions, lambda rng: ("search", rng.choice(names).replace("+", " ")),
            args.requests))
        report("trivial view (again)", measure(sessions, lambda rng: "/salud/", args.requests))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
