#!/usr/bin/env python3
"""What an ideal crawler would take on a generated site (../shared/bench/gensite.py): an event simulation.

  ideal_crawl.py SITE_DIR BASE_URL [--concurrency 64] [--latency-ms 50] [--server-rps N]

Every request takes exactly the latency; at most `concurrency` are in flight; a page's links become known when
its response arrives (FIFO frontier); with --server-rps, the server starts at most N responses per second.
Prints the simulated crawl time (first request to last response) and the URL count. Links are read from the
site's files with the same rules gensite.py uses for its ground truth (<a href>, fragments dropped, same host).
"""
import argparse
import collections
import heapq

import sitegraph

ap = argparse.ArgumentParser()
ap.add_argument("site_dir")
ap.add_argument("base_url")
ap.add_argument("--concurrency", type=int, default=64)
ap.add_argument("--latency-ms", type=float, default=50)
ap.add_argument("--server-rps", type=float, default=None)
a = ap.parse_args()

base = a.base_url.rstrip("/")


def links(url):
    return sitegraph.links(a.site_dir, base, url)


latency = a.latency_ms / 1000
start = base + "/"
seen, queue, running = {start}, collections.deque([start]), []
now, last_start, done = 0.0, float("-inf"), 0
while queue or running:
    while queue and len(running) < a.concurrency:
        url = queue.popleft()
        begin = now if a.server_rps is None else max(now, last_start + 1 / a.server_rps)
        last_start = begin
        heapq.heappush(running, (begin + latency, url))
    now, url = heapq.heappop(running)
    done += 1
    for u in links(url):
        if u not in seen:
            seen.add(u)
            queue.append(u)
print("simulated crawl: %.2f s for %d URLs (concurrency %d, latency %.0f ms%s)"
      % (now, done, a.concurrency, a.latency_ms, "" if a.server_rps is None else ", server %.0f responses/s" % a.server_rps))
