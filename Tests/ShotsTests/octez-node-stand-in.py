#!/usr/bin/env python3
"""A stand-in for `octez-node` in tests (the real node cannot run here). It follows the real
CLI's documented shape for the commands shots uses:

  octez-node snapshot export --rolling --block <hash> --data-dir <dir> <file>
  octez-node snapshot info --json <file>
  octez-node snapshot import <file> --data-dir <dir> [--block <hash>] [--no-check]

The "node" in <dir> knows one block, described by <dir>/stand-in-head.json ({"hash", "level",
"timestamp"}), as a real node knows its store. A stand-in snapshot is MAGIC, the header as one
JSON line, then the payload: every other file of the data directory, concatenated. Like
octez-node, export refuses an existing output file and an unknown block, and logs to stderr;
info prints {"snapshot_header": {...}} as the real node does (chain_name, mode, block_hash,
level, timestamp, version); import refuses a file that is not a snapshot, a --block other than
the snapshot's and a data directory that already holds a store, then writes stand-in-head.json
from the header and the payload to <dir>/context/store.bin (so an imported node exports again).
--no-check (skip the real node's store checks) is accepted and changes nothing here.
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
        # The node's context and store, standing in for the real snapshot's contents (the head
        # is in the header).
        for root, _, files in sorted(os.walk(data_dir)):
            for name in sorted(files):
                if os.path.islink(os.path.join(root, name)) or os.path.join(root, name) == head_path:
                    continue
                with open(os.path.join(root, name), "rb") as source:
                    snapshot.write(source.read())
    print("Snapshot exported", file=sys.stderr)


def read_header(snapshot, path):
    """The header of an open stand-in snapshot, which is left at the payload's start."""
    if snapshot.readline() != MAGIC:
        fail(f"{path} is not a snapshot")
    try:
        return json.loads(snapshot.readline())
    except ValueError:
        fail(f"{path} has a corrupted snapshot header")


def import_(arguments):
    block = option(arguments, "--block") if "--block" in arguments else None
    data_dir = option(arguments, "--data-dir")
    if "--no-check" in arguments:
        arguments.remove("--no-check")
    if len(arguments) != 1:
        fail("expected one snapshot file")
    path = arguments[0]
    if not os.path.isfile(path):
        fail(f"cannot read the snapshot file {path}")
    with open(path, "rb") as snapshot:
        header = read_header(snapshot, path)
        if block is not None and block != header["block_hash"]:
            fail(f"The block hash {block} does not match the snapshot's block hash {header['block_hash']}")
        if any(os.path.exists(os.path.join(data_dir, name)) for name in ("stand-in-head.json", "context")):
            fail(f"the data directory {data_dir} already contains a store")
        print(f"Importing data from snapshot {path} (block {header['block_hash']}, level {header['level']})", file=sys.stderr)
        os.makedirs(os.path.join(data_dir, "context"), exist_ok=True)
        with open(os.path.join(data_dir, "context", "store.bin"), "wb") as store:
            store.write(snapshot.read())
    with open(os.path.join(data_dir, "stand-in-head.json"), "w") as head:
        json.dump({"hash": header["block_hash"], "level": header["level"], "timestamp": header["timestamp"]}, head)
    print("Snapshot imported", file=sys.stderr)


def info(arguments):
    if "--json" not in arguments:
        fail("this stand-in only prints --json")
    arguments.remove("--json")
    with open(arguments[0], "rb") as snapshot:
        header = read_header(snapshot, arguments[0])
    print(json.dumps({"snapshot_header": header}))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:2] == ["snapshot", "export"]:
        export(arguments[2:])
    elif arguments[:2] == ["snapshot", "info"]:
        info(arguments[2:])
    elif arguments[:2] == ["snapshot", "import"]:
        import_(arguments[2:])
    else:
        fail(f"unknown command {' '.join(arguments)}")
