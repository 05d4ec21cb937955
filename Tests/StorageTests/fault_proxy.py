#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for the storage tests (loopback only, standard library only).

    fault_proxy.py --target 127.0.0.1:PORT --port-file FILE --rules RULES.json --log LOG [--serialize]
                   [--rate BYTES_PER_SEC]

It listens on a free loopback port (written to --port-file once listening) and forwards each request
to --target, one upstream connection per request, while keeping the client's connection alive.

RULES.json is re-read on every request; it is a JSON list of rules:
    {"method": "PUT", "path": "regex", "query": "regex", "nth": [1, 3], "action": "...", ...}
method (exact, any case), path and query (re.search on the path and on the raw query string) are
optional filters. Each rule counts the requests its filters match (1-based; the counts restart
when the file is replaced); "nth" lists the counts at which it fires (absent: every time). The
first rule that fires decides the action:
    reset          read the request (body up to "offset" bytes, default all), then close with RST
    status         answer "status" (503, 500, 429...) with an S3 XML error ("code" to override)
    flip           flip one body byte at "offset" (default the middle; chunked: 0) and forward
    strip-header   remove "header" (a name or a list, any case) and forward
    cut            forward the headers and "offset" body bytes (default half), then close both sides
    cut-response   forward the request; relay the response's status line, headers and only "offset"
                   body bytes (default half its Content-Length; a chunked body counts its framing
                   too, and has no default: 0), then shut the client's connection down and close it
    throttle       forward the request; relay the response body at no more than "rate" bytes a second
                   (paced per request, in pieces of at most 64 KiB; other connections run unhindered)
    gone           from now on close every current and future connection at once
A client's "Expect: 100-continue" is answered by the proxy itself and not forwarded.
Every request is appended to --log as a JSON line, before the client can see the outcome:
    {"method", "path", "query", "status", "action", "headers", "body_bytes"
     [, "response_bytes"][, "rate"][, "error"]}
