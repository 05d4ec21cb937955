#!/usr/bin/env python3
"""A stand-in for a node's RPC in tests: the read-only calls shots makes, answered with the real
nodes' shapes. Serves on 127.0.0.1 with a free port, prints the port, runs until killed.

A Tezos node's RPC:

  GET /chains/main/blocks/head/header -> {"protocol", "chain_id", "hash", "level", ..., "timestamp"}
  GET /chains/main/blocks/head~N/header -> the same, N levels lower (hash and time as the head's)
  GET /version -> {"version": {...}, "network_version": {...}, "commit_info": {...}}

A Substrate node's HTTP JSON-RPC (POST /, JSON-RPC 2.0), its best block at the head's level and
its finalized block --finality-lag blocks below (default 2, as GRANDPA usually trails):
  chain_getBlockHash [] -> the best block's hash; [N] -> block N's
  chain_getFinalizedHead [] -> the finalized block's hash
  chain_getHeader [HASH] -> {"parentHash", "number": "0x..", "stateRoot", "extrinsicsRoot", "digest"}
  state_getStorage [Timestamp.Now key, HASH] -> the block's time in ms, SCALE u64 ("0x" + 16 hex)
A block's hash is 0x and the SHA-256 of its number.

With --head-file FILE, the head moves as the test writes FILE ({"level", "hash", "timestamp"},
re-read on every request; replaced by rename, so never read half written). Blocks below the head
have its timestamp, or the file's "below_timestamp" when it gives one (a node whose final block is
older than its head).
"""
import calendar
import hashlib
import http.server
import json
import sys
import time

HEADER = {
    "protocol": "PtParisBxoLz5gzMmn3d9WBQNoPSZakgnkMC2VNuQ3KXfUtUQeZ",
    "chain_id": "NetXdQprcVkpaWU",
    "hash": "BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2",
    "level": 6123456,
    "proto": 19,
    "predecessor": "BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2",
    "timestamp": "2024-07-01T08:30:15Z",
    "validation_pass": 4,
}
VERSION = {
    "version": {"major": 20, "minor": 1, "additional_info": "release"},
    "network_version": {"chain_name": "TEZOS_MAINNET", "distributed_db_version": 2, "p2p_version": 1},
    "commit_info": {"commit_hash": "c5e3f8b0", "commit_date": "2024-06-12 15:32:57 +0000"},
}


TIMESTAMP_NOW = "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb"


def substrate_hash(number):
    return "0x" + hashlib.sha256(str(number).encode()).hexdigest()


def current_header():
    header = dict(HEADER)
    if HEAD_FILE:
        with open(HEAD_FILE) as moved:
            header.update(json.load(moved))
    return header


class Node(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        call = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        header = current_header()
        best, finalized = header["level"], header["level"] - FINALITY_LAG
        numbers = {substrate_hash(n): n for n in range(max(0, finalized - 5), best + 1)}
        method, params = call["method"], call.get("params", [])
        if method == "chain_getBlockHash":
            result = substrate_hash(params[0] if params else best)
        elif method == "chain_getFinalizedHead":
            result = substrate_hash(finalized)
        elif method == "chain_getHeader" and params[0] in numbers:
            number = numbers[params[0]]
            result = {"parentHash": substrate_hash(number - 1), "number": hex(number), "stateRoot": "0x" + "11" * 32,
                      "extrinsicsRoot": "0x" + "22" * 32, "digest": {"logs": []}}
        elif method == "state_getStorage" and params[0] == TIMESTAMP_NOW and params[1] in numbers:
            stamp = header["timestamp"] if numbers[params[1]] == best else header.get("below_timestamp", header["timestamp"])
            milliseconds = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")) * 1000
            result = "0x" + milliseconds.to_bytes(8, "little").hex()
        else:
            result = None
        answer = {"jsonrpc": "2.0", "id": call["id"]}
        if result is None:
            answer["error"] = {"code": -32602, "message": f"unknown block or method: {method} {params}"}
        else:
            answer["result"] = result
        self.answer(answer)

    def do_GET(self):
        header = current_header()
        answers = {"/chains/main/blocks/head/header": header, "/version": VERSION}
        if self.path.startswith("/chains/main/blocks/head~") and self.path.endswith("/header"):
            below = int(self.path[len("/chains/main/blocks/head~"):-len("/header")])
            answers[self.path] = dict(header, level=header["level"] - below)
            if below > 0:
                answers[self.path]["timestamp"] = header.get("below_timestamp", header["timestamp"])
        if self.path not in answers:
            self.send_error(404)
            return
        self.answer(answers[self.path])

    def answer(self, value):
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


HEAD_FILE = sys.argv[sys.argv.index("--head-file") + 1] if "--head-file" in sys.argv else None
FINALITY_LAG = int(sys.argv[sys.argv.index("--finality-lag") + 1]) if "--finality-lag" in sys.argv else 2
server = http.server.HTTPServer(("127.0.0.1", 0), Node)
print(server.server_address[1], flush=True)
server.serve_forever()
