#!/usr/bin/env python3
"""Writes N deterministic per-artifact metadata files (several networks and kinds) into a folder.

Usage: generate_artifacts.py N FOLDER [FIRST_INDEX]
"""
import hashlib
import json
import os
import sys

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
NETWORKS = ["mainnet", "ghostnet", "parisnet", "quebecnet", "rionet", "seoulnet", "weeklynet", "oxfordnet"]
KINDS = [("tezos-snapshot", "rolling"), ("tarball", "rolling"), ("tarball", "archive"), ("tarball", "full")]


def filesize(n):
    divisions, divisor = 0, 1
    while divisions < 4 and n > divisor * 1024:
        divisor *= 1024
        divisions += 1
    return str(n // divisor) + ("" if divisions == 0 else "KMGT"[divisions - 1])


def artifact(i):
    digest = hashlib.sha256(str(i).encode()).digest()
    network = NETWORKS[i % len(NETWORKS)]
    artifact_type, mode = KINDS[(i // len(NETWORKS)) % len(KINDS)]
    height = 1_000_000 + i * 17
    if artifact_type == "tarball":
        name = f"tezos-{network}-{mode}-tarball-{height}.lz4"
    else:
        name = f"{network}-{height}.{mode}"
    size = 1_000_000_000 + int.from_bytes(digest[:4], "big")
    major = 18 + (i % 3)
    doc = {
        "block_hash": "B" + "".join(B58[b % 58] for b in hashlib.sha512(digest).digest()[:50]),
        "block_height": height,
        "block_timestamp": "2024-%02d-%02dT%02d:%02d:%02dZ" % (1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60),
        "filename": name,
        "url": f"https://{network}.xtz-shots.io/{name}",
        "sha256": digest.hex(),
        "filesize_bytes": size,
        "filesize": filesize(size),
        "chain_name": network,
        "history_mode": mode,
        "artifact_type": artifact_type,
        "tezos_version": {
            "implementation": "octez",
            "version": {"major": major, "minor": i % 2, "additional_info": "release" if i % 5 else {"rc": 1 + i % 3}},
            "commit_info": {"commit_hash": digest[4:8].hex(), "commit_date": "2024-01-15 10:00:00 +0000"},
        },
    }
    if artifact_type == "tezos-snapshot":
        doc["snapshot_version"] = 7
    return doc


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    os.makedirs(folder, exist_ok=True)
    for i in range(first, first + count):
        doc = artifact(i)
        with open(os.path.join(folder, doc["filename"] + ".json"), "w") as f:
            json.dump(doc, f, indent=2)


if __name__ == "__main__":
    main()
