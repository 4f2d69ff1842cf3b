#!/usr/bin/env python3
"""Where a crawl's time went at the server: requests in flight against URLs known and waiting, from nginx's log.

  timeline.py SITE_DIR BASE_URL ACCESS_LOG [--step-ms 10]

ACCESS_LOG is the log latency_nginx.sh writes (`$request_method $request_uri $status $msec $request_time`; keep
it with KEEP_LOG=FILE). A URL counts as known from the moment the first response linking to it ended (links read
from the site's files as gensite.py writes them). Prints, every step, `time:in_flight/waiting`, then how many
steps had fewer than 60 requests in flight while URLs waited: time the crawler, not the link graph, lost.
"""
import argparse

import sitegraph

ap = argparse.ArgumentParser()
ap.add_argument("site_dir")
ap.add_argument("base_url")
ap.add_argument("access_log")
ap.add_argument("--step-ms", type=float, default=10)
a = ap.parse_args()
base = a.base_url.rstrip("/")


def links(url):
    return sitegraph.links(a.site_dir, base, url)


start, end = {}, {}
with open(a.access_log) as f:
    for line in f:
        method, uri, status, msec, took = line.split()[:5]
        end[base + uri] = float(msec)
        start[base + uri] = float(msec) - float(took)
known = {}
for url, done in end.items():
    for link in links(url):
        known[link] = min(known.get(link, float("inf")), done)
t0, t_end = min(start.values()), max(end.values())
step = a.step_ms / 1000
samples, lost, t = [], 0, t0
while t < t_end:
    in_flight = sum(1 for u in start if start[u] <= t < end[u])
    waiting = sum(1 for u in known if known[u] <= t < start.get(u, float("inf")))
    lost += in_flight < 60 and waiting > 0
    samples.append("%.2f:%d/%d" % (t - t0, in_flight, waiting))
    t += step
print(" ".join(samples))
print("span %.2f s; %d of %d steps had fewer than 60 in flight while URLs waited" % (t_end - t0, lost, len(samples)))
