import Catalog
import Infrastructure
import Foundation

/// What a `DirectoryStore` keeps beside each object, as S3 keeps it with the object: its ETag
/// and the headers it was written with (a website redirect's target among them), stamped with
/// the object file's size and mtime so a file changed behind the store's back is recognised
/// (its ETag is then computed again, and its headers are the defaults for its name).
struct ObjectHeadersFile: Equatable {
    var etag: String
    var stamp: FileStamp
    var headers: ObjectHeaders

    var data: Data {
        var fields: [(String, JSONValue)] = [
            ("etag", .string(etag)), ("size", .integer(stamp.size)), ("modified_ns", .integer(stamp.modified)),
        ]
        let optional: [(String, String?)] = [
            ("content_type", headers.contentType), ("cache_control", headers.cacheControl), ("acl", headers.acl?.rawValue),
            ("website_redirect_location", headers.websiteRedirect),
        ]
        fields += optional.compactMap { name, value in value.map { (name, .string($0)) } }
        return JSONWriter().data(.object(JSONObject(fields)))
    }

    init(etag: String, stamp: FileStamp, headers: ObjectHeaders) {
        self.etag = etag
        self.stamp = stamp
        self.headers = headers
    }

    /// Nil for anything that is not a headers file shots wrote.
    init?(_ bytes: [UInt8]) {
        guard case .object(let object)? = try? JSONParser.parse(Data(bytes)),
              case .string(let etag)? = object["etag"], case .integer(let size)? = object["size"],
              case .integer(let modified)? = object["modified_ns"] else { return nil }
        func text(_ name: String) -> String? { if case .string(let value)? = object[name] { value } else { nil } }
        self.init(etag: etag, stamp: FileStamp(size: size, modified: modified),
                  headers: ObjectHeaders(contentType: text("content_type"), cacheControl: text("cache_control"),
                                         acl: text("acl").flatMap(CannedACL.init(rawValue:)), websiteRedirect: text("website_redirect_location")))
    }
}
