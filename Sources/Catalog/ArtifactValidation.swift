import Infrastructure

/// Why a metadata object is not a valid artifact: the field path and what was expected there.
public struct ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path of the offending field (`tezos_version.version.major`), nil for the object itself.
    public let field: String?
    public let problem: String

    public init(field: String?, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { field.map { "\($0): \(problem)" } ?? problem }
}

extension Artifact {
    /// The result of validation: the artifact, plus what was corrected on the way in.
    public struct Validated: Sendable {
        public let artifact: Artifact
        public let warnings: [String]
    }

    /// The one gate every metadata object passes before shots uses it: checks every field of
    /// ARCHITECTURE.md for presence, type and form, and rejects anything a page or a client could
    /// misread (markup in names, path tricks in `filename`, non-HTTP or credential-bearing `url`).
    public static func validated(_ value: JSONValue) throws(ArtifactError) -> Validated {
        guard case .object(var json) = value else {
            throw ArtifactError(field: nil, problem: "expected a JSON object (one artifact), found \(value.kindDescription)")
        }
        let fields = FieldReader(fields: json, path: "")

        let filename = try fields.string("filename", matching: .filename)
        let url = try fields.string("url", matching: nil)
        try checkURL(url, names: filename)
        let blockHash = try fields.string("block_hash", matching: .blockHash)
        let blockHeight = try fields.integer("block_height")
        let timestampText = try fields.string("block_timestamp", matching: .text)
        guard let blockTimestamp = BlockTimestamp(timestampText) else {
            throw fields.error("block_timestamp", "expected an ISO 8601 UTC time like 2024-03-01T12:00:05Z, found \(preview(.string(timestampText)))")
        }
        let sha256 = try fields.string("sha256", matching: .sha256)
        let filesizeBytes = try fields.integer("filesize_bytes")
        let statedFilesize = try fields.string("filesize", matching: .text)
        let chainName = try fields.string("chain_name", matching: .chainName)
        let historyMode = try fields.enumeration("history_mode", HistoryMode.self)
        let artifactType = try fields.enumeration("artifact_type", ArtifactType.self)
        let tezosVersion = try tezosVersion(fields.object("tezos_version"))

        var snapshotVersion: Int64?
        if json["snapshot_version"] != nil {
            guard artifactType == .tezosSnapshot else {
                throw fields.error("snapshot_version", "only a tezos-snapshot has a snapshot format version, this is a \(artifactType.rawValue)")
            }
            snapshotVersion = try fields.integer("snapshot_version")
        }
        var compression = Compression.lz4
        if json[Compression.metadataField] != nil {
            compression = try fields.enumeration(Compression.metadataField, Compression.self)
            guard artifactType == .tarball || compression == .lz4 else {
                throw fields.error(Compression.metadataField, "only a tarball is compressed by shots, this is a \(artifactType.rawValue)")
            }
        }
        // The name and the field agree, so a zstd tarball is never taken for LZ4 (and offered to
        // `lz4 -d`) by metadata that left the field out.
        let zstdSuffix = "." + Compression.zstd.fileExtension
        if artifactType == .tarball, filename.hasSuffix(zstdSuffix) != (compression == .zstd) {
            throw compression == .zstd
                ? fields.error("filename", "a zstd tarball's name ends in \(zstdSuffix), found \(Problem.quoted(filename))")
                : fields.error(Compression.metadataField, "a tarball named *\(zstdSuffix) must say \"compression\": \"zstd\"")
        }

        try checkNoCredentials(in: json)

        let (filesize, warning) = FileSize.corrected(stated: statedFilesize, bytes: filesizeBytes)
        let warnings = [warning].compactMap { $0 }
        if warning != nil { json["filesize"] = .string(filesize) }

        let artifact = Artifact(
            json: json, filename: filename, url: url, sha256: sha256, chainName: chainName,
            historyMode: historyMode, artifactType: artifactType, blockHash: blockHash,
            blockHeight: blockHeight, blockTimestamp: blockTimestamp, filesizeBytes: filesizeBytes,
            filesize: filesize, tezosVersion: tezosVersion, snapshotVersion: snapshotVersion, compression: compression)
        return Validated(artifact: artifact, warnings: warnings)
    }

    private static func tezosVersion(_ fields: FieldReader) throws(ArtifactError) -> TezosVersion {
        let version = try fields.object("version")
        let commit = try fields.object("commit_info")
        guard let rawInfo = version.fields["additional_info"] else { throw version.error("additional_info", "is missing") }
        guard let additionalInfo = TezosVersion.AdditionalInfo(rawInfo) else {
            throw version.error("additional_info", "expected \"release\", a word like \"dev\", or an object like {\"rc\": 2}, found \(preview(rawInfo))")
        }
        return TezosVersion(
            implementation: try fields.string("implementation", matching: .word),
            major: try version.integer("major"),
            minor: try version.integer("minor"),
            additionalInfo: additionalInfo,
            commitHash: try commit.string("commit_hash", matching: .commitHash),
            commitDate: try commit.string("commit_date", matching: .text))
    }

