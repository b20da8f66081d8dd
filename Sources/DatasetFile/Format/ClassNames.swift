/// The rule every list of class names obeys (`/label_names`, a checkpoint's
/// and a classifier's): no empty name, and no name twice, so that a class
/// is found by its name and `--label NAME` means one class.
public enum ClassNames {
    /// What is wrong with `names`, or nil when they can name classes.
    public static func problem(_ names: [String]) -> ClassNamesProblem? {
        if let empty = names.firstIndex(of: "") { return .emptyName(index: empty) }
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        let repeated = names.filter { counts[$0]! > 1 }
        guard !repeated.isEmpty else { return nil }
        var shown = Set<String>()
        return .repeated(repeated.filter { shown.insert($0).inserted }.map { ClassNamesProblem.Repeat(name: $0, times: counts[$0]!) })
    }
}

/// Why a list of names cannot name classes.
public enum ClassNamesProblem: Equatable, Sendable, CustomStringConvertible {
    /// A name used by more than one class, and how often.
    public struct Repeat: Equatable, Sendable {
        /// The repeated name.
        public let name: String
        /// How many classes carry it.
        public let times: Int
    }

    /// Class `index` has the empty name.
    case emptyName(index: Int)
    /// Names carried by more than one class, in first-seen order.
    case repeated([Repeat])

    /// The rule broken, with the first five repeated names.
    public var description: String {
        switch self {
        case let .emptyName(index): return "class \(index) has an empty name"
        case let .repeated(names):
            return "class names are repeated: " + names.prefix(5).map { "\"\($0.name)\" (\($0.times) times)" }.joined(separator: ", ")
        }
    }
}
