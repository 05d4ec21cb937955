#!/usr/bin/env python3
"""Walks a site that `shots serve` previews in headless Chromium, driven through its DevTools
protocol (over --remote-debugging-pipe: no extra library), as a user clicks: the home page, the
link to a network's page, then on it the download link of an artifact and its permalink, each
fetched by the page itself. Fails on any response with status 4xx or 5xx, any console error or
uncaught exception, and on a link that is missing.

Usage: browser_walk.py ORIGIN NETWORK
Prints one line per step; exits 1 with the problems listed when there are any.
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


class Browser:
    def __init__(self):
        to_chrome_read, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_write = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="shots-browser-")
        # Chromium reads commands on its fd 3 and writes answers and events on its fd 4.
        def child_fds():
            # Through fresh copies: a pipe may already be fd 3 or 4, and Python's pipes are
            # close-on-exec, which only a dup2 to another number clears.
            read, write = os.dup(to_chrome_read), os.dup(from_chrome_write)
            os.dup2(read, 3)
            os.dup2(write, 4)
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={self.profile}", "--no-first-run", "about:blank"],
            # close_fds would close the 3 and 4 made in child_fds (it runs after preexec_fn).
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BROWSER_LOG", os.devnull), "w"))
        os.close(to_chrome_read)
        os.close(from_chrome_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            answer = self.read(timeout=30)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def read(self, timeout):
        deadline = time.time() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise RuntimeError("chromium exited")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, timeout=30):
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        deadline = time.time() + timeout
        while time.time() < deadline:
            event = self.read(timeout=deadline - time.time())
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise TimeoutError(f"no {method}")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events):
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400 and not response["url"].endswith("/favicon.ico"):
                found.append(f"{response['url']}: answered {response['status']}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console {params['type']}: {[a.get('value') for a in params.get('args', [])]}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"uncaught: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error" and not params["entry"].get("url", "").endswith("/favicon.ico"):
            found.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found


def main():
    origin, network = sys.argv[1], sys.argv[2]
    if CHROMIUM is None:
        sys.exit("chromium is not installed (make test installs it)")
    browser = Browser()
    problems = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            browser.send(f"{domain}.enable")

        def visit(url):
            browser.send("Page.navigate", {"url": url})
            browser.wait_for("Page.loadEventFired")
            time.sleep(0.3)  # the page's own scripts run after load
            print(f"page {browser.evaluate('location.href')}: {browser.evaluate('document.title')}")

        visit(origin + "/")
        link = browser.evaluate(f"[...document.querySelectorAll('a')].map(a => a.href).find(h => h.endsWith('/{network}/')) || null")
        if not link:
            problems.append(f"the home page has no link to /{network}/")
        else:
            browser.evaluate(f"[...document.querySelectorAll('a')].find(a => a.href === {json.dumps(link)}).click()")
            browser.wait_for("Page.loadEventFired")
            time.sleep(0.3)
            print(f"clicked through to {browser.evaluate('location.href')}")
            links = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.href)")
            downloads = [h for h in links if h.endswith(".lz4") or h.endswith(".rolling")]
            permalinks = [h for h in links if h.rstrip("/").rsplit("/", 1)[-1] in ("rolling", "rolling-tarball", "archive-tarball")]
            if not downloads:
                problems.append("the network page links no artifact")
            if not permalinks:
                problems.append("the network page links no permalink")
            for href in downloads[:2] + permalinks[:2]:
                # Fetched by the page, as the browser would start the download: redirects followed.
                answer = browser.evaluate(f"fetch({json.dumps(href)}, {{method: 'GET', headers: {{Range: 'bytes=0-1023'}}}})"
                                          ".then(r => ({status: r.status, url: r.url}))")
                print(f"download {href}: {answer['status']} from {answer['url']}")
                if answer["status"] not in (200, 206) or not (answer["url"].endswith(".lz4") or answer["url"].endswith(".rolling")):
                    problems.append(f"{href}: {answer['status']} from {answer['url']}")
        # Drain what arrived after the last command.
        try:
            while True:
                browser.events.append(browser.read(timeout=0.5))
        except (TimeoutError, RuntimeError):
            pass
        problems += problems_in(browser.events)
    finally:
        browser.close()
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
