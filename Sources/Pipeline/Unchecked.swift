/// A value handed to another thread that is known not to be shared while it is used there.
struct Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
