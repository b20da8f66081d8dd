/// Carries a value the compiler cannot prove Sendable (a raw pointer, a
/// closure over one) into concurrently running code, where the caller
/// guarantees that the tasks touch disjoint memory and that the value
/// outlives them. The one such wrapper of the code base: keep its uses few
/// and next to the `concurrentPerform` that needs them.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    /// The wrapped value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}
