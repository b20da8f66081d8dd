/// Where `pack` takes each image's class label from: the record's
/// description (a plain folder: the sub-folder an image is in), one of the
/// record's other fields, or nowhere. Written `description`, `field:NAME` or
/// `none` on the command line and in the `label_source` attribute.
public enum LabelSource: Sendable, Hashable, CustomStringConvertible {
    case description
    case field(String)
    case none
    /// What `.description` becomes for a plain folder: the sub-folder's name.
    case folder

    /// Parses a spelling of the command line; nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "description": self = .description
        case "none": self = .none
        default:
            guard text.hasPrefix("field:"), text.count > 6 else { return nil }
            self = .field(String(text.dropFirst(6)))
        }
    }

    /// The option's spelling ("description", "field:NAME", "none", "folder").
    public var description: String {
        switch self {
        case .description: return "description"
        case let .field(name): return "field:\(name)"
        case .none: return "none"
        case .folder: return "folder"
        }
    }

    /// What the label texts are, for messages.
    public var what: String {
        switch self {
        case .description: return "descriptions"
        case let .field(name): return "values of field \(name)"
        case .none: return "labels"
        case .folder: return "sub-folders"
        }
    }
}
