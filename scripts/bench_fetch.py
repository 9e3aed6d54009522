"""Benchmark the network fetcher: 50 article pages on 10 loopback hosts with injected latencies.

Reports, for the concurrent fetch (the defaults: 64 in flight, 6 per host) and for a sequential
fetch (one at a time, same client code): wall time, wall time divided by the slowest single
response (the ideal is 1.0), CPU time of the fetching process, and peak memory. The servers run in
a child process, so the CPU figure is the fetcher's own. Only loopback addresses are used
(127.0.0.1 to 127.0.0.10, each allow-listed by host:port).

    .venv/bin/python scripts/bench_fetch.py [--repeats 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import random
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "layers" / "common"))

HOSTS = [f"127.0.0.{n}" for n in range(1, 11)]
PER_HOST = 5
LATENCY_MS = (50, 400)
PAGE = (
    "<!DOCTYPE html><html lang='zh-TW'><head><meta charset='utf-8'><title>Nimbus {n}</title></head>"
    "<body><article><h1>Nimbus {n}</h1>"
    + "<p>雲雀模型團隊今天發表新版本，開放 8B 與 70B 權重，上下文長度達 256K，並在推理評測拿下 82.5 分。</p>"
    * 60
    + "</article></body></html>"
)


@dataclass(frozen=True)
class Figures:
    wall: float
    cpu: float
    failures: int


def serve(pipe: Connection, seed: int) -> None:
    """Child process: 10 servers, 5 pages each, every page answering after its own latency."""
    from tests.support.loopback_web import LoopbackWeb

    rng = random.Random(seed)  # noqa: S311 - latencies for a benchmark, not secrets
    latencies = [rng.uniform(*LATENCY_MS) / 1000 for _ in range(len(HOSTS) * PER_HOST)]
    latencies[rng.randrange(len(latencies))] = LATENCY_MS[1] / 1000  # the slowest is exactly the maximum
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(LoopbackWeb(host)) for host in HOSTS]
        pages = []
        for index, latency in enumerate(latencies):
            server = servers[index % len(servers)]
            path = f"/news/{index}.html"
            server.add(path, PAGE.format(n=index), delay=latency)
            pages.append((server.url(path), server.allow_entry, latency))
        pipe.send(pages)
        pipe.recv()  # wait for "stop"


def fetch(urls: list[str], allow: list[str], concurrency: int, per_host: int) -> Figures:
    from dailydigest.ports import FetchFailure, WebRequest
    from dailydigest.settings import FetchSettings
    from dailydigest.web.http import HttpWebClient

    client = HttpWebClient(allow, FetchSettings(concurrency=concurrency, per_host=per_host))
    requests = [WebRequest(url, ("text/html",)) for url in urls]
    cpu, wall = time.process_time(), time.perf_counter()
    results = client.get_many(requests)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Figures(wall, cpu, sum(isinstance(r, FetchFailure) for r in results))


def peak_memory(urls: list[str], allow: list[str], concurrency: int, per_host: int) -> int:
    tracemalloc.start()
    fetch(urls, allow, concurrency, per_host)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=serve, args=(child, args.seed), daemon=True)
    server.start()
    try:
        pages = parent.recv()
        urls = [url for url, _, _ in pages]
        allow = sorted({entry for _, entry, _ in pages})
        slowest = max(latency for _, _, latency in pages)
        total = sum(latency for _, _, latency in pages)
        slowest_url = next(url for url, _, latency in pages if latency == slowest)

        fetch(urls[:5], allow, 64, 6)  # warm up: imports, first connections
        single = statistics.median(fetch([slowest_url], allow, 1, 1).wall for _ in range(args.repeats))
        runs = {
            "concurrent (64 in flight, 6 per host)": (64, 6),
            "sequential (one at a time)": (1, 1),
        }
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"{len(urls)} pages of {len(PAGE.encode()) // 1024} KiB on {len(HOSTS)} loopback hosts")
        print(
            f"injected latency {LATENCY_MS[0]}-{LATENCY_MS[1]} ms: slowest {slowest * 1000:.0f} ms, "
            f"sum {total:.2f} s; slowest page fetched alone: {single * 1000:.0f} ms"
        )
        print()
        header = (
            f"{'fetch':<40} {'wall s':>7} {'wall/slowest':>13} {'wall/injected':>14} "
            f"{'cpu s':>6} {'peak MiB':>9} {'failed':>6}"
        )
        print(header)
        print("-" * len(header))
        for name, (concurrency, per_host) in runs.items():
            repeats = args.repeats if concurrency > 1 else 1
            figures = [fetch(urls, allow, concurrency, per_host) for _ in range(repeats)]
            wall = statistics.median(f.wall for f in figures)
            cpu = statistics.median(f.cpu for f in figures)
            peak = peak_memory(urls, allow, concurrency, per_host)
            print(
                f"{name:<40} {wall:7.2f} {wall / single:13.2f} {wall / slowest:14.2f} {cpu:6.2f} "
                f"{peak / 2**20:9.1f} {max(f.failures for f in figures):6d}"
            )
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print()
        print(f"wall/slowest: wall time / the slowest page fetched alone ({single * 1000:.0f} ms); ideal 1.0")
        print(f"wall/injected: wall time / the largest injected latency ({slowest * 1000:.0f} ms)")
        print("peak MiB: Python allocations during one fetch of the 50 pages (tracemalloc, a separate run)")
        print(
            f"process max RSS: {rss_after / 1024:.0f} MiB "
            f"(before the timed runs: {rss_before / 1024:.0f} MiB)"
        )
    finally:
        parent.send("stop")
        server.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
