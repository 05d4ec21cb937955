#!/usr/bin/env python3
"""A stand-in for a Tezos node's RPC in tests: the two read-only calls shots makes, answered with
the real node's shapes. Serves on 127.0.0.1 with a free port, prints the port, runs until killed.

  GET /chains/main/blocks/head/header -> {"protocol", "chain_id", "hash", "level", ..., "timestamp"}
  GET /chains/main/blocks/head~N/header -> the same, N levels lower (hash and time as the head's)
  GET /version -> {"version": {...}, "network_version": {...}, "commit_info": {...}}

With --head-file FILE, the head moves as the test writes FILE ({"level", "hash", "timestamp"},
re-read on every request; replaced by rename, so never read half written).
"""
import http.server
import json
import sys

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


class Node(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        header = dict(HEADER)
        if HEAD_FILE:
            with open(HEAD_FILE) as moved:
                header.update(json.load(moved))
        answers = {"/chains/main/blocks/head/header": header, "/version": VERSION}
        if self.path.startswith("/chains/main/blocks/head~") and self.path.endswith("/header"):
            below = int(self.path[len("/chains/main/blocks/head~"):-len("/header")])
            answers[self.path] = dict(header, level=header["level"] - below)
        if self.path not in answers:
            self.send_error(404)
            return
        body = json.dumps(answers[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


HEAD_FILE = sys.argv[sys.argv.index("--head-file") + 1] if "--head-file" in sys.argv else None
server = http.server.HTTPServer(("127.0.0.1", 0), Node)
print(server.server_address[1], flush=True)
server.serve_forever()
