import Foundation

/// Reads records files: a JSON array of `{"url", "description", ...}`
/// objects, JSON Lines, or CSV with a header.
///
/// Structural problems (malformed text, a record that is not an object, a
/// missing or non-string `url`, a non-string `description`) fail the whole
/// file with an error that names the line and record: the input needs fixing
/// before any download makes sense. A `url` that is a string but not a
/// usable http(s) URL is kept; the downloader reports it as an invalid record.
/// So is a record larger than `maxRecordBytes`: it is kept with its
/// `refusal` (and none of its text), and the rest of the file is read.
public struct RecordsReader: Sendable {
    /// The largest records file (or standard input) read, in bytes.
    public var maxTotalBytes: Int
    /// The largest one record may be, in bytes of the file.
    public var maxRecordBytes: Int

    /// 1 GiB in all and 1 MiB per record unless told otherwise.
    public init(maxTotalBytes: Int = 1 << 30, maxRecordBytes: Int = 1 << 20) {
        self.maxTotalBytes = maxTotalBytes
        self.maxRecordBytes = maxRecordBytes
    }

    /// Reads records from a file, or from standard input when `path` is "-".
    public func read(path: String, format: RecordsFormat? = nil) throws(RecordsError) -> [Record] {
        let name = path == "-" ? "<stdin>" : path
        let bytes = try BoundedFileReader(limit: maxTotalBytes).read(path: path, name: name)
        return try parse(bytes, name: name, format: format ?? RecordsFormat.detect(name: name, bytes: bytes))
    }

    /// Parses records from bytes; `name` is used in messages.
    public func parse(_ bytes: [UInt8], name: String, format: RecordsFormat) throws(RecordsError) -> [Record] {
        let records: [Record]
        switch format {
        case .json: records = try parseJSONArray(bytes, name: name)
        case .jsonLines: records = try parseJSONLines(bytes, name: name)
        case .csv: records = try parseCSV(bytes, name: name)
        }
        if records.isEmpty { throw .empty(file: name) }
        return records
    }

    private func parseJSONArray(_ bytes: [UInt8], name: String) throws(RecordsError) -> [Record] {
        var parser = JSONParser(bytes)
        var records: [Record] = []
        do {
            var previousEnd = 0
            try parser.forEachArrayElement { value, line, end in
                let parsed = try record(from: value, index: records.count, line: line, name: name)
                records.append(sizeChecked(parsed, size: end - previousEnd))
                previousEnd = end
            }
        } catch let error as JSONSyntaxError {
            throw .syntax(file: name, line: error.line, column: error.column, problem: error.problem)
        } catch let error as RecordsError {
            throw error
        } catch {
            // The parser throws only JSONSyntaxError and the body only RecordsError.
            preconditionFailure("the records parser threw \(error)")
        }
        return records
    }

    private func parseJSONLines(_ bytes: [UInt8], name: String) throws(RecordsError) -> [Record] {
        var records: [Record] = []
        var lineNumber = 0
        for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(slice)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw .syntax(file: name, line: lineNumber, column: error.column, problem: error.problem)
            }
            records.append(sizeChecked(try record(from: value, index: records.count, line: lineNumber, name: name), size: slice.count))
        }
        return records
    }

    private func parseCSV(_ bytes: [UInt8], name: String) throws(RecordsError) -> [Record] {
        guard let text = String(validating: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) else {
            throw .unreadable(file: name, problem: .notUTF8)
        }
        var rows: [(fields: [String], line: Int)] = []
        do {
            rows = try CSVParser.rows(text)
        } catch {
            throw .syntax(file: name, line: error.line, column: 1, problem: .unterminatedQuotedField)
        }
        guard let header = rows.first else { return [] }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let urlColumn = columns.firstIndex(of: "url") else {
            throw .syntax(file: name, line: header.line, column: 1, problem: .noURLColumn(found: header.fields))
        }
        let descriptionColumn = columns.firstIndex(of: "description")
        var records: [Record] = []
        for row in rows.dropFirst() {
            if row.fields.count == 1 && row.fields[0].isEmpty { continue }
            guard row.fields.count == columns.count else {
                throw .invalidRecord(file: name, line: row.line, record: records.count,
                                     problem: .fieldCount(fields: row.fields.count, columns: columns.count))
            }
            var extra: [(String, JSONValue)] = []
            for (i, column) in header.fields.enumerated() where i != urlColumn && i != descriptionColumn {
                extra.append((column, .string(row.fields[i])))
            }
            let parsed = Record(index: records.count, url: row.fields[urlColumn].trimmingWhitespace(),
                                description: descriptionColumn.map { row.fields[$0] } ?? "", extra: .object(extra), line: row.line)
            records.append(sizeChecked(parsed, size: row.fields.reduce(0) { $0 + $1.utf8.count }))
        }
        return records
    }

    /// `record` as read, or, when it took more than `maxRecordBytes` bytes
    /// of the file, an empty record that says so (its refusal shows the url's start).
    private func sizeChecked(_ record: Record, size: Int) -> Record {
        guard size > maxRecordBytes else { return record }
        let start = String(record.url.unicodeScalars.prefix(80).map(Character.init))
        var refused = Record(index: record.index, url: "", description: "", line: record.line)
        refused.refusal = "record \(record.index) (line \(record.line)) is \(size) bytes long, more than the \(maxRecordBytes) bytes allowed "
            + "for one record (url starting \"\(start)\")"
        return refused
    }

    private func record(from value: JSONValue, index: Int, line: Int, name: String) throws(RecordsError) -> Record {
        guard case let .object(members) = value else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .notAnObject(kind: value.kindName))
        }
        guard let url = value["url"] else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .noURL)
        }
        guard let urlString = url.stringValue else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .urlType(kind: url.kindName))
        }
        var description = ""
        if let field = value["description"] {
            switch field {
            case let .string(s): description = s
            case .null: description = ""
            default:
                throw .invalidRecord(file: name, line: line, record: index, problem: .descriptionType(kind: field.kindName))
            }
        }
        let extra = members.filter { $0.0 != "url" && $0.0 != "description" }
        return Record(index: index, url: urlString.trimmingWhitespace(), description: description,
                      extra: .object(extra), line: line)
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation's bridging
    /// in the common case of nothing to trim (every record's URL passes here).
    func trimmingWhitespace() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        let whitespace = CharacterSet.whitespaces
        guard whitespace.contains(first) || whitespace.contains(last) else { return self }
        return trimmingCharacters(in: whitespace)
    }
}
