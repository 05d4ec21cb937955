/// A value handed to other threads that Swift cannot prove Sendable (Mustache's `[String: Any]`
/// view models, C-library settings), and that nothing changes while they use it.
public struct Unchecked<Value>: @unchecked Sendable {
    public var value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}
