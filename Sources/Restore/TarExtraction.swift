import CArchive
import Infrastructure
import Foundation

/// A tar stream extracted by libarchive into a folder, entry by entry as its bytes arrive. Every
/// entry passes `EntryPolicy` first, and libarchive's own guards (no writing through a symbolic
/// link, no `..`) stay on; owners are not restored, and set-user-id bits are dropped.
enum TarExtraction {
    struct Summary {
        var entries = 0
        /// Bytes of regular files written.
        var fileBytes: Int64 = 0
    }

    /// Extracts the stream `source` gives into `folder` (an existing folder, its path free of
    /// symbolic links); `written` hears the file bytes written so far.
    static func extract(from source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?, into folder: String,
                        origin: String, written: (Int64) -> Void) throws(Problem) -> Summary {
        let input = SourceBox(source)
        guard let reader = archive_read_new(), let writer = archive_write_disk_new() else {
            throw Problem(origin: origin, reason: "libarchive: out of memory")
        }
        defer {
            archive_read_free(reader)
            archive_write_free(writer)
            withExtendedLifetime(input) {}
        }
        archive_read_support_format_tar(reader)
        archive_read_support_filter_none(reader)
        archive_write_disk_set_options(writer, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT
                                       | ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_CLEAR_NOCHANGE_FFLAGS)
        let opened = archive_read_open(reader, Unmanaged.passUnretained(input).toOpaque(), nil, { _, client, buffer in
            let input = Unmanaged<SourceBox>.fromOpaque(client!).takeUnretainedValue()
            do throws(Problem) {
                guard let bytes = try input.source() else { return 0 }
                buffer?.pointee = bytes.baseAddress.map(UnsafeRawPointer.init)
                return la_ssize_t(bytes.count)
            } catch {
                input.failure = error
                return -1
            }
        }, nil)
        guard opened == ARCHIVE_OK else { throw input.failure ?? Problem(origin: origin, reason: "not a tar stream: \(message(reader))") }

        var summary = Summary()
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw input.failure ?? Problem(origin: origin, reason: "not a valid tar stream after \(summary.entries) entries: \(message(reader))")
            }
            guard let rawPath = archive_entry_pathname(entry) else { throw Problem(origin: origin, reason: "an entry without a path") }
            let path = String(cString: rawPath)
            try EntryPolicy.check(path: path, kind: kind(of: entry))
            (folder + "/" + path).withCString { archive_entry_copy_pathname(entry, $0) }
            if let target = archive_entry_hardlink(entry) {
                (folder + "/" + String(cString: target)).withCString { archive_entry_copy_hardlink(entry, $0) }
            }
            archive_entry_set_perm(entry, archive_entry_perm(entry) & 0o777)
            guard archive_write_header(writer, entry) >= ARCHIVE_WARN else {
                throw Problem(origin: "tar entry \(Problem.quoted(path))", reason: "cannot extract: \(message(writer))")
            }
            summary.entries += 1
            if archive_entry_filetype(entry) == S_IFREG {
                try copyData(reader, writer, path: path, input: input, origin: origin, summary: &summary, written: written)
            }
            guard archive_write_finish_entry(writer) >= ARCHIVE_WARN else {
                throw Problem(origin: "tar entry \(Problem.quoted(path))", reason: "cannot finish writing: \(message(writer))")
            }
        }
        if let failure = input.failure { throw failure }
        guard archive_write_close(writer) >= ARCHIVE_WARN else { throw Problem(origin: folder, reason: "cannot finish the extraction: \(message(writer))") }
        return summary
    }

    private static func copyData(_ reader: OpaquePointer, _ writer: OpaquePointer, path: String, input: SourceBox, origin: String,
                                 summary: inout Summary, written: (Int64) -> Void) throws(Problem) {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(reader, &block, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN else {
                throw input.failure ?? Problem(origin: origin, reason: "the tar stream breaks off in \(Problem.quoted(path)): \(message(reader))")
            }
            guard archive_write_data_block(writer, block, size, offset) >= ARCHIVE_WARN else {
                throw Problem(origin: "tar entry \(Problem.quoted(path))", reason: "cannot write: \(message(writer))")
            }
            summary.fileBytes += Int64(size)
            written(summary.fileBytes)
        }
    }

    private static func kind(of entry: OpaquePointer) -> EntryPolicy.Kind {
        if let target = archive_entry_hardlink(entry) { return .hardlink(target: String(cString: target)) }
        switch archive_entry_filetype(entry) {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symlink(target: archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
        case S_IFCHR: return .other("character device")
        case S_IFBLK: return .other("block device")
        case S_IFIFO: return .other("FIFO")
        case S_IFSOCK: return .other("socket")
        default: return .other("file of unknown type")
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// The source, and the error it raised, reached from libarchive's C callback.
    private final class SourceBox {
        let source: () throws(Problem) -> UnsafeRawBufferPointer?
        var failure: Problem?
        init(_ source: @escaping () throws(Problem) -> UnsafeRawBufferPointer?) { self.source = source }
    }
}
