/// Reads the records of a file one at a time, in memory bounded by the
/// largest record rather than the file: a JSON array element by element,
/// JSON Lines line by line, CSV row by row, from a window of the file that
/// moves on as records are taken (`RecordWindow`).
///
/// It reads exactly what `RecordsReader` reads and fails exactly where and
/// how it fails (`RecordsReader.read` is this stream, collected): a syntax
/// error names its line and column, a bad record its line and index, and a
/// file with no records is `.empty` when the end is reached.
public final class RecordStream {
    /// The file's name in messages ("<stdin>" for standard input).
    public let name: String
    /// The format being read.
    public let format: RecordsFormat
    /// Records returned so far (the index of the next one).
    public private(set) var count = 0

    let reader: RecordsReader
    let window: RecordWindow
    /// Where reading goes on in `window.bytes`.
    var position = 0
    /// The line at `position`, from 1, and where that line starts in `window.bytes`.
    var line = 1
    var lineStart = 0
    /// JSON array: what comes next, and the file offset where the last element ended.
    var arrayState = ArrayState.opening
    var previousEnd = 0
    /// CSV: the header's columns once read.
    var csvHeader: CSVHeader?

    enum ArrayState { case opening, element, closed, done }

    /// A stream over the file at `path` ("-": standard input), its format
    /// given or guessed from its name and first bytes.
    public convenience init(path: String, format: RecordsFormat? = nil, reader: RecordsReader = RecordsReader()) throws(RecordsError) {
        let name = path == "-" ? "<stdin>" : path
        let window = try RecordWindow(path: path, name: name, limit: reader.maxTotalBytes)
        try self.init(window: window, name: name, format: format, reader: reader)
    }

    /// A stream over bytes in memory, handed to the parser `chunkSize` at a
    /// time (tests read with small chunks to cross every boundary).
    public convenience init(bytes: [UInt8], name: String, format: RecordsFormat, reader: RecordsReader = RecordsReader(),
                            chunkSize: Int = 1 << 20) throws(RecordsError) {
        try self.init(window: RecordWindow(bytes: bytes, name: name, chunkSize: chunkSize), name: name, format: format, reader: reader)
    }

    private init(window: RecordWindow, name: String, format: RecordsFormat?, reader: RecordsReader) throws(RecordsError) {
        self.window = window
        self.name = name
        self.reader = reader
        // Enough bytes to see the format (the first that is not blank) and a byte order mark.
        let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF]
        while window.bytes.count < 3 || window.bytes.allSatisfy(blank.contains), try window.fill() {}
        self.format = format ?? RecordsFormat.detect(name: name, bytes: window.bytes)
        if window.bytes.starts(with: [0xEF, 0xBB, 0xBF]) && self.format != .jsonLines {
            position = 3
            lineStart = 3
        }
    }

    /// The next record, or nil after the last one.
    /// - Throws: `.empty` at the end of a file that held no record, and the
    ///   errors `RecordsReader` names for malformed text or records.
    public func next() throws(RecordsError) -> Record? {
        let record: Record?
        switch format {
        case .json: record = try nextArrayElement()
        case .jsonLines: record = try nextLine()
        case .csv: record = try nextRow()
        }
        if let record {
            count += 1
            return record
        }
        if count == 0 { throw .empty(file: name) }
        return nil
    }

    /// Reads to the end, checking every record, and returns how many there are.
    public func countRemaining() throws(RecordsError) -> Int {
        while try next() != nil {}
        return count
    }

    /// Drops the consumed part of the window and reads more onto its end;
    /// false at the end of the input.
    func refill() throws(RecordsError) -> Bool {
        let dropped = window.drop(position)
        position -= dropped
        lineStart -= dropped
        return try window.fill()
    }

    // MARK: - JSON array

    private func nextArrayElement() throws(RecordsError) -> Record? {
        while true {
            var parser = JSONParser(window.bytes, position: position, line: line, lineStart: lineStart)
            let parsed: (value: JSONValue, line: Int, end: Int)?
            do throws(JSONSyntaxError) {
                parsed = try step(&parser)
            } catch {
                // A parse cut short by the end of the window is tried again with more of the file.
                if !window.atEnd && window.bytes.count - parser.position < 16 {
                    _ = try refill()
                    continue
                }
                throw .syntax(file: name, line: error.line, column: error.column, problem: error.problem)
            }
            position = parser.position
            line = parser.line
            lineStart = parser.lineStart
            if let parsed {
                let end = window.base + parsed.end
                defer { previousEnd = end }
                let record = try reader.record(from: parsed.value, index: count, line: parsed.line, name: name)
                return reader.sizeChecked(record, size: end - previousEnd)
            }
            if arrayState == .done { return nil }
            if arrayState == .closed, try !refill() { arrayState = .done }
        }
    }

    /// One step of the array: its opening, an element and what follows it,
    /// or the text after its end. Returns the element, if it read one.
    private func step(_ parser: inout JSONParser) throws(JSONSyntaxError) -> (JSONValue, Int, Int)? {
        switch arrayState {
        case .opening:
            parser.skipWhitespace()
            guard parser.peek() == UInt8(ascii: "[") else { throw parser.error(.notAnArray) }
            parser.position += 1
            parser.skipWhitespace()
            if parser.peek() == UInt8(ascii: "]") {
                parser.position += 1
                arrayState = .closed
            } else {
                arrayState = .element
            }
            return nil
        case .element:
            parser.skipWhitespace()
            let startLine = parser.line
            let value = try parser.parseValue(depth: 1)
            let end = parser.position
            parser.skipWhitespace()
            guard let next = parser.peek() else { throw parser.error(.unterminatedArray) }
            parser.position += 1
            if next == UInt8(ascii: "]") {
                arrayState = .closed
            } else if next != UInt8(ascii: ",") {
                parser.position -= 1
                throw parser.error(.betweenRecords)
            }
            return (value, startLine, end)
        case .closed:
            parser.skipWhitespace()
            if parser.position < window.bytes.count { throw parser.error(.textAfterArray) }
            return nil
        case .done:
            return nil
        }
    }
}
