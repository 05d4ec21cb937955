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

    /// Many members at once, in any order (sorted once, rather than inserted one by one); a later
    /// member replaces an earlier one of the same name.
    public init(_ pairs: [(String, JSONValue)]) {
        var duplicate: String?
        var unique: [String: Int] = [:]
        var members: [Member] = []
        for (name, value) in pairs {
            if let position = unique[name] { members[position].value = value } else {
                unique[name] = members.count
                members.append(Member(name: name, value: value))
            }
        }
        self.init(unsorted: members, duplicate: &duplicate)
    }

    /// Members in any order; a name that appears twice is reported in `duplicate`.
    init(unsorted: [Member], duplicate: inout String?) {
        members = unsorted
        if !zip(members, members.dropFirst()).allSatisfy({ Self.precedes($0.name, $1.name) }) {
            members.sort { Self.precedes($0.name, $1.name) }
            for (left, right) in zip(members, members.dropFirst()) where Self.same(left.name, right.name) {
                duplicate = left.name
                return
            }
        }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public subscript(name: String) -> JSONValue? {
        get { members.first { Self.same($0.name, name) }?.value }
        set {
            let index = members.firstIndex { !Self.precedes($0.name, name) } ?? members.endIndex
            let exists = index < members.endIndex && Self.same(members[index].name, name)
            switch (newValue, exists) {
            case (let value?, true): members[index].value = value
            case (let value?, false): members.insert(Member(name: name, value: value), at: index)
            case (nil, true): members.remove(at: index)
            case (nil, false): break
            }
        }
    }

    /// Names are compared as bytes, as JSON defines them: Swift's `==` would also equate
    /// canonically equivalent Unicode ("é" and "e\u{301}"), which sorting by bytes does not.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