headers are the client's (lowercased names; authorization redacted) minus any stripped by a rule;
body_bytes counts the request body read. response_bytes (cut-response only) counts the response
body bytes relayed before the cut; rate is the pace, in bytes a second, of a throttled response.
--serialize forwards one request at a time: moto checks If-Match/If-None-Match non-atomically.
--rate BYTES_PER_SEC throttles every response no rule acts on (no rule fired, or the rule that did
only changed the request: strip-header, flip), as a "throttle" rule would; such entries keep their
action (null when no rule fired) and record the rate. For benchmarks: e.g. --rate 25000000 caps each
connection at 25 MB/s.
"""

import argparse
import json
import os
import re
import socket
import struct
import sys
import threading
import time

CHUNK = 64 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "expect", "te", "upgrade"}
ERROR_CODES = {500: "InternalError", 503: "SlowDown", 429: "SlowDown"}
ACTIONS = {"reset", "status", "flip", "strip-header", "cut", "cut-response", "throttle", "gone"}


class Closed(Exception):
    """A peer closed its connection in the middle of a message."""


class Proxy:
    def __init__(self, target, rules_path, log_path, serialize, rate=None):
        host, _, port = target.rpartition(":")
        self.target = (host, int(port))
        self.rules_path = rules_path
        self.log_path = log_path
        self.forward_lock = threading.Lock() if serialize else None
        self.rate = rate  # --rate: the pace of every response no rule acts on
        self.state = threading.Lock()  # guards the rules' counts, the log, the open sockets
        self.rules_stamp = None
        self.counts = {}
        self.gone = False
        self.sockets = set()

    # Rules -------------------------------------------------------------------------------------

    def select(self, method, path, query):
        """The rule that fires for this request, or None; every matching rule's count goes up."""
        with self.state:
            rules = self.load_rules()
            chosen = None
            for index, rule in enumerate(rules):
                if rule.get("method") and rule["method"].upper() != method.upper():
                    continue
                if rule.get("path") is not None and not re.search(rule["path"], path):
                    continue
                if rule.get("query") is not None and not re.search(rule["query"], query):
                    continue
                self.counts[index] = self.counts.get(index, 0) + 1
                nth = rule.get("nth")
                if chosen is None and (nth is None or self.counts[index] in nth):
                    chosen = rule
            return chosen

    def load_rules(self):
        try:
            info = os.stat(self.rules_path)
            with open(self.rules_path, "rb") as file:
                text = file.read()
        except FileNotFoundError:
            return []
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if stamp != self.rules_stamp:  # a new rules file: its rules count from 1
            self.rules_stamp, self.counts = stamp, {}
        rules = json.loads(text) if text.strip() else []
        if not isinstance(rules, list):
            raise ValueError(f"{self.rules_path}: expected a JSON list of rules")
        for rule in rules:
            if rule.get("action") not in ACTIONS:
                raise ValueError(f"{self.rules_path}: unknown action {rule.get('action')!r}, expected one of {sorted(ACTIONS)}")
            rate = rule.get("rate")
            if rule["action"] == "throttle" and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0):
                raise ValueError(f"{self.rules_path}: a throttle rule needs a positive \"rate\" (bytes a second), got {rate!r}")
        return rules

    # Log and connections -----------------------------------------------------------------------

    def log(self, entry):
        entry["logged"] = True
        line = json.dumps({k: v for k, v in entry.items() if k != "logged"})
        with self.state:
            with open(self.log_path, "a") as file:
                file.write(line + "\n")

    def track(self, sock):
        with self.state:
            if self.gone:
                return False
            self.sockets.add(sock)
            return True

    def untrack(self, sock):
        with self.state:
            self.sockets.discard(sock)
        close(sock)

    def go_away(self):
        with self.state:
            self.gone = True
            sockets, self.sockets = list(self.sockets), set()
        for sock in sockets:
            close(sock)

    # Serving -----------------------------------------------------------------------------------

    def serve(self, listener):
        while True:
            client, _ = listener.accept()
            if not self.track(client):
                close(client)
                continue
            threading.Thread(target=self.connection, args=(client,), daemon=True).start()

    def connection(self, client):
        reader = client.makefile("rb")
        try:
            while self.handle(client, reader):
                pass
        except (OSError, Closed, ValueError):
            pass
        finally:
            self.untrack(client)

    def handle(self, client, reader):
        """Serves one request; True when the client's connection stays open for another."""
        head = read_head(reader)
        if head is None:
            return False
        method, target, version, headers = head
        if target.startswith("http://"):  # absolute form: keep only the path and query
            target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/"
        path, _, query = target.partition("?")
        entry = {"method": method, "path": path, "query": query, "status": None, "action": None,
                 "headers": log_headers(headers), "body_bytes": 0}
        try:
            return self.answer(client, reader, method, target, version, headers, entry)
        except (OSError, Closed, ValueError) as error:
            if not entry.get("logged") and not self.gone:  # the outcome: a connection broken midway
                entry["error"] = f"{type(error).__name__}: {error}"
                self.log(entry)
            raise

    def answer(self, client, reader, method, target, version, headers, entry):
        path, query = entry["path"], entry["query"]
        try:
            rule = self.select(method, path, query)
        except (ValueError, OSError) as error:
            entry["error"] = f"rules: {error}"
            self.log(entry)
            print(f"fault_proxy: {entry['error']}", file=sys.stderr)
            return False
        action = rule["action"] if rule else None
        entry["action"] = action
        if action == "strip-header":
            names = rule.get("header", [])
            names = {n.lower() for n in ([names] if isinstance(names, str) else names)}
            headers = [(n, v) for n, v in headers if n.lower() not in names]
        entry["headers"] = log_headers(headers)
        if action == "gone":
            self.log(entry)
            self.go_away()
            return False

        keep_alive = version == "HTTP/1.1" and "close" not in tokens(headers, "connection")
        length = body_length(headers)
        if "100-continue" in tokens(headers, "expect") and length != 0:
            client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = counted(body_pieces(reader, headers), entry)

        if action == "reset":
            limit = rule.get("offset")
            for _ in take(body, limit):
                pass
            self.log(entry)
            reset(client)
            return False
        if action == "status":
            for _ in body:
                pass
            entry["status"] = int(rule.get("status", 503))
            self.log(entry)
            client.sendall(error_response(entry["status"], rule.get("code"), method, keep_alive))
            return keep_alive
        if action == "flip":
            offset = rule.get("offset")
            body = flipped(body, offset if offset is not None else (length // 2 if length else 0))
        if action == "cut":
            offset = rule.get("offset")
            body = take(body, offset if offset is not None else (length or 0) // 2)
        response = Response()
        if action == "cut-response":
            response.cut, response.offset = True, rule.get("offset")
        elif action == "throttle":
            response.rate = rule["rate"]
        elif action in (None, "strip-header", "flip"):
            response.rate = self.rate
        if response.rate:
            entry["rate"] = response.rate
        return self.forward(client, method, target, headers, body, entry, keep_alive, cut=action == "cut", response=response)

    def forward(self, client, method, target, headers, body, entry, keep_alive, cut, response):
        lock = self.forward_lock
        if lock:
            lock.acquire()
        upstream = None
        try:
            try:
                upstream = socket.create_connection(self.target, timeout=600)
            except OSError as error:
                entry["status"], entry["error"] = 502, f"upstream: {error}"
                self.log(entry)
                client.sendall(error_response(502, "BadGateway", method, False))
                return False
            if not self.track(upstream):
                return False
            chunked = "chunked" in tokens(headers, "transfer-encoding")
            forwarded = [(n, v) for n, v in headers if n.lower() not in HOP_BY_HOP]
            lines = [f"{method} {target} HTTP/1.1"] + [f"{n}: {v}" for n, v in forwarded] + ["Connection: close", "", ""]
            upstream.sendall("\r\n".join(lines).encode("latin-1"))
            for piece in body:
                upstream.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            if cut:
                self.log(entry)
                return False
            if chunked:
                upstream.sendall(b"0\r\n\r\n")
            framed = relay_response(upstream.makefile("rb"), client, method, entry, self.log, response)
            if response.cut:
                close(client)  # a FIN now: the client sees its body end short
                return False
            return framed and keep_alive
        finally:
            if upstream is not None:
                self.untrack(upstream)
            if lock:
                lock.release()


# HTTP messages -------------------------------------------------------------------------------------


def read_line(reader):
    line = reader.readline(65537)
    if not line.endswith(b"\n"):
        raise Closed()
    return line


def read_headers(reader):
    headers = []
    while True:
        line = read_line(reader)
        if line in (b"\r\n", b"\n"):
            return headers
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))


def read_head(reader):
    """(method, target, version, headers) of the next request, or None when the client is done."""
    line = reader.readline(65537)
    while line in (b"\r\n", b"\n"):
        line = reader.readline(65537)
    if not line:
        return None
    method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    return method, target, version, read_headers(reader)


def tokens(headers, name):
    values = [v for n, v in headers if n.lower() == name]
    return {t.strip().lower() for v in values for t in v.split(",")}


def body_length(headers):
    """The request body's Content-Length; None for a chunked body."""
    if "chunked" in tokens(headers, "transfer-encoding"):
        return None
    values = [v for n, v in headers if n.lower() == "content-length"]
    return int(values[0]) if values else 0


def body_pieces(reader, headers):
    """The request body, decoded from its framing, in pieces of at most CHUNK bytes."""
    if "chunked" not in tokens(headers, "transfer-encoding"):
        yield from exactly(reader, body_length(headers))
        return
    while True:
        size = int(read_line(reader).split(b";")[0].strip(), 16)
        if size == 0:
            read_headers(reader)  # trailers, dropped
            return
        yield from exactly(reader, size)
        read_line(reader)


def exactly(reader, count):
    while count > 0:
        piece = reader.read(min(count, CHUNK))
        if not piece:
            raise Closed()
        count -= len(piece)
        yield piece


def counted(pieces, entry):
    for piece in pieces:
        entry["body_bytes"] += len(piece)
        yield piece


def take(pieces, limit):
    """The first `limit` bytes of the pieces (all when None), without reading further."""
    if limit is None:
        yield from pieces
        return
    for piece in pieces:
        if limit <= 0:
            return
        yield piece[:limit]
        limit -= len(piece)


def flipped(pieces, offset):
    """The pieces with the byte at `offset` inverted; only that byte's piece is copied."""
    position = 0
    for piece in pieces:
        if position <= offset < position + len(piece):
            damaged = bytearray(piece)
            damaged[offset - position] ^= 0xFF
            piece = bytes(damaged)
        position += len(piece)
        yield piece


class Response:
    """What a rule does to the response: cut it after `offset` body bytes, or pace it at `rate`."""
    cut = False
    offset = None
    rate = None


def relay_response(upstream, client, method, entry, log, response):
    """Relays one response; True when it was framed, so the client's connection can stay open.
    With response.cut, relays only the first bytes of the body and logs how many (the caller then
    closes the client's connection); with response.rate, paces the body."""
    while True:
        status_line = read_line(upstream)
        status = int(status_line.split(b" ", 2)[1])
        headers = read_headers(upstream)
        if status >= 200:
            break
        client.sendall(status_line + serialize(headers))  # an interim 1xx, passed on
    entry["status"] = status
    if not response.cut:
        log(entry)  # before the client can see the end of the response
    framed = True
    kept = [(n, v) for n, v in headers if n.lower() not in ("connection", "keep-alive")]
    if method == "HEAD" or status in (204, 304):
        pieces = iter(())
    elif "chunked" in tokens(headers, "transfer-encoding"):
        pieces = raw_chunks(upstream)
    elif any(n.lower() == "content-length" for n, _ in headers):
        pieces = exactly(upstream, body_length(headers))
    else:  # delimited by the upstream closing: so must the client's connection be
        framed = False
        kept.append(("Connection", "close"))
        pieces = iter(lambda: upstream.read1(CHUNK), b"")
    client.sendall(status_line + serialize(kept))
    if response.cut:
        offset = response.offset
        if offset is None:
            lengths = [v for n, v in headers if n.lower() == "content-length"]
            offset = int(lengths[0]) // 2 if lengths else 0
        entry["response_bytes"] = 0
        for piece in take(pieces, offset):
            client.sendall(piece)
            entry["response_bytes"] += len(piece)
        log(entry)  # before the caller's close lets the client see the cut
        return False
    if response.rate:
        paced(client, pieces, response.rate)
        return framed
    for piece in pieces:
        client.sendall(piece)
    return framed


def paced(client, pieces, rate):
    """Sends the pieces at no more than `rate` bytes a second on average: each piece (at most 64 KiB,
    and at most 1/50 s worth) goes out once the time for the bytes before it has passed. The
    sleeping thread holds no lock, so other connections run at their own pace meanwhile."""
    size = max(1, min(CHUNK, int(rate / 50)))
    start = time.monotonic()
    sent = 0
    for piece in pieces:
        view = memoryview(piece)
        for at in range(0, len(view), size):
            part = view[at:at + size]
            delay = start + sent / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            client.sendall(part)
            sent += len(part)
    # The last part went out when the time for the bytes before it had passed: wait for its own
    # time too, so that a next response on this connection cannot start early.
    delay = start + sent / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def raw_chunks(reader):
    """A chunked body as it came, framing included, ending after its trailers."""
    while True:
        line = read_line(reader)
        yield line
        size = int(line.split(b";")[0].strip(), 16)
        if size == 0:
            yield serialize(read_headers(reader))
            return
        yield from exactly(reader, size + 2)


def serialize(headers):
    return "".join(f"{n}: {v}\r\n" for n, v in headers).encode("latin-1") + b"\r\n"


def error_response(status, code, method, keep_alive):
    reasons = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    code = code or ERROR_CODES.get(status, "SlowDown")
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>Injected by fault_proxy.py</Message><RequestId>fault-proxy</RequestId></Error>").encode()
    if method == "HEAD":
        body = b""
    head = [f"HTTP/1.1 {status} {reasons.get(status, 'Error')}", "Content-Type: application/xml",
            f"Content-Length: {len(body)}"] + ([] if keep_alive else ["Connection: close"])
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def log_headers(headers):
    result = {}
    for name, value in headers:
        name = name.lower()
        value = "(redacted)" if name == "authorization" else value
        result[name] = f"{result[name]}, {value}" if name in result else value
    return result


def reset(sock):
    """Closes with an RST rather than a FIN: SO_LINGER on with a zero timeout, then close(2) on the
    descriptor itself (a shutdown would send a FIN first, and the reader made by makefile() would
    keep a plain close() from closing the descriptor)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(sock.detach())
    except OSError:
        close(sock)


def close(sock):
    for step in (lambda: sock.shutdown(socket.SHUT_RDWR), sock.close):
        try:
            step()
        except OSError:
            pass


def exit_with_parent():
    """A test process that dies without stopping us must not leave the proxy behind."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description="A fault-injecting HTTP/1.1 proxy for tests.")
    parser.add_argument("--target", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--port-file", required=True, help="where to write the port once listening")
    parser.add_argument("--rules", required=True, help="JSON list of rules, re-read on every request")
    parser.add_argument("--log", required=True, help="JSON lines, one per request")
    parser.add_argument("--serialize", action="store_true", help="forward one request at a time")
    parser.add_argument("--rate", type=float, metavar="BYTES_PER_SEC",
                        help="throttle every response no rule acts on to this many bytes a second")
    arguments = parser.parse_args()
    if arguments.rate is not None and arguments.rate <= 0:
        parser.error("--rate must be a positive number of bytes a second")
    if arguments.rate is not None and arguments.rate.is_integer():
        arguments.rate = int(arguments.rate)  # logged as 25000000, not 25000000.0
    proxy = Proxy(arguments.target, arguments.rules, arguments.log, arguments.serialize, arguments.rate)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    partial = arguments.port_file + ".partial"
    with open(partial, "w") as file:
        file.write(str(listener.getsockname()[1]))
    os.replace(partial, arguments.port_file)  # a reader never sees a half-written port
    threading.Thread(target=exit_with_parent, daemon=True).start()
    proxy.serve(listener)


if __name__ == "__main__":
    main()
