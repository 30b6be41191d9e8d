#!/usr/bin/env python3
"""Summarises WriteThroughput JMH JSON results (one file per round) as a Markdown table.

usage: summarize.py write|ring|storm ROUND.json...
Lines/s: median over every measured iteration of every round (SingleShotTime, ms for all lines).
Ratios: RayOS's lines/s over the other's, computed per round from that round's medians, then the
median of the rounds (runs on this machine drift; ratios within one round share the drift).
"""
import json
import statistics
import sys

mode, files = sys.argv[1], sys.argv[2:]
samples = {}  # (contender, threads) -> [lines/s]
per_round = []  # [{(contender, threads): median lines/s}]
for f in files:
    rnd = {}
    for b in json.load(open(f)):
        p = b["params"]
        key = (p["contender"], int(p["threads"]))
        lines = int(p["lines"])
        ms = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
        rates = [lines / (m / 1000.0) for m in ms]
        samples.setdefault(key, []).extend(rates)
        rnd[key] = statistics.median(rates)
    per_round.append(rnd)

def fmt(r):
    # The ERROR storm runs at thousands of lines/s: "0.00M" would hide it.
    return f"{r / 1e6:.2f}M" if r >= 100_000 else f"{r:,.0f}"

order = ["rayos", "rayos_shm", "log4j2", "log4j2_fsync", "logback", "raw", "raw_fsync"]
keys = sorted(samples, key=lambda k: (k[1], order.index(k[0]) if k[0] in order else 99))
others = [c for c in ["log4j2", "logback", "raw", "raw_fsync"] if any(k[0] == c for k in samples)]
if mode == "ring":
    others = ["rayos_shm"]
if mode == "storm":
    others = ["log4j2_fsync"]

def ratio(c, t, other):
    rs = [r[("rayos", t)] / r[(other, t)] for r in per_round if ("rayos", t) in r and (other, t) in r]
    return statistics.median(rs) if rs else None

head = "| threads | contender | lines/s median | min – max | n |"
sep = "|---|---|---|---|---|"
for o in others:
    head += f" RayOS ÷ {o} |"
    sep += "---|"
print(head)
print(sep)
for c, t in keys:
    s = samples[(c, t)]
    row = f"| {t} | {c} | {fmt(statistics.median(s))} | {fmt(min(s))} – {fmt(max(s))} | {len(s)} |"
    for o in others:
        row += (f" {ratio(c, t, o):.2f} |" if c == "rayos" and ratio(c, t, o) is not None else " |")
    print(row)
