import CArchive
import Catalog
import Foundation

/// A folder written as a GNU tar stream by libarchive: long paths, files over 8 GiB, permissions,
/// owners and modification times as GNU tar writes them; symbolic links kept as links, never
/// followed (so a link out of the tree or a loop stores a link, nothing more).
struct TarStream {
    /// The folder the tar paths are relative to.
    var root: String
    /// What to take from `root` (relative paths); empty for everything in it.
    var members: [String]
    var exclusions: ExclusionRules

    /// Regular-file bytes that `write` will read: for progress and its ETA.
    func contentSize() throws(Problem) -> Int64 {
        var total: Int64 = 0
        try walk { entry, _, _ throws(Problem) in
            if archive_entry_filetype(entry) == S_IFREG { total += archive_entry_size(entry) }
        }
        return total
    }

    /// Writes the tar stream to `output`; `read` hears how many file bytes were read so far.
    func write(to output: @escaping (UnsafeRawBufferPointer) throws(Problem) -> Void, read: (Int64) -> Void = { _ in }) throws(Problem) {
        let sink = OutputBox(output)
        guard let writer = archive_write_new() else { throw Problem(origin: root, reason: "libarchive: out of memory") }
        var complete = false
        defer {
            // After a failure, nothing more (padding, end blocks) may reach the sink.
            if !complete { archive_write_fail(writer) }
            archive_write_free(writer)
            withExtendedLifetime(sink) {}
        }
        archive_write_set_format_gnutar(writer)
        archive_write_add_filter_none(writer)
        let opened = archive_write_open2(writer, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, client, buffer, length in
            let sink = Unmanaged<OutputBox>.fromOpaque(client!).takeUnretainedValue()
            do throws(Problem) {
                try sink.output(UnsafeRawBufferPointer(start: buffer, count: length))
            } catch {
                sink.failure = error
                return -1
            }
            return la_ssize_t(length)
        }, nil, nil)
        guard opened == ARCHIVE_OK else { throw Problem(origin: root, reason: Self.message(writer)) }

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var readBytes: Int64 = 0
        try walk { entry, disk, path throws(Problem) in
            if archive_entry_filetype(entry) == S_IFSOCK { return }  // GNU tar leaves sockets out too
            guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw sink.failure ?? Problem(origin: path, reason: "cannot add to the tarball: \(Self.message(writer))")
            }
            guard archive_entry_filetype(entry) == S_IFREG, archive_entry_size(entry) > 0 else { return }
            let expected = archive_entry_size(entry)
            var copied: Int64 = 0
            while true {
                let count = archive_read_data(disk, buffer.baseAddress, buffer.count)
                if count == 0 { break }
                guard count > 0 else { throw Problem(origin: path, reason: "cannot read: \(Self.message(disk))") }
                guard copied + Int64(count) <= expected else { throw Problem(origin: path, reason: "grew while it was being packed") }
                guard archive_write_data(writer, buffer.baseAddress, count) == count else {
                    throw sink.failure ?? Problem(origin: path, reason: "cannot add to the tarball: \(Self.message(writer))")
                }
                copied += Int64(count)
                readBytes += Int64(count)
                read(readBytes)
            }
            guard copied == expected else {
                throw Problem(origin: path, reason: "shrank from \(expected) to \(copied) bytes while it was being packed")
            }
        }
        guard archive_write_close(writer) == ARCHIVE_OK else {
            throw sink.failure ?? Problem(origin: root, reason: "cannot finish the tarball: \(Self.message(writer))")
        }
        complete = true
    }

    /// Visits every entry to pack, depth first, with its tar path set; excluded ones are skipped and
    /// excluded folders not entered.
    private func walk(_ visit: (OpaquePointer, OpaquePointer, String) throws(Problem) -> Void) throws(Problem) {
        try checkRoot()
        guard let disk = archive_read_disk_new(), let entry = archive_entry_new() else {
            throw Problem(origin: root, reason: "libarchive: out of memory")
        }
        defer {
            archive_entry_free(entry)
            archive_read_free(disk)
        }
        // Links inside the tree are stored as links; the starting folders themselves may be links
        // (a volume mounted through one), as with `tar -H`.
        archive_read_disk_set_symlink_hybrid(disk)
        archive_read_disk_set_standard_lookup(disk)
        // Like GNU tar's defaults: no extended attributes, ACLs, file flags or sparse files; files are
        // opened only when their data is read.
        archive_read_disk_set_behavior(
            disk, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL | ARCHIVE_READDISK_NO_FFLAGS | ARCHIVE_READDISK_NO_SPARSE)
        let starts = members.isEmpty ? [""] : members
        for start in starts {
            let startPath = start.isEmpty ? root : (root as NSString).appendingPathComponent(start)
            guard archive_read_disk_open(disk, startPath) == ARCHIVE_OK else {
                throw Problem(origin: startPath, reason: "cannot open: \(Self.message(disk))")
            }
            while true {
                archive_entry_clear(entry)
                let status = archive_read_next_header2(disk, entry)
                if status == ARCHIVE_EOF { break }
                let source = archive_entry_sourcepath(entry).map { String(cString: $0) } ?? startPath
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                    throw Problem(origin: source, reason: "cannot read: \(Self.message(disk))")
                }
                let relative = Self.relative(source, to: root)
                if let relative, exclusions.excludes(relative) { continue }
                if archive_read_disk_can_descend(disk) != 0 { archive_read_disk_descend(disk) }
                guard let relative else {
                    // Only the root itself (when packing all of it) has no path inside the tarball.
                    guard Self.standardized(source) == Self.standardized(root) else {
                        throw Problem(origin: source, reason: "outside the folder being packed (\(root))")
                    }
                    continue
                }
                archive_entry_copy_pathname(entry, archive_entry_filetype(entry) == S_IFDIR ? relative + "/" : relative)
                try visit(entry, disk, (root as NSString).appendingPathComponent(relative))
            }
            archive_read_close(disk)
        }
    }

    private func checkRoot() throws(Problem) {
        var status = stat()
        guard stat(root, &status) == 0 else { throw Problem(origin: root, reason: "cannot open: \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw Problem(origin: root, reason: "not a folder") }
        for member in members {
            let path = (root as NSString).appendingPathComponent(member)
            guard lstat(path, &status) == 0 else {
                throw Problem(origin: path, reason: "missing: expected the node's \(member)/ folder here (is this the right data dir?)")
            }
        }
    }

    /// `path` relative to `root`; nil for the root itself.
    private static func relative(_ path: String, to root: String) -> String? {
        let base = standardized(root)
        guard path.count > base.count, path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }

    /// Without trailing slashes, as libarchive spells the paths it walks from it.
    private static func standardized(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// libarchive's message, with the system's reason when it left it out ("Couldn't open X").
    private static func message(_ archive: OpaquePointer) -> String {
        let code = archive_errno(archive)
        let reason = code > 0 ? String(cString: strerror(code)) : nil
        guard let text = archive_error_string(archive).map({ String(cString: $0) }) else { return reason ?? "unknown error" }
        guard let reason, !text.contains(reason) else { return text }
        return text.hasPrefix("Couldn't open") ? reason : "\(text): \(reason)"
    }

    /// The tar writer's output and a failure from it, reachable from libarchive's C callback.
    private final class OutputBox {
        let output: (UnsafeRawBufferPointer) throws(Problem) -> Void
        var failure: Problem?
        init(_ output: @escaping (UnsafeRawBufferPointer) throws(Problem) -> Void) { self.output = output }
    }
}
