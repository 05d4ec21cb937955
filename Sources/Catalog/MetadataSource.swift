import Foundation

/// A message about one input: a rejected file, or a correction made while reading it.
public struct InputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, `file[index]` for a catalog entry, or the folder.
    public let origin: String
    public let reason: String

    public init(origin: String, reason: String) {
        self.origin = origin
        self.reason = reason
    }

    public var description: String { "\(origin): \(reason)" }
}

/// What one input path turned out to hold.
public enum MetadataSource: Sendable {
    /// A folder of per-artifact `*.json` files.
    case folder(String)
    /// A JSON file: a catalog (array, e.g. base.json) or one artifact (object).
    case file(String)

    /// Folder or file, by looking at the path; nil when there is nothing there.
    public init?(path: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        self = isDirectory.boolValue ? .folder(path) : .file(path)
    }
}

/// An artifact with its origin and the corrections made to it.
public struct LoadedArtifact: Sendable {
    public let artifact: Artifact
    public let origin: String
    public let warnings: [InputProblem]
}

/// The contents of a JSON file given as a source.
public enum LoadedFile: Sendable {
    /// A catalog: every entry, valid or not (a caller that must not drop entries decides what to do).
    case catalog([Result<LoadedArtifact, InputProblem>])
    case artifact(LoadedArtifact)
}

/// Reading and validating metadata files: the only way artifacts enter shots.
public enum MetadataLoader {
    /// Reads one per-artifact `*.json`, refusing it with a one-line reason.
    public static func loadArtifact(at path: String) -> Result<LoadedArtifact, InputProblem> {
        Result { () throws(InputProblem) in
            let data: Data
            do throws(MetadataReadError) { data = try MetadataFile.read(path, limit: MetadataFile.artifactSizeLimit) } catch {
                throw InputProblem(origin: path, reason: error.problem)
            }
            return try validate(try parse(data, origin: path), origin: path)
        }
    }

    /// Reads a JSON file that is either a catalog (array) or a single artifact (object).
    public static func loadFile(at path: String) throws(InputProblem) -> LoadedFile {
        let data: Data
        do throws(MetadataReadError) { data = try MetadataFile.read(path, limit: MetadataFile.catalogSizeLimit) } catch {
            throw InputProblem(origin: path, reason: error.problem)
        }
        // An empty base.json is how the reference pipeline starts a new bucket.
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return .catalog([]) }
        let entries: [Result<LoadedArtifact, InputProblem>]?
        do {
            entries = try JSONParser.parseArray(data) { position, entry in
                Result { () throws(InputProblem) in try validate(entry, origin: "\(path)[\(position)]") }
            }
        } catch {
            throw InputProblem(origin: path, reason: error.description)
        }
        guard let entries else { return .artifact(try validate(try parse(data, origin: path), origin: path)) }
        return .catalog(entries)
    }

    private static func parse(_ data: Data, origin: String) throws(InputProblem) -> JSONValue {
        do { return try JSONParser.parse(data) } catch { throw InputProblem(origin: origin, reason: error.description) }
    }

    private static func validate(_ value: JSONValue, origin: String) throws(InputProblem) -> LoadedArtifact {
        do {
            let validated = try Artifact.validated(value)
            return LoadedArtifact(
                artifact: validated.artifact, origin: origin,
                warnings: validated.warnings.map { InputProblem(origin: origin, reason: $0) })
        } catch {
            throw InputProblem(origin: origin, reason: error.description)
        }
    }
}
