/// The rule every list of class names obeys (`/label_names`, a checkpoint's
/// and a classifier's): no empty name, and no name twice, so that a class
/// is found by its name and `--label NAME` means one class.
public enum ClassNames {
    /// What is wrong with `names`, or nil when they can name classes.
    public static func problem(_ names: [String]) -> String? {
        if let empty = names.firstIndex(of: "") { return "class \(empty) has an empty name" }
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        let repeated = names.filter { counts[$0]! > 1 }
        guard !repeated.isEmpty else { return nil }
        var shown = Set<String>()
        let list = repeated.filter { shown.insert($0).inserted }.prefix(5).map { "\"\($0)\" (\(counts[$0]!) times)" }
        return "class names are repeated: " + list.joined(separator: ", ")
    }
}
