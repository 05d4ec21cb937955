import Infrastructure
import Foundation

/// What a job tells the daemon it made, in the JSON file `$SHOTS_JOB_REPORT` names: `shots
/// publish` writes it itself; a job script of its own may too (`printf '{"artifact": ...}'`).
/// Every field is optional: a job that reports nothing is still done or failed by its exit status.
public struct JobReport: Sendable, Equatable {
    /// The variable the daemon sets to the report's path (a file in a folder made for the job).
    public static let environmentVariable = "SHOTS_JOB_REPORT"

    /// The artifact's file name, recorded as the snapshot's `snapshot_name`.
    public var artifact: String?
    /// The network (Tezos) or chain (Polkadot, Kusama) it was published to.
    public var network: String?
    /// The block the artifact holds (a tarball of a live data dir: at or above the requested one).
    public var capturedHeight: Int64?
    /// Bytes written to the stores: the artifact, its companions, catalogs, pages, permalinks.
    public var uploadedBytes: Int64?

    public init(artifact: String? = nil, network: String? = nil, capturedHeight: Int64? = nil, uploadedBytes: Int64? = nil) {
        (self.artifact, self.network, self.capturedHeight, self.uploadedBytes) = (artifact, network, capturedHeight, uploadedBytes)
    }

    private enum Field: String { case artifact, network, capturedHeight = "captured_block_num", uploadedBytes = "uploaded_bytes" }

    public func encoded() -> Data {
        var members: [(String, JSONValue)] = []
        if let artifact { members.append((Field.artifact.rawValue, .string(artifact))) }
        if let capturedHeight { members.append((Field.capturedHeight.rawValue, .integer(capturedHeight))) }
        if let network { members.append((Field.network.rawValue, .string(network))) }
        if let uploadedBytes { members.append((Field.uploadedBytes.rawValue, .integer(uploadedBytes))) }
        return JSONWriter().data(.object(JSONObject(members)))
    }

    /// The report at `path`: nil when the job wrote none; a problem naming the field when it is
    /// not what is expected (the snapshot's outcome still stands).
    public static func read(_ path: String) throws(Problem) -> JobReport? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        let origin = "$\(environmentVariable)"
        guard data.count <= 64 << 10 else { throw Problem(origin: origin, reason: "over 64 KiB: expected a small JSON object") }
        let value: JSONValue
        do throws(JSONSyntaxError) { value = try JSONParser.parse(data) } catch { throw Problem(origin: origin, reason: "not JSON: \(error)") }
        guard case .object = value else { throw Problem(origin: origin, reason: "expected a JSON object, found \(value.kindDescription)") }
        func text(_ field: Field) throws(Problem) -> String? {
            switch value[field.rawValue] {
            case nil, .null?: return nil
            case .string(let text)? where !text.isEmpty && text.count <= 255 && !text.contains(where: \.isNewline): return text
            case let other?: throw Problem(origin: "\(origin) \(field.rawValue)", reason: "expected one line of text, found \(other.kindDescription)")
            }
        }
        func count(_ field: Field) throws(Problem) -> Int64? {
            switch value[field.rawValue] {
            case nil, .null?: return nil
            case .integer(let number)? where number >= 0: return number
            case let other?: throw Problem(origin: "\(origin) \(field.rawValue)", reason: "expected a whole number, 0 or more, found \(other.kindDescription)")
            }
        }
        return JobReport(artifact: try text(.artifact), network: try text(.network), capturedHeight: try count(.capturedHeight),
                         uploadedBytes: try count(.uploadedBytes))
    }
}