    /// No value anywhere in the metadata, unknown fields included (they are published in
    /// tezos-snapshots.json as they are), may be a URL carrying credentials or a signature.
    static func checkNoCredentials(in json: JSONObject) throws(ArtifactError) {
        func check(_ value: JSONValue, _ path: String) throws(ArtifactError) {
            switch value {
            case .string(let text):
                if let secret = URLSecrets.secretPart(inText: text) {
                    throw ArtifactError(field: path, problem: "must not hold a URL with \(secret); metadata is published as it is")
                }
            case .object(let object): for member in object.members { try check(member.value, path + "." + member.name) }
            case .array(let elements): for (index, element) in elements.enumerated() { try check(element, path + "[\(index)]") }
            default: break
            }
        }
        for member in json.members where member.name != "url" { try check(member.value, member.name) }
    }

    /// `url` must be plain http(s) without credentials or query (a presigned URL would publish its
    /// signature), and end in the artifact's own file name, so a download link can neither run
    /// script nor fetch some other file.
    static func checkURL(_ url: String, names filename: String) throws(ArtifactError) {
        let bytes = Array(url.utf8)
        let scheme = bytes.prefix { $0 != UInt8(ascii: ":") }.map { $0 | 0x20 }  // ASCII lowercase
        guard scheme == Array("https".utf8) || scheme == Array("http".utf8),
              bytes.dropFirst(scheme.count).starts(with: "://".utf8) else {
            throw ArtifactError(field: "url", problem: "expected an http:// or https:// URL, found \(preview(.string(url)))")
        }
        let afterScheme = bytes.dropFirst(scheme.count + 3)
        let authority = afterScheme.prefix { $0 != UInt8(ascii: "/") }
        guard !authority.isEmpty else {
            throw ArtifactError(field: "url", problem: "has no host: \(preview(.string(url)))")
        }
        guard !authority.contains(UInt8(ascii: "@")) else {
            throw ArtifactError(field: "url", problem: "must not carry credentials (user@host); it is published on the website")
        }
        guard !bytes.contains(UInt8(ascii: "?")), !bytes.contains(UInt8(ascii: "#")) else {
            throw ArtifactError(field: "url", problem: "must not carry a query or fragment (a presigned URL would publish its signature)")
        }
        guard TextForm.url.accepts(url) else {
            throw ArtifactError(field: "url", problem: "expected \(TextForm.url.expectation), found \(preview(.string(url)))")
        }
        let path = afterScheme.dropFirst(authority.count)
        let lastComponent = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? []
        guard lastComponent.elementsEqual(filename.utf8) else {
            throw ArtifactError(field: "url", problem: "must end in the artifact's filename \(Problem.quoted(filename)), found \(preview(.string(url)))")
        }
    }
}

/// Reads typed fields out of one JSON object, naming the full path of whatever is wrong.
struct FieldReader {
    let fields: JSONObject
    let path: String

    func error(_ name: String, _ problem: String) -> ArtifactError {
        ArtifactError(field: path + name, problem: problem)
    }

    private func required(_ name: String) throws(ArtifactError) -> JSONValue {
        guard let value = fields[name] else { throw error(name, "is missing") }
        return value
    }

    /// A string field; with a `form`, it must also have that shape.
    func string(_ name: String, matching form: TextForm?) throws(ArtifactError) -> String {
        let value = try required(name)
        guard case .string(let text) = value else { throw error(name, "expected a string, found \(preview(value))") }
        if let form, !form.accepts(text) { throw error(name, "expected \(form.expectation), found \(preview(value))") }
        return text
    }

    func integer(_ name: String) throws(ArtifactError) -> Int64 {
        let value = try required(name)
        guard case .integer(let number) = value, number >= 0 else {
            throw error(name, "expected a non-negative integer, found \(preview(value))")
        }
        return number
    }

    func enumeration<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws(ArtifactError) -> Value
    where Value.RawValue == String {
        let value = try required(name)
        guard case .string(let text) = value, let result = Value(rawValue: text) else {
            let choices = Value.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(name, "expected one of \(choices), found \(preview(value))")
        }
        return result
    }

    func object(_ name: String) throws(ArtifactError) -> FieldReader {
        let value = try required(name)
        guard case .object(let nested) = value else { throw error(name, "expected an object, found \(preview(value))") }
        return FieldReader(fields: nested, path: path + name + ".")
    }
}

/// A value as an error message shows it: its kind and, for scalars, the value (at most 60 characters of it).
func preview(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return "a string \(Problem.quoted(text))"
    case .integer(let number): return "the integer \(number)"
    case .number(let text): return "the number \(Problem.excerpt(text))"
    case .bool(let flag): return "the boolean \(flag)"
    default: return value.kindDescription
    }
}
