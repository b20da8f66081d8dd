import ArgumentParser
import DatasetFile
import Pack
import GAN
import Imaging
import Records

// The libraries' option types, read from the command line. Enums list their
// choices in --help (allValueStrings); a size and a channel count parse
// with a message that says what was wrong (`OptionParsers`).

extension ResizeMode: ExpressibleByArgument {}
extension ChannelOrder: ExpressibleByArgument {}
extension DatasetFormat: ExpressibleByArgument {}
extension GANArchitecture: ExpressibleByArgument {}
extension ClassBalance: ExpressibleByArgument {}
extension RecordsFormat: ExpressibleByArgument {}

extension DatasetCompression: ExpressibleByArgument {
    /// Parses the option's value.
    public init?(argument: String) { self.init(parsing: argument) }
    /// The spellings --help lists.
    public static var allValueStrings: [String] { allSpellings }
    /// The default as --help shows it.
    public var defaultValueDescription: String { description }
}

extension Dedup: ExpressibleByArgument {
    /// Parses the option's value.
    public init?(argument: String) { self.init(parsing: argument) }
    /// The spellings --help lists.
    public static var allValueStrings: [String] { ["exact", "near", "near:BITS"] }
}

extension LabelSource: ExpressibleByArgument {
    /// Parses the option's value.
    public init?(argument: String) { self.init(parsing: argument) }
    /// The spellings --help lists.
    public static var allValueStrings: [String] { ["description", "field:NAME", "none"] }
    /// The default as --help shows it.
    public var defaultValueDescription: String { description }
}

/// Transforms for options whose refusal should say why.
enum OptionParsers {
    static func size(_ text: String) throws -> ImageSize {
        do { return try ImageSize(parsing: text) } catch { throw ValidationError("--size \(error.description)") }
    }

    static func channels(_ text: String) throws -> Int {
        guard let channels = Int(text), channels == 1 || channels == 3 else { throw ValidationError("--channels must be 1 or 3, got \(text)") }
        return channels
    }
}
