/// The processes of a data-parallel run, each holding a replica of the
/// same model and a share of every global mini-batch (`Distributed`'s MPI
/// group, for one). Every member must make the same calls in the same
/// order: they are collective.
public protocol ReplicaGroup: AnyObject {
    /// This process, from 0.
    var rank: Int { get }
    /// Processes in the group.
    var size: Int { get }
    /// Replaces `values` by their element-wise sum over the group; every
    /// member gets the same bits.
    func sum(_ values: UnsafeMutableBufferPointer<Float>)
    func sum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Replaces `values` on every member by those of member `root`.
    func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int)
    /// Every member's `bytes`, in rank order (each member gives the same count).
    func gather(_ bytes: [UInt8]) -> [[UInt8]]
    /// The first collective call that failed, in the transport's words; nil
    /// while all went well. A failed call leaves its buffer as it was: the
    /// caller checks this after each step and stops the run.
    var failure: String? { get }
}

extension ReplicaGroup {
    /// A group whose calls cannot fail (in one process) never has a failure.
    public var failure: String? { nil }
}
