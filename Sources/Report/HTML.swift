import Training
import Foundation

/// HTML text: everything from records, files and options goes through `escape`.
enum HTML {
    /// Text safe inside an element or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A table of rows of cells (already escaped), the first row a header when `header`.
    static func table(_ rows: [[String]], header: Bool = true) -> String {
        guard !rows.isEmpty else { return "" }
        var html = "<table>"
        for (i, row) in rows.enumerated() {
            let tag = header && i == 0 ? "th" : "td"
            html += "<tr>" + row.map { "<\(tag)>\($0)</\(tag)>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }

    /// A PNG as a data URI.
    static func dataURI(png: [UInt8]) -> String { "data:image/png;base64," + Data(png).base64EncodedString() }

    /// A number with thousands separators.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
