import Foundation

/// RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends,
/// newlines inside quoted fields.
enum CSVParser {
    struct SyntaxError: Error { var line: Int }

    static func rows(_ text: String) throws(SyntaxError) -> [(fields: [String], line: Int)] {
        var rows: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var atFieldStart = true
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                fields.append(field)
                rows.append((fields, rowLine))
                fields = []
                field = ""
                line += 1
                rowLine = line
                atFieldStart = true
            default:
                field.unicodeScalars.append(c)
                atFieldStart = false
            }
        }
        if inQuotes { throw SyntaxError(line: rowLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append((fields, rowLine))
        }
        return rows
    }
}
