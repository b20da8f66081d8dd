/// Where a JSON text is malformed: line and column from 1, and what was wrong.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line of the error, from 1.
    public var line: Int
    /// Its column, from 1.
    public var column: Int
    /// What is wrong there.
    public var problem: SyntaxProblem
    /// "line L, column C: problem".
    public var description: String { "line \(line), column \(column): \(problem)" }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes that reports line and column.
///
/// Hand-written on purpose: Foundation's JSONSerialization and Codable name
/// neither the line nor the column of a syntax error, lose the order of an
/// object's keys (the manifest keeps a record's extra fields in their
/// order), and need the whole text at once, where records files are read
/// and checked record by record with bounded memory.
public struct JSONParser {
    private let bytes: [UInt8]
    // Internal, not private: `RecordStream` resumes a parse in a new window of the file.
    var position = 0
    var line = 1
    var lineStart = 0
    /// Nesting limit, so hostile input cannot exhaust the stack.
    private let maxDepth = 512

    /// A parser over `bytes` (UTF-8).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // Skip a UTF-8 byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
    }

    /// A parser that goes on at `position` of `bytes`, on `line`, whose first
    /// byte is at `lineStart` (before `bytes` begins when negative).
    init(_ bytes: [UInt8], position: Int, line: Int, lineStart: Int) {
        self.bytes = bytes
        self.position = position
        self.line = line
        self.lineStart = lineStart
    }

    /// Parses one complete JSON text.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.parseDocument()
    }

    /// Parses one complete JSON text (the whole input).
    public mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count { throw error(.textAfterValue) }
        return value
    }

    /// The line number (from 1) at the current position.
    public var currentLine: Int { line }

    func error(_ problem: SyntaxProblem) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: position - lineStart + 1, problem: problem)
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0D: position += 1
            case 0x0A:
                position += 1
                line += 1
                lineStart = position
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maxDepth else { throw error(.tooDeep(limit: maxDepth)) }
        guard let byte = peek() else { throw error(.unexpectedEnd) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error(.unexpectedCharacter(Character(Unicode.Scalar(byte))))
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONSyntaxError) {
        let utf8 = Array(literal.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<(position + utf8.count)]) == utf8 else {
            throw error(.invalidLiteral(expected: literal))
        }
        position += utf8.count
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error(.unquotedKey) }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error(.missingColon(key: key)) }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard let next = peek() else { throw error(.unterminatedObject) }
            position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            if next != UInt8(ascii: ",") { position -= 1; throw error(.betweenMembers) }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard let next = peek() else { throw error(.unterminatedArray) }
            position += 1
            if next == UInt8(ascii: "]") { return .array(items) }
            if next != UInt8(ascii: ",") { position -= 1; throw error(.betweenArrayValues) }
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let s = position
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
            return position - s
        }
        guard digits() > 0 else { throw error(.invalidNumber(text: nil)) }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error(.fractionDigits) }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error(.exponentDigits) }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text) else { throw error(.invalidNumber(text: text)) }
        return value
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error(.truncatedEscape) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error(.invalidUnicodeEscape)
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek() else { throw error(.unterminatedString) }
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                // Validate UTF-8: invalid sequences are an error, not silently replaced.
                guard let s = String(validating: out, as: UTF8.self) else { throw error(.invalidUTF8) }
                return s
            case UInt8(ascii: "\\"):
                guard let e = peek() else { throw error(.unterminatedEscape) }
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if code >= 0xD800 && code < 0xDC00 {
                        guard position + 6 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw error(.unpairedSurrogate)
                        }
                        position += 2
                        let low = try parseHex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error(.invalidSurrogatePair) }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error(.invalidUnicodeEscape) }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw error(.invalidEscape(Character(Unicode.Scalar(e))))
                }
            case 0x00..<0x20:
                position -= 1
                throw error(.controlCharacter)
            default:
                out.append(b)
            }
        }
    }
}
