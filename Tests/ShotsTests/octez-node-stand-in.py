#!/usr/bin/env python3
"""A stand-in for `octez-node` in tests (the real node cannot run here). It follows the real
CLI's documented shape for the two commands shots uses:

  octez-node snapshot export --rolling --block <hash> --data-dir <dir> <file>
  octez-node snapshot info --json <file>

The "node" in <dir> knows one block, described by <dir>/stand-in-head.json ({"hash", "level",
"timestamp"}), as a real node knows its store. Like octez-node, export refuses an existing output
file and an unknown block, and logs to stderr; info prints {"snapshot_header": {...}} as the real
node does (chain_name, mode, block_hash, level, timestamp, version).
"""
import json
import os
import sys

SNAPSHOT_VERSION = 7
MAGIC = b"octez-snapshot-stand-in\n"


def fail(message):
    print(f"octez-node: Error:\n  {message}", file=sys.stderr)
    sys.exit(1)


def option(arguments, name):
    if name not in arguments:
        fail(f"missing option {name}")
    index = arguments.index(name)
    value = arguments[index + 1]
    del arguments[index:index + 2]
    return value


def export(arguments):
    if "--rolling" not in arguments:
        fail("only --rolling exports are supported by this stand-in")
    arguments.remove("--rolling")
    block = option(arguments, "--block")
    data_dir = option(arguments, "--data-dir")
    if len(arguments) != 1:
        fail("expected one output file")
    output = arguments[0]
    head_path = os.path.join(data_dir, "stand-in-head.json")
    if not os.path.isfile(head_path):
        fail(f"{data_dir} is not a node data directory")
    head = json.load(open(head_path))
    if block != head["hash"]:
        fail(f"unknown block {block}")
    if os.path.exists(output):
        fail(f"the snapshot file {output} already exists")
    print(f"Exporting a rolling snapshot at block {block} ({head['level']})", file=sys.stderr)
    header = {"chain_name": "TEZOS_MAINNET", "mode": "rolling", "block_hash": block, "level": head["level"],
              "timestamp": head["timestamp"], "version": SNAPSHOT_VERSION}
    with open(output, "wb") as snapshot:
        snapshot.write(MAGIC + json.dumps(header).encode() + b"\n")
        # The node's context and store, standing in for the real snapshot's contents.
        for root, _, files in sorted(os.walk(data_dir)):
            for name in sorted(files):
                if os.path.islink(os.path.join(root, name)):
                    continue
                with open(os.path.join(root, name), "rb") as source:
                    snapshot.write(source.read())
    print("Snapshot exported", file=sys.stderr)


def info(arguments):
    if "--json" not in arguments:
        fail("this stand-in only prints --json")
    arguments.remove("--json")
    with open(arguments[0], "rb") as snapshot:
        if snapshot.readline() != MAGIC:
            fail(f"{arguments[0]} is not a snapshot")
        header = json.loads(snapshot.readline())
    print(json.dumps({"snapshot_header": header}))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:2] == ["snapshot", "export"]:
        export(arguments[2:])
    elif arguments[:2] == ["snapshot", "info"]:
        info(arguments[2:])
    else:
        fail(f"unknown command {' '.join(arguments)}")
