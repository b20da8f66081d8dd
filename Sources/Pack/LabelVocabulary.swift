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

/// The label texts of the images written so far, a class number each in
/// the order the texts were first seen (four bytes an image, where keeping
/// every text cost one string an image), decided into a vocabulary at the end.
public struct LabelCollector: Sendable {
    /// Each image's text as the number of its first appearance.
    private var ids: [Int32] = []
    /// The distinct texts (nil or empty counts as missing) and their images.
    private var texts: [String] = []
    private var idOf: [String: Int32] = [:]
    private var counts: [Int] = []
    private var missing = 0

    /// An empty collector.
    public init() {}

    /// Images collected.
    public var count: Int { ids.count }

    /// Adds one image's label text.
    public mutating func append(_ text: String?) {
        let key = text ?? ""
        if key.isEmpty { missing += 1 }
        let id: Int32
        if let known = idOf[key] {
            id = known
        } else {
            id = Int32(texts.count)
            idOf[key] = id
            texts.append(key)
            counts.append(0)
        }
        counts[Int(id)] += 1
        ids.append(id)
    }

    /// What `LabelVocabulary.decide` makes of the texts collected, in order.
    public func decide(maxClasses: Int, what: String) -> LabelVocabulary {
        guard missing == 0 else { return .none(reason: "\(missing) of \(ids.count) images have no \(what)") }
        guard texts.count <= maxClasses else {
            return .none(reason: "\(texts.count) distinct \(what), more than --max-classes \(maxClasses): free text, not classes")
        }
        let singletons = counts.count { $0 == 1 }
        guard texts.count < 2 || singletons * 2 <= texts.count else {
            return .none(reason: "\(singletons) of \(texts.count) distinct \(what) hold a single image: free text, not classes")
        }
        return labels(names: texts.sorted())
    }

    /// The images' indices into `names`, which must hold every text collected.
    public func labels(names: [String]) -> LabelVocabulary {
        let position = Dictionary(names.enumerated().map { ($0.element, Int32($0.offset)) }) { first, _ in first }
        let remap = texts.map { text in
            guard let i = position[text] else { preconditionFailure("label \(text) is not one of the label names") }
            return i
        }
        return .labels(names: names, indices: ids.map { remap[Int($0)] })
    }
}
