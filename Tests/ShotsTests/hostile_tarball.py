#!/usr/bin/env python3
"""Publishes a hostile tarball into a folder store, signed, as a compromised or careless publisher
could: the artifact passes every check of its companions, so only the restore's extraction stands
between its entries and the node operator's disk.

    hostile_tarball.py CASE --outside DIR --template META.json --height H --store DIR --key SHOTS.key

CASE: absolute (a path under --outside), dotdot (climbs out with ..), symlink (a link to --outside,
then a file through it), relative-symlink (the same with ../..), hardlink (a hard link to a file out
of DEST), device (a character device). The tar is made with Python's tarfile, compressed by the
`lz4` CLI, checksummed by `sha256sum` and signed by the `minisign` CLI.
"""
import argparse
import io
import json
import os
import subprocess
import tarfile


def entry(archive, name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size, info.mode = kind, link, len(data), 0o644
    archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    for flag in ("--outside", "--template", "--height", "--store", "--key"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    name = f"tezos-mainnet-rolling-tarball-{args.height}.lz4"
    tar_path = os.path.join(args.store, name + ".tar")
    with tarfile.open(tar_path, "w", format=tarfile.GNU_FORMAT) as archive:
        entry(archive, "node/data/config.json", b"{}\n")
        if args.case == "absolute":
            entry(archive, os.path.join(args.outside, "absolute-evil"), b"evil")
        elif args.case == "dotdot":
            entry(archive, "node/../../../../../../../../" + args.outside.lstrip("/") + "/dotdot-evil", b"evil")
        elif args.case == "symlink":
            entry(archive, "node/escape", kind=tarfile.SYMTYPE, link=args.outside)
            entry(archive, "node/escape/symlink-evil", b"evil")
        elif args.case == "relative-symlink":
            entry(archive, "node/escape", kind=tarfile.SYMTYPE, link="../" * 12 + args.outside.lstrip("/"))
            entry(archive, "node/escape/symlink-evil", b"evil")
        elif args.case == "hardlink":
            entry(archive, "node/data/passwd", kind=tarfile.LNKTYPE, link=os.path.join(args.outside, "victim"))
        elif args.case == "device":
            info = tarfile.TarInfo("node/data/null")
            info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            archive.addfile(info)
        else:
            raise SystemExit(f"unknown case {args.case}")
        entry(archive, "node/data/after.txt", b"after the hostile entry\n")
    path = os.path.join(args.store, name)
    subprocess.run(["lz4", "-q", "-f", tar_path, path], check=True)
    os.remove(tar_path)
    digest = subprocess.run(["sha256sum", path], check=True, capture_output=True, text=True).stdout.split()[0]
    size = os.path.getsize(path)
    metadata = json.load(open(args.template))
    metadata.update(filename=name, sha256=digest, filesize_bytes=size, block_height=int(args.height),
                    url=metadata["url"].rsplit("/", 1)[0] + "/" + name, filesize=f"{size // 1024}K" if size > 1024 else str(size))
    metadata.pop("uncompressed_size_bytes", None)
    json.dump(metadata, open(path + ".json", "w"))
    with open(path + ".sha256", "w") as checksum:
        checksum.write(f"{digest}  {name}\n")
    subprocess.run(["minisign", "-S", "-s", args.key, "-m", path + ".sha256", "-t", "timestamp:1733300000\tfile:" + name + ".sha256\thashed"],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
