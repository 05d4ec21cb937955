#!/usr/bin/env python3
"""Runs a command several times; prints the median and best wall time and the peak RSS.

Usage: measure.py [--setup SHELL_COMMAND] LABEL RUNS COMMAND...
--setup runs before each timed run, untimed (e.g. restoring the state the command starts from).
"""
import resource
import statistics
import subprocess
import sys
import time

arguments = sys.argv[1:]
setup = None
if arguments[0] == "--setup":
    setup, arguments = arguments[1], arguments[2:]
label, runs, command = arguments[0], int(arguments[1]), arguments[2:]
walls = []
for _ in range(runs):
    if setup:
        subprocess.run(setup, shell=True, check=True)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    walls.append(time.perf_counter() - start)
    if done.returncode != 0:
        sys.exit(f"{label}: exit {done.returncode}: {done.stderr.decode().strip()}")
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{label:<44} median {statistics.median(walls):6.3f} s   best {min(walls):6.3f} s   peak RSS {peak_kib / 1024:6.1f} MiB   ({runs} runs)")
