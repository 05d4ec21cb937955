/// Read-only view-model values shared by the rendering threads. Mustache reads `[String: Any]`,
/// which Swift cannot prove Sendable; nothing writes to them once built.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
