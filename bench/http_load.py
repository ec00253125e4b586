"""The HTTP endpoint under load, on loopback only: N requests for one saved query
(default 10,000, 32 at a time) to `budgetkg serve`, started here on a free
127.0.0.1 port for --store DIR (or an already running one given by --url, which
must be a loopback address). Reports errors, p50/p99 latency, requests/s, and the
overhead ratio: mean HTTP latency over the time of the same query, parameters
bound and JSON written exactly as the server does, run directly on the store.

    .venv/bin/python bench/http_load.py --store data/store [--requests 10000] [--concurrency 32]

Bounded: a fixed number of requests, each with a 30 s timeout, the whole run
stopped after --deadline seconds."""
from __future__ import annotations

import os
import sys

# this file is named http.py: its folder must not shadow the standard library's http package
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse
import asyncio
import io
import ipaddress
import json
import socket
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "budgetkg.cli", "serve", "--store", str(store), "--port", str(port),
                             "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"budgetkg serve exited: {proc.stderr.read()[:500]}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("budgetkg serve did not answer within 60 s")


def direct_seconds(store: Path, name: str, params: dict[str, str], runs: int) -> tuple[float, bytes]:
    """Mean time of the query run in-process on the store, and its JSON."""
    from budgetkg.query.run import bind, run_sparql, saved_query, write_result
    from budgetkg.store.backends import EmbeddedStore
    opened = EmbeddedStore(store, create=False, read_only=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = io.StringIO()
        write_result(run_sparql(opened, bind(saved_query(name), params)), "json", out)
        times.append(time.perf_counter() - start)
    opened.close()
    return statistics.mean(times), out.getvalue().encode("utf-8")


async def load(url: str, total: int, concurrency: int, deadline: float) -> tuple[list[float], list[str], bytes, float]:
    import httpx
    latencies: list[float] = []
    errors: list[str] = []
    bodies: set[bytes] = set()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)
    stop_at = time.monotonic() + deadline

    async def client(c: httpx.AsyncClient):
        while not queue.empty() and time.monotonic() < stop_at:
            queue.get_nowait()
            start = time.perf_counter()
            try:
                r = await c.get(url, timeout=30)
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:100]}")
                else:
                    bodies.add(r.content)
            except httpx.HTTPError as e:
                errors.append(f"{type(e).__name__}: {e}")
            latencies.append(time.perf_counter() - start)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    start = time.perf_counter()
    async with httpx.AsyncClient(limits=limits) as c:
        await asyncio.gather(*(client(c) for _ in range(concurrency)))
    wall = time.perf_counter() - start
    if len(bodies) > 1:
        errors.append(f"{len(bodies)} different answers to the same request")
    return latencies, errors, next(iter(bodies), b""), wall


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=Path("data/store"))
    ap.add_argument("--url", help="a running server on loopback instead (http://127.0.0.1:PORT)")
    ap.add_argument("--query", default="documents", help="saved query (default: %(default)s)")
    ap.add_argument("--param", action="append", default=["year=2024"], metavar="K=V")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2, help="server query workers (default: %(default)s)")
    ap.add_argument("--deadline", type=float, default=900, help="stop sending after this many seconds")
    args = ap.parse_args()
    params = dict(p.split("=", 1) for p in args.param)
    proc = None
    if args.url:
        host = urllib.parse.urlsplit(args.url).hostname or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise SystemExit("--url must be a loopback address: this benchmark sends load nowhere else")
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.store, args.workers)
    try:
        url = f"{base}/queries/{args.query}.json?{urllib.parse.urlencode(params)}"
        latencies, errors, body, wall = asyncio.run(load(url, args.requests, args.concurrency, args.deadline))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)
    direct, direct_body = direct_seconds(args.store, args.query, params, 200) if not args.url else (None, None)
    mean = statistics.mean(latencies)
    report = {
        "query": f"/queries/{args.query}.json?{urllib.parse.urlencode(params)}",
        "requests": len(latencies), "concurrency": args.concurrency, "server_workers": args.workers,
        "errors": len(errors), "first_errors": errors[:5],
        "p50_ms": round(percentile(latencies, 50) * 1000, 2), "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "mean_ms": round(mean * 1000, 2), "requests_per_second": round(len(latencies) / wall, 1),
        "wall_seconds": round(wall, 1),
    }
    if direct is not None:
        report["direct_ms"] = round(direct * 1000, 3)
        report["overhead_ratio_mean_latency"] = round(mean / direct, 1)
        # throughput view: HTTP time per request (wall / n) over the direct time
        report["overhead_ratio_per_request"] = round((wall / len(latencies)) / direct, 2)
        report["same_answer_as_direct"] = body == direct_body
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 1 if errors or report.get("same_answer_as_direct") is False else 0


if __name__ == "__main__":
    sys.exit(main())
