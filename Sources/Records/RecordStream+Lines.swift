/// A CSV file's header: its columns, lower-cased and trimmed, and where
/// `url` and `description` are.
struct CSVHeader {
    var fields: [String]
    var urlColumn: Int
    var descriptionColumn: Int?
}

extension RecordStream {
    // MARK: - JSON Lines

    /// The next line that holds a record (blank lines are skipped).
    func nextLine() throws(RecordsError) -> Record? {
        while true {
            let textLine = line
            guard let (text, _) = try takeLine(quoted: false) else { return nil }
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(text)
            } catch {
                throw .syntax(file: name, line: textLine, column: error.column, problem: error.problem)
            }
            let record = try reader.record(from: value, index: count, line: textLine, name: name)
            return reader.sizeChecked(record, size: text.count)
        }
    }

    /// The bytes up to the next line end (with `quoted`, one outside CSV
    /// quotes), without it, and whether one ended them; nil at the end of
    /// the input. `line` moves past the line ends taken; an unterminated
    /// quoted field runs to the end of the input (and `CSVParser` names it).
    func takeLine(quoted: Bool) throws(RecordsError) -> ([UInt8], Bool)? {
        var scanned = position
        var scanner = CSVRowScanner()
        while true {
            let bytes = window.bytes
            if let end = quoted ? scanner.rowEnd(in: bytes, from: scanned) : bytes[scanned...].firstIndex(of: 0x0A) {
                let text = Array(bytes[position..<end])
                line += 1 + (quoted ? text.count(where: { $0 == 0x0A }) : 0)
                position = end + 1
                lineStart = position
                return (text, true)
            }
            scanned = bytes.count
            let start = position
            if try refill() {
                scanned -= start - position
                continue
            }
            guard position < window.bytes.count else { return nil }
            let text = Array(window.bytes[position...])
            line += quoted ? text.count(where: { $0 == 0x0A }) : 0
            position = window.bytes.count
            return (text, false)
        }
    }

    // MARK: - CSV

    /// The next data row as a record (the header is read first; blank rows are skipped).
    func nextRow() throws(RecordsError) -> Record? {
        while true {
            let rowLine = line
            guard let (text, ended) = try takeLine(quoted: true) else { return nil }
            guard let fields = try csvFields(text, ended: ended, line: rowLine) else { continue }
            guard let header = csvHeader else {
                csvHeader = try readHeader(fields, line: rowLine)
                continue
            }
            if fields.count == 1 && fields[0].isEmpty { continue }
            guard fields.count == header.fields.count else {
                throw .invalidRecord(file: name, line: rowLine, record: count, problem: .fieldCount(fields: fields.count, columns: header.fields.count))
            }
            var extra: [(String, JSONValue)] = []
            for (i, column) in header.fields.enumerated() where i != header.urlColumn && i != header.descriptionColumn {
                extra.append((column, .string(fields[i])))
            }
            let record = Record(index: count, url: fields[header.urlColumn].trimmingWhitespace(),
                                description: header.descriptionColumn.map { fields[$0] } ?? "", extra: .object(extra), line: rowLine)
            return reader.sizeChecked(record, size: fields.reduce(0) { $0 + $1.utf8.count })
        }
    }

    /// A row's fields; nil for nothing at all (no line end and no text).
    private func csvFields(_ text: [UInt8], ended: Bool, line: Int) throws(RecordsError) -> [String]? {
        guard let string = String(validating: text, as: UTF8.self) else { throw .unreadable(file: name, problem: .notUTF8) }
        let rows: [(fields: [String], line: Int)]
        do { rows = try CSVParser.rows(string) } catch { throw .syntax(file: name, line: line, column: 1, problem: .unterminatedQuotedField) }
        if let row = rows.first { return row.fields }
        return ended ? [""] : nil
    }

    private func readHeader(_ fields: [String], line: Int) throws(RecordsError) -> CSVHeader {
        let columns = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let urlColumn = columns.firstIndex(of: "url") else {
            throw .syntax(file: name, line: line, column: 1, problem: .noURLColumn(found: fields))
        }
        return CSVHeader(fields: fields, urlColumn: urlColumn, descriptionColumn: columns.firstIndex(of: "description"))
    }
}

/// Finds where a CSV row ends: the first line feed outside a quoted field
/// (RFC 4180: a quote opens a quoted field only at the field's start, and a
/// doubled quote inside one is a literal quote).
struct CSVRowScanner {
    private var inQuotes = false
    private var atFieldStart = true
    private var quotePending = false

    /// The index of the row's line feed at or after `start`, or nil when
    /// `bytes` ends first (the scan goes on from there with more bytes).
    mutating func rowEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if quotePending {
                // A quote inside a quoted field: doubled, it is literal; otherwise it closed the field.
                quotePending = false
                if b == UInt8(ascii: "\"") { i += 1; continue }
                inQuotes = false
                continue
            }
            if inQuotes {
                if b == UInt8(ascii: "\"") { quotePending = true }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\"") where atFieldStart: inQuotes = true; atFieldStart = false
            case UInt8(ascii: ","): atFieldStart = true
            case 0x0D: break
            case 0x0A: return i
            default: atFieldStart = false
            }
            i += 1
        }
        return nil
    }
}
