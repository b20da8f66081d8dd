/// The classes of a packed dataset, decided from the label texts of the
/// images written: sorted distinct names and each image's index into them,
/// or no labels with the reason when the texts are free text rather than
/// classes (too many distinct values, most classes holding one image) or
/// some images have none.
public enum LabelVocabulary: Sendable, Equatable {
    case labels(names: [String], indices: [Int32])
    case none(reason: String)

    /// The largest class count `pack` accepts by default (`--max-classes`).
    public static let defaultMaxClasses = 1000

    /// - Parameters:
    ///   - texts: one label text per image, in file order (nil: the image has none).
    ///   - what: what the texts are, for the reason ("descriptions", "field style").
    public static func decide(_ texts: [String?], maxClasses: Int, what: String) -> LabelVocabulary {
        let missing = texts.filter { $0 == nil || $0!.isEmpty }.count
        guard missing == 0 else {
            return .none(reason: "\(missing) of \(texts.count) images have no \(what)")
        }
        var counts: [String: Int] = [:]
        for case let text? in texts { counts[text, default: 0] += 1 }
        guard counts.count <= maxClasses else {
            return .none(reason: "\(counts.count) distinct \(what), more than --max-classes \(maxClasses): free text, not classes")
        }
        let singletons = counts.values.filter { $0 == 1 }.count
        guard counts.count < 2 || singletons * 2 <= counts.count else {
            return .none(reason: "\(singletons) of \(counts.count) distinct \(what) hold a single image: free text, not classes")
        }
        let names = counts.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, Int32($0.offset)) })
        return .labels(names: names, indices: texts.map { index[$0 ?? ""] ?? 0 })
    }
}
