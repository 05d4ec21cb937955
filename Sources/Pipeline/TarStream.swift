import CArchive
import Catalog
import Infrastructure
import Foundation

/// A folder written as a GNU tar stream by libarchive: long paths, files over 8 GiB, permissions,
/// owners and modification times as GNU tar writes them; names and link targets byte for byte,
/// UTF-8 or not; symbolic links kept as links, never followed (so a link out of the tree or a
/// loop stores a link, nothing more); a file's further hard links as tar hard links to the first
/// of its names packed.
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

    /// Visits every entry to pack, depth first, with its tar path set (the bytes the file system
    /// gave) and, for a file's second and later names, a hard link to its first with no body;
    /// excluded entries are skipped (never a link's target), excluded folders not entered, and
    /// sockets left out as GNU tar does. `visit` is also given the path as messages show it.
    private func walk(_ visit: (OpaquePointer, OpaquePointer, String) throws(Problem) -> Void) throws(Problem) {
        try checkRoot()
        guard let disk = archive_read_disk_new(), let entry = archive_entry_new(), let links = archive_entry_linkresolver_new() else {
            throw Problem(origin: root, reason: "libarchive: out of memory")
        }
        defer {
            archive_entry_linkresolver_free(links)
            archive_entry_free(entry)
            archive_read_free(disk)
        }
        archive_entry_linkresolver_set_strategy(links, ARCHIVE_FORMAT_TAR_GNUTAR)
        // Links inside the tree are stored as links; the starting folders themselves may be links
        // (a volume mounted through one), as with `tar -H`.
        archive_read_disk_set_symlink_hybrid(disk)
        archive_read_disk_set_standard_lookup(disk)
        // Like GNU tar's defaults: no extended attributes, ACLs, file flags or sparse files; files are
        // opened only when their data is read.
        archive_read_disk_set_behavior(
            disk, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL | ARCHIVE_READDISK_NO_FFLAGS | ARCHIVE_READDISK_NO_SPARSE)
        let base = Self.standardized(Array(root.utf8))
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
                let source = archive_entry_sourcepath(entry).map { [UInt8](cString: $0) } ?? Array(startPath.utf8)
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                    throw Problem(origin: source.shownAsPath, reason: "cannot read: \(Self.message(disk))")
                }
                let relative = Self.relative(source, to: base)
                if let relative, exclusions.excludes(bytes: relative) { continue }
                if archive_read_disk_can_descend(disk) != 0 { archive_read_disk_descend(disk) }
                guard let relative else {
                    // Only the root itself (when packing all of it) has no path inside the tarball.
                    guard Self.standardized(source) == base else {
                        throw Problem(origin: source.shownAsPath, reason: "outside the folder being packed (\(root))")
                    }
                    continue
                }
                let type = archive_entry_filetype(entry)
                if type == S_IFSOCK { continue }
                (type == S_IFDIR ? relative + [UInt8(ascii: "/")] : relative).withPathCString { archive_entry_copy_pathname(entry, $0) }
                var linked: OpaquePointer? = entry
                var spare: OpaquePointer?
                archive_entry_linkify(links, &linked, &spare)  // with the tar strategy, `entry` itself, changed or not
                try visit(entry, disk, source.shownAsPath)
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

    /// `path` relative to `base`; nil for the base itself or a path outside it.
    private static func relative(_ path: [UInt8], to base: [UInt8]) -> [UInt8]? {
        guard path.count > base.count + 1, path.starts(with: base), path[base.count] == UInt8(ascii: "/") else { return nil }
        return Array(path[(base.count + 1)...])
    }

    /// Without trailing slashes, as libarchive spells the paths it walks from it.
    private static func standardized(_ path: [UInt8]) -> [UInt8] {
        var path = path
        while path.count > 1, path.last == UInt8(ascii: "/") { path.removeLast() }
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
