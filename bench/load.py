"""Load test: 16 and then 64 people at once on the production server (`amparo serve`, the
production configuration, PostgreSQL with 100,000 cases), each doing what the staff do in a
day's mix: the home page, the case list, a case's tabs, a name search, the alert inbox, the
API's case list, and writes (a note, a follow-up) through the API. Loopback only, bounded in
time. Prints, per page and for the trivial view of the same server in the same run (its
baseline), the number of requests, p50/p95/p99 in ms, errors, and the throughput; then checks
that every write answered 201 is in the database (no lost write).

    .venv/bin/python bench/load.py [--cases 100000] [--users 16 64] [--seconds 60]

Uses bench/pages.py's database `amparo_bench` (seeded when it has fewer cases, about 20 min for
100,000). Targets (issue 23): every page's median within 3× the trivial view's, search within
4×, no error, no lost write. Not part of the test suite."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pages
import production
from pages import PORT, Session, env, last_line, prepare, run

TABS = ["", "identidad/", "que-paso/", "atenciones/", "seguimiento/", "notas/", "plan/",
        "linea-de-tiempo/"]
MIX = [  # (page, weight)
    ("trivial view", 10), ("home", 10), ("case list", 14), ("case page", 26), ("search", 10),
    ("alert inbox", 10), ("API case list", 6), ("API note", 8), ("API follow-up", 6)]
TARGET = {"search": 4.0}  # × the trivial view's median; every other page 3.0
# The organisation's day (a date in the future of Lima's clock is refused, rightly)
YESTERDAY = (datetime.now(ZoneInfo("America/Lima")) - timedelta(days=1)).date().isoformat()


def api(method: str, path: str, token: str, body: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Host": f"127.0.0.1:{PORT}"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers.update({"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    connection.request(method, path, data, headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, text


def act(page: str, session: Session, token: str, rng: random.Random, codes, names, written):
    code = rng.choice(codes)
    if page == "trivial view":
        return session.get("/salud/")[0]
    if page == "home":
        return session.get("/")[0]
    if page == "case list":
        return session.get(f"/casos/?vista=oficina&page={rng.randint(1, 20)}")[0]
    if page == "case page":
        return session.get(f"/casos/{code}/{rng.choice(TABS)}")[0]
    if page == "search":
        return session.fetch(("search", rng.choice(names).replace("+", " ")))[0]
    if page == "alert inbox":
        return session.get("/alertas/")[0]
    if page == "API case list":
        return api("GET", f"/api/v1/cases/?page={rng.randint(1, 10)}", token)[0]
    if page == "API note":
        status, text = api("POST", f"/api/v1/cases/{code}/notes/", token,
                           {"text": f"Llamada de seguimiento {uuid.uuid4().hex[:8]}"})
    else:
        status, text = api("POST", f"/api/v1/cases/{code}/follow-ups/", token, {
            "contacted_on": YESTERDAY, "channel": "telefono",
            "reached": rng.random() < 0.7})
    if status == 201:
        written.append((page, json.loads(text)["id"]))
    return status


def load(users: int, seconds: float, signed_in, tokens, codes, names) -> dict:
    sessions = signed_in[:users]  # a code is good once: each person signs in once per run
    timings: dict[str, list[float]] = {page: [] for page, _w in MIX}
    errors: list[str] = []
    written: list = []
    lock = threading.Lock()
    pages_, weights = zip(*MIX, strict=True)
    deadline = time.perf_counter() + seconds

    def work(index: int):
        rng = random.Random(index)
        mine: dict[str, list[float]] = {page: [] for page in pages_}
        while time.perf_counter() < deadline:
            page = rng.choices(pages_, weights)[0]
            started = time.perf_counter()
            try:
                status = act(page, sessions[index], tokens[index % len(tokens)], rng, codes,
                             names, written)
            except OSError as error:
                status = f"{type(error).__name__}"
            mine[page].append((time.perf_counter() - started) * 1000)
            if status not in (200, 201):
                with lock:
                    errors.append(f"{page}: {status}")
        with lock:
            for page, values in mine.items():
                timings[page].extend(values)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors, "written": written,
            "elapsed": time.perf_counter() - started}


def load_alone(count: int = 50) -> float:
    """The trivial view's median with one client and nothing else running."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        connection.request("GET", "/salud/")
        connection.getresponse().read()
        connection.close()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(users: int, result: dict, workers: int) -> bool:
    timings = result["timings"]
    total = sum(len(v) for v in timings.values())
    base = statistics.median(timings["trivial view"])
    print(f"\n{users} concurrent users · {workers} gunicorn workers · {os.cpu_count()} CPUs · "
          f"{total} requests in {result['elapsed']:.0f} s = {total / result['elapsed']:.1f}/s")
    print(f"{'page':<16}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}{'× trivial':>11}  target")
    ok = True
    for page, _w in MIX:
        values = timings[page]
        if not values:
            continue
        p50 = statistics.median(values)
        ratio = p50 / base if base else 0
        limit = TARGET.get(page, 3.0)
        met = page == "trivial view" or ratio <= limit
        ok &= met
        print(f"{page:<16}{len(values):>6}{p50:>9.1f}{percentile(values, .95):>9.1f}"
              f"{percentile(values, .99):>9.1f}{ratio:>10.1f}×  "
              f"{'' if page == 'trivial view' else ('met' if met else f'MISSED (≤{limit}×)')}")
    print(f"errors: {len(result['errors'])}" + (
        f" ({', '.join(sorted(set(result['errors']))[:5])})" if result["errors"] else ""))
    return ok and not result["errors"]


