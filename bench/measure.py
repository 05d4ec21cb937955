#!/usr/bin/env python3
"""Runs a command several times; prints the median and best wall time and the peak RSS.

Usage: measure.py LABEL RUNS COMMAND...
"""
import resource
import statistics
import subprocess
import sys
import time

label, runs, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
walls = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    walls.append(time.perf_counter() - start)
    if done.returncode != 0:
        sys.exit(f"{label}: exit {done.returncode}: {done.stderr.decode().strip()}")
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{label:<44} median {statistics.median(walls):6.3f} s   best {min(walls):6.3f} s   peak RSS {peak_kib / 1024:6.1f} MiB   ({runs} runs)")
