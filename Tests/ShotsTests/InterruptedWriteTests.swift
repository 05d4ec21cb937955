import Catalog
import Infrastructure
import Foundation
import Testing
import TestSupport

/// Writers that fail partway (the disk fills) or are killed mid-write must leave the file a reader
/// had: base.json, tezos-snapshots.json and the pages are replaced whole or not at all. A plain
/// truncate-and-write would leave each of them cut short here.
@Suite("a write that fails partway, or is killed, leaves the previous file whole")
struct InterruptedWriteTests {
    /// Runs `script` in a private mount namespace where `small` is a fresh tmpfs holding `setup`
    /// (a shell fragment), then filled up until `free` KiB are left. Prints `intact` when every
    /// file under `small` (but the filler) has the bytes it had before `script`.
    private func onFullDisk(_ folder: TemporaryFolder, setup: String, free: Int, script: String) throws -> ProgramRun {
        let small = folder.subpath("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        let body = """
            set -e
            mount -t tmpfs -o size=4m tmpfs '\(small)'
            cd '\(small)'
            \(setup)
            dd if=/dev/zero of=filler bs=4k 2>/dev/null || true
            truncate -s -\(free)k filler
            sums() { find . -path ./filler -prune -o -type f -print0 | sort -z | xargs -0 sha256sum; }
            before=$(sums)
            set +e
            \(script)
            status=$?
            [ "$before" = "$(sums)" ] && echo intact
            exit $status
            """
        let scriptFile = try folder.write("full-disk.sh", body)
        return try shell("unshare -rm bash '\(scriptFile)'", environment: ["SHOTS": Shots.binary.path])
    }

    /// A bucket of `count` valid per-artifact files, for a base.json larger than the room left.
    private func bucket(_ folder: TemporaryFolder, count: Int) throws {
        for height in 1...count { try folder.write(artifact: artifactJSON(height: Int64(1_000 + height)), in: "bucket") }
    }

    @Test("merge --into: a base.json whose new version does not fit keeps its old bytes")
    func baseJSON() throws {
        let folder = try TemporaryFolder()
        try bucket(folder, count: 60)
        try folder.write(artifact: artifactJSON(height: 1), in: "first")
        let run = try onFullDisk(folder, setup: "\"$SHOTS\" merge '\(folder.subpath("first"))' -o base.json", free: 8,
                                 script: "\"$SHOTS\" merge --into base.json '\(folder.subpath("bucket"))'")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("No space left on device"), "\(run.stderr)")
        #expect(run.stdout.contains("intact"), "\(run.stdout)\(run.stderr)")
    }

    @Test("catalog -o: a tezos-snapshots.json whose new version does not fit keeps its old bytes")
    func snapshotsDocument() throws {
        let folder = try TemporaryFolder()
        try bucket(folder, count: 60)
        #expect(try Shots.run(["merge", folder.subpath("bucket"), "-o", folder.subpath("base.json")]).status == 0)
        try folder.write(artifact: artifactJSON(height: 1), in: "first")
        let run = try onFullDisk(folder, setup: """
            "$SHOTS" merge '\(folder.subpath("first"))' -o first.json && "$SHOTS" catalog first.json --org Test -o tezos-snapshots.json
            """, free: 8, script: "\"$SHOTS\" catalog '\(folder.subpath("base.json"))' --org Test -o tezos-snapshots.json")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("intact"), "\(run.stdout)\(run.stderr)")
    }

    @Test("build: a rebuild that runs out of room while staging its pages leaves every page, feed and permalink as it was")
    func pages() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(atPath: Shots.packageRoot.appendingPathComponent("site/data/tezos/mainnet").path, toPath: folder.subpath("data"))
        let site = Shots.packageRoot.appendingPathComponent("site").path
        let templates = Shots.packageRoot.appendingPathComponent("templates").path
        let build = "\"$SHOTS\" build -q '\(folder.subpath("data"))' --site '\(site)' --templates '\(templates)' -o out"
        var added: [String] = []
        for height in 1...40 {
            added.append(try folder.write(artifact: artifactJSON(height: Int64(5_300_000 + height)), in: "new"))
        }
        let run = try onFullDisk(folder, setup: build, free: 24, script: "cp '\(folder.subpath("new"))'/*.json '\(folder.subpath("data"))'/ && \(build)")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("No space left on device"), "\(run.stderr)")
        #expect(run.stdout.contains("intact"), "\(run.stdout)\(run.stderr)")
    }

    @Test("build killed at random moments: every file is the old build's or the new one's, and the next build repairs the set")
    func killedBuilds() throws {
        let folder = try TemporaryFolder()
        let site = Shots.packageRoot.appendingPathComponent("site").path
        let templates = Shots.packageRoot.appendingPathComponent("templates").path
        try FileManager.default.copyItem(atPath: Shots.packageRoot.appendingPathComponent("site/data/tezos/mainnet").path, toPath: folder.subpath("data"))
        func build(into output: String) throws -> ProgramRun {
            try Shots.run(["build", "-q", folder.subpath("data"), "--site", site, "--templates", templates, "-o", output])
        }
        #expect(try build(into: folder.subpath("old")).status == 0)
        for height in 1...200 { try folder.write(artifact: artifactJSON(height: Int64(5_300_000 + height)), in: "data") }
        #expect(try build(into: folder.subpath("new")).status == 0)
        let old = files(folder.subpath("old"))
        let new = files(folder.subpath("new"))

        var killed = 0
        for attempt in 0..<12 {
            let output = folder.subpath("killed-\(attempt)")
            try FileManager.default.copyItem(atPath: folder.subpath("old"), toPath: output)
            let process = Process()
            process.executableURL = Shots.binary
            process.arguments = ["build", "-q", folder.subpath("data"), "--site", site, "--templates", templates, "-o", output]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(5_000 + attempt * 12_000))
            if process.isRunning { kill(process.processIdentifier, SIGKILL); killed += 1 }
            process.waitUntilExit()
            for (path, data) in files(output) where !path.hasPrefix(".shots-") && !path.hasPrefix("..shots-") {  // the build's own, repaired below
                #expect(data == old[path] || data == new[path], "attempt \(attempt): \(path) is neither the old nor the new file")
            }
            #expect(try build(into: output).status == 0)
            #expect(files(output).filter { !$0.key.hasPrefix(".shots-") } == new.filter { !$0.key.hasPrefix(".shots-") }, "attempt \(attempt)")
            #expect(folders(output) == folders(folder.subpath("new")), "attempt \(attempt): no empty folder is left from the killed build")
        }
        #expect(killed > 0, "no build was killed mid-way; the delays need to be shorter")
    }

    @Test("a commit refused half-way (a folder it may not write) exits 1 naming the file; each file is old or new, and the next build completes the set")
    func commitRefusedHalfway() throws {
        try #require(getuid() == 0, "the test makes a folder its build may not write by running the build as another user")
        let folder = try TemporaryFolder()
        let site = Shots.packageRoot.appendingPathComponent("site").path
        let templates = Shots.packageRoot.appendingPathComponent("templates").path
        try FileManager.default.copyItem(atPath: Shots.packageRoot.appendingPathComponent("site/data/tezos/mainnet").path, toPath: folder.subpath("data"))
        let output = folder.subpath("out")
        let build = "'\(Shots.binary.path)' build -q '\(folder.subpath("data"))' --site '\(site)' --templates '\(templates)' -o '\(output)'"
        #expect(try shell(build).status == 0)
        let old = files(output)
        for height in 1...20 { try folder.write(artifact: artifactJSON(height: Int64(5_300_000 + height)), in: "data") }
        // The output belongs to the build's user, but for mainnet/, which only root may write: the
        // pages at the root move in, then the first move into mainnet/ is refused.
        let refused = try shell("""
            chmod -R a+rX '\(folder.path)' && chown -R 65534:65534 '\(output)' && chown 0:0 '\(output)/mainnet' && chmod 755 '\(output)/mainnet' \
              && setpriv --reuid=65534 --regid=65534 --clear-groups \(build)
            """)
        #expect(refused.status == 1)
        #expect(refused.errorLines.count == 1 && refused.stderr.contains("\(output)/mainnet/") && refused.stderr.contains("cannot move into place: Permission denied"),
                "\(refused.stderr)")
        let fresh = folder.subpath("fresh")
        #expect(try shell(build.replacingOccurrences(of: "-o '\(output)'", with: "-o '\(fresh)'")).status == 0)
        let new = files(fresh)
        let halfway = files(output).filter { !$0.key.hasPrefix(".shots-") }
        #expect(halfway.contains { new[$0.key] == $0.value && old[$0.key] != $0.value }, "some files had moved in before the refusal")
        for (path, data) in halfway {
            #expect(data == old[path] || data == new[path], "\(path) is neither the old nor the new file")
        }
        #expect(try shell(build).status == 0)
        #expect(files(output).filter { !$0.key.hasPrefix(".shots-") } == new.filter { !$0.key.hasPrefix(".shots-") })
    }

    /// The folders under `folder`, the build's own aside.
    private func folders(_ folder: String) -> Set<String> {
        Set(snapshot(of: folder).filter { $0.value == "folder" && !$0.key.hasPrefix(".shots-") }.keys)
    }

    /// Every regular file under `folder` (relative path → bytes), dot-files included.
    private func files(_ folder: String) -> [String: Data] {
        var found: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)
        while let relative = walker?.nextObject() as? String {
            var status = stat()
            if lstat(folder + "/" + relative, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
                found[relative] = FileManager.default.contents(atPath: folder + "/" + relative)
            }
        }
        return found
    }
}