def lost_writes(written: list) -> int:
    ids = [note_id for _page, note_id in written]
    code = ("import json,sys; from amparo.cases.models import Note, FollowUp; "
            f"ids={json.dumps(ids)}; "
            "found = set(map(str, Note.objects.filter(pk__in=ids).values_list('pk', flat=True)))"
            " | set(map(str, FollowUp.objects.filter(pk__in=ids).values_list('pk', flat=True)));"
            " print(len(set(ids) - found))")
    return int(last_line(run("shell", "-c", code))[0])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--users", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    prepare(args.cases)
    codes = last_line(run("shell", "-c", "from amparo.cases.models import Case; "
                                         "print(' '.join(Case.objects.filter(office__code='lima')"
                                         ".exclude(status='cerrado').order_by('?')"
                                         ".values_list('code', flat=True)[:2000]))"))
    names = last_line(run("shell", "-c", (
        "from amparo.cases.models import Identity as I; "
        "print(' '.join(f\"{i.given_names.split()[0]}+{i.paternal_surname}\" "
        "if n % 3 else (i.document_number or i.paternal_surname) "
        "for n, i in enumerate(I.objects.order_by('?')[:500])))")))
    people = production.coordinators(env(), max(args.users))
    tokens = [last_line(run("token", "create", name, "--reason", "Prueba de carga local",
                            "--days", "1"))[0] for name, _secret in people[:8]]
    from amparo.core.serving import workers_for

    workers = args.workers or workers_for()
    server = pages.serve(workers)
    try:
        alone = load_alone()
        signed_in = []
        for index, (name, secret) in enumerate(people):
            if index and index % 50 == 0:
                time.sleep(61)  # Amparo lets one address sign in 60 times a minute
            signed_in.append(Session(name, production.PASSWORD, secret))
        load(4, 5, signed_in, tokens, codes, names)  # warm up the workers
        verdicts = []
        written = []
        for users in args.users:
            result = load(users, args.seconds, signed_in, tokens, codes, names)
            verdicts.append(report(users, result, workers))
            print(f"(the trivial view with nobody else on the server: p50 {alone:.1f} ms)")
            written += result["written"]
        lost = lost_writes(written)
        print(f"\nwrites answered 201: {len(written)}; missing from the database: {lost}")
        return 0 if all(verdicts) and not lost else 1
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.path.insert(0, str(pages.ROOT))
    sys.exit(main())
