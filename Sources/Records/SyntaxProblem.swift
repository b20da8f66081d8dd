/// What is malformed in a records file's text at a line and column (JSON,
/// JSON Lines or CSV): the payload of `JSONSyntaxError` and `RecordsError.syntax`.
public enum SyntaxProblem: Equatable, Sendable, CustomStringConvertible {
    /// Text after the one JSON value (JSON Lines) or after the array.
    case textAfterValue
    /// Text after the records array.
    case textAfterArray
    /// The file does not start with `[`.
    case notAnArray
    /// A `[` without its `]`.
    case unterminatedArray
    /// Records not separated by `,` or closed by `]`.
    case betweenRecords
    /// Values of an array not separated by `,` or closed by `]`.
    case betweenArrayValues
    /// Nesting deeper than `limit` levels.
    case tooDeep(limit: Int)
    /// The input ended inside a value.
    case unexpectedEnd
    /// A character no JSON value starts with.
    case unexpectedCharacter(Character)
    /// A misspelled `true`, `false` or `null`.
    case invalidLiteral(expected: String)
    /// An object key without quotes.
    case unquotedKey
    /// A key not followed by `:`.
    case missingColon(key: String)
    /// A `{` without its `}`.
    case unterminatedObject
    /// Members not separated by `,` or closed by `}`.
    case betweenMembers
    /// A malformed number (`text` when it was read whole).
    case invalidNumber(text: String?)
    /// No digits after a decimal point.
    case fractionDigits
    /// No digits in an exponent.
    case exponentDigits
    /// A `\u` escape cut short by the end of input.
    case truncatedEscape
    /// A `\u` escape that is not four hex digits or not a scalar.
    case invalidUnicodeEscape
    /// A string without its closing quote.
    case unterminatedString
    /// A string that is not UTF-8.
    case invalidUTF8
    /// A backslash at the end of input.
    case unterminatedEscape
    /// A high surrogate without its low half.
    case unpairedSurrogate
    /// A surrogate pair whose low half is not one.
    case invalidSurrogatePair
    /// A backslash before a character that is no escape.
    case invalidEscape(Character)
    /// A raw control character inside a string.
    case controlCharacter
    /// A CSV quoted field that never closes.
    case unterminatedQuotedField
    /// A CSV header without a `url` column; the columns it has.
    case noURLColumn(found: [String])

    /// The problem in words.
    public var description: String {
        switch self {
        case .textAfterValue: return "unexpected text after the JSON value"
        case .textAfterArray: return "unexpected text after the JSON array"
        case .notAnArray: return "expected a JSON array of records"
        case .unterminatedArray: return "unterminated array: missing ]"
        case .betweenRecords: return "expected , or ] between records"
        case .betweenArrayValues: return "expected , or ] in array"
        case let .tooDeep(limit): return "nesting deeper than \(limit) levels"
        case .unexpectedEnd: return "unexpected end of input"
        case let .unexpectedCharacter(c): return "unexpected character '\(c)'"
        case let .invalidLiteral(expected): return "invalid literal, expected \(expected)"
        case .unquotedKey: return "expected a quoted key"
        case let .missingColon(key): return "expected : after key \"\(key)\""
        case .unterminatedObject: return "unterminated object: missing }"
        case .betweenMembers: return "expected , or } in object"
        case let .invalidNumber(text): return text.map { "invalid number \($0)" } ?? "invalid number"
        case .fractionDigits: return "invalid number: digits expected after ."
        case .exponentDigits: return "invalid number: digits expected in exponent"
        case .truncatedEscape: return "truncated \\u escape"
        case .invalidUnicodeEscape: return "invalid \\u escape"
        case .unterminatedString: return "unterminated string"
        case .invalidUTF8: return "string is not valid UTF-8"
        case .unterminatedEscape: return "unterminated escape"
        case .unpairedSurrogate: return "unpaired surrogate in \\u escape"
        case .invalidSurrogatePair: return "invalid surrogate pair"
        case let .invalidEscape(c): return "invalid escape \\\(c)"
        case .controlCharacter: return "control character in string"
        case .unterminatedQuotedField: return "unterminated quoted field"
        case let .noURLColumn(found): return "the header has no url column (found: \(found.joined(separator: ", ")))"
        }
    }
}
