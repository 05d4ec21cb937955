#!/usr/bin/env python3
"""Loads pages of a built site in headless Chromium from a local HTTP server, saves a screenshot
of each, and reports problems: any console message (the sites log nothing when all is well) and
any request the server answered with an error (a script, style or image that failed to load).

Usage: browser_check.py SITE_FOLDER SCREENSHOT_FOLDER PATH...
The server listens on 127.0.0.1 on a free port and is stopped by PID before exit.
Exits 1 if any page logged a console error or no screenshot was written.
"""
import functools
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    site, shots, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    if CHROMIUM is None:
        sys.exit("chromium is not installed (make test installs it)")
    os.makedirs(shots, exist_ok=True)
    port = free_port()
    log_path = os.path.join(shots, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", site],
        stdout=log, stderr=log,
        # A test runner may ignore SIGTERM; the server must not inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    problems = []
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                threading.Event().wait(0.1)
        for path in paths:
            name = path.strip("/").replace("/", "-") or "home"
            screenshot = os.path.join(shots, f"{name}.png")
            if os.path.exists(screenshot):
                os.remove(screenshot)
            run = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--enable-logging=stderr", "--v=0", "--window-size=1280,1600",
                 f"--screenshot={screenshot}", f"http://127.0.0.1:{port}{path}"],
                capture_output=True, text=True, timeout=90)
            errors = [line for line in run.stderr.splitlines()
                      if re.search(r"CONSOLE|Uncaught|Failed to load resource", line)]
            for line in errors:
                problems.append(f"{path}: console error: {line}")
            if not os.path.exists(screenshot) or os.path.getsize(screenshot) < 1000:
                problems.append(f"{path}: no screenshot written (chromium exit {run.returncode}: {run.stderr[-300:]})")
            else:
                print(f"{path}: screenshot {screenshot} ({os.path.getsize(screenshot)} bytes), {len(errors)} console errors")
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    with open(log_path) as f:
        for line in f:
            match = re.search(r'"(GET|HEAD) (\S+) [^"]*" ([45]\d\d)', line)
            if match and not match.group(2).endswith("/favicon.ico"):
                problems.append(f"{match.group(2)}: the server answered {match.group(3)}")
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
