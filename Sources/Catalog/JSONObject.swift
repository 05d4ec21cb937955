/// A JSON object's members, kept sorted by name (UTF-8 byte order) and unique.
///
/// Sorted members make output canonical for free and cost far less than a dictionary for the dozen
/// members of an artifact: one allocation, no hashing, a short linear scan to look a name up.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public let name: String
        public var value: JSONValue
    }

    public private(set) var members: [Member]

    public init() {
        members = []
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = []
        for (name, value) in elements { self[name] = value }
    }

    /// Members in any order; nil when a name appears twice (that name is in `duplicate`).
    init(unsorted: [Member], duplicate: inout String?) {
        members = unsorted
        if !zip(members, members.dropFirst()).allSatisfy({ Self.precedes($0.name, $1.name) }) {
            members.sort { Self.precedes($0.name, $1.name) }
            for (left, right) in zip(members, members.dropFirst()) where left.name == right.name {
                duplicate = left.name
                return
            }
        }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var names: [String] { members.map(\.name) }

    public subscript(name: String) -> JSONValue? {
        get { members.first { $0.name == name }?.value }
        set {
            let index = members.firstIndex { !Self.precedes($0.name, name) } ?? members.endIndex
            let exists = index < members.endIndex && members[index].name == name
            switch (newValue, exists) {
            case (let value?, true): members[index].value = value
            case (let value?, false): members.insert(Member(name: name, value: value), at: index)
            case (nil, true): members.remove(at: index)
            case (nil, false): break
            }
        }
    }

    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
