import Foundation
import PropertyBased
import Records
import Testing

/// Properties of the records readers over generated records and bytes.
@Suite struct RecordsPropertyTests {
    /// Text with quotes, commas, backslashes, control characters, newlines and non-ASCII.
    static let text = Gen.unicodeScalar(in: "\u{1}"..."\u{D7FF}").array(of: 0...16).map { String(String.UnicodeScalarView($0)) }
    static let path = Gen.letterOrNumber.string(of: 1...12)
    static let records = zip(path, text).array(of: 1...8)

    /// RFC 4180 quoting, written here independently of the reader. Quotes are
    /// doubled scalar by scalar: Foundation's `replacingOccurrences` compares
    /// characters, and a quote followed by a combining mark (U+0319) is one
    /// character that is not `"`, so it would be left single.
    static func csv(_ items: [(String, String)]) -> String {
        func quote(_ field: String) -> String {
            "\"" + String(String.UnicodeScalarView(field.unicodeScalars.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] })) + "\""
        }
        return "url,description\r\n" + items.map { quote("http://h.example/" + $0.0) + "," + quote($0.1) }.joined(separator: "\r\n") + "\r\n"
    }

    /// JSON written by Foundation's serializer, not by ganprep's.
    static func json(_ items: [(String, String)]) throws -> [String] {
        try items.map { item in
            let data = try JSONSerialization.data(withJSONObject: ["url": "http://h.example/" + item.0, "description": item.1])
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test func everyFormatReadsBackWhatWasWritten() async {
        await propertyCheck(count: 200, input: Self.records) { items in
            let expected = items.map { ["http://h.example/" + $0.0, $0.1] }
            let lines = try Self.json(items)
            let inputs: [(RecordsFormat, String)] = [
                (.json, "[\n" + lines.joined(separator: ",\n") + "\n]"),
                (.jsonLines, lines.joined(separator: "\n") + "\n"),
                (.csv, Self.csv(items)),
            ]
            for (format, text) in inputs {
                let read = try RecordsReader().parse(Array(text.utf8), name: "generated", format: format)
                #expect(read.map { [$0.url, $0.description] } == expected, "\(format)")
                #expect(read.map(\.index) == Array(0..<items.count))
            }
        }
    }

    @Test func arbitraryBytesGiveRecordsOrAnErrorThatNamesTheFile() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...200)
        await propertyCheck(count: 300, input: bytes, Gen<RecordsFormat>.case) { bytes, format in
            do {
                let read = try RecordsReader().parse(bytes, name: "noise.bin", format: format)
                #expect(read.map(\.index) == Array(0..<read.count) && read.allSatisfy { $0.line >= 1 })
            } catch {
                #expect("\(error)".hasPrefix("noise.bin"), "\(error)")
            }
        }
    }

    @Test func aRecordOverTheLimitIsKeptAsARefusalInEveryFormat() async {
        await propertyCheck(count: 50, input: Gen.int(in: 101...400)) { size in
            let reader = RecordsReader(maxRecordBytes: 100)
            let items = [("a", "short"), ("b", String(repeating: "d", count: size)), ("c", "short too")]
            let lines = try Self.json(items)
            for (format, text) in [(RecordsFormat.json, "[" + lines.joined(separator: ",") + "]"),
                                   (.jsonLines, lines.joined(separator: "\n")), (.csv, Self.csv(items))] {
                let records = try reader.parse(Array(text.utf8), name: "r", format: format)
                #expect(records.count == 3, "\(format)")
                #expect(records[0].refusal == nil && records[2].refusal == nil && records[2].description == "short too", "\(format)")
                let refusal = records[1].refusal ?? ""
                #expect(refusal.contains("record 1") && refusal.contains("more than the 100 bytes allowed"), "\(format): \(refusal)")
                #expect(records[1].url.isEmpty && records[1].description.isEmpty, "\(format): an oversized record's text is not kept")
            }
        }
    }

    /// The case the generator found: a quote followed by a combining mark,
    /// which is one Swift character, in every format.
    @Test func aQuoteFollowedByACombiningMarkReadsBack() throws {
        let items = [("C", "\"\u{0319}"), ("D", "a\"\u{0301}b\"")]
        let lines = try Self.json(items)
        for (format, text) in [(RecordsFormat.csv, Self.csv(items)), (.jsonLines, lines.joined(separator: "\n") + "\n")] {
            let read = try RecordsReader().parse(Array(text.utf8), name: "marks", format: format)
            #expect(read.map(\.description) == ["\"\u{0319}", "a\"\u{0301}b\""], "\(format)")
        }
    }

    /// Every record, or the error, read from `bytes` through a window `chunk` bytes at a time.
    static func streamed(_ bytes: [UInt8], _ format: RecordsFormat, chunk: Int) -> Result<[Record], RecordsError> {
        Result { () throws(RecordsError) -> [Record] in
            let stream = try RecordStream(bytes: bytes, name: "s", format: format, reader: RecordsReader(maxRecordBytes: 60), chunkSize: chunk)
            var records: [Record] = []
            while let record = try stream.next() { records.append(record) }
            return records
        }
    }

    /// The stream reads a file in pieces: whatever the piece size, the same
    /// records with the same lines, or the same error at the same line and
    /// column, as with the whole file in one piece. Generated files are cut
    /// short, spliced and stuffed with blank lines so errors fall on every boundary.
    @Test func readingInPiecesReadsWhatTheWholeFileReads() async {
        let edit = Gen.int(in: 0...4).array(of: 3)
        await propertyCheck(count: 150, input: Self.records, edit) { items, edits in
            let lines = try Self.json(items)
            let inputs: [(RecordsFormat, String)] = [
                (.json, "\u{FEFF}[\n" + lines.joined(separator: edits[0] == 0 ? ",\n\n  " : ",") + "\n]\n"),
                (.jsonLines, lines.joined(separator: edits[0] == 1 ? "\n\n \n" : "\n") + "\n"),
                (.csv, Self.csv(items)),
            ]
            for (format, text) in inputs {
                var bytes = Array(text.utf8)
                switch edits[1] {
                case 1: bytes.removeLast(min(bytes.count, 1 + edits[2] * 3))      // cut short
                case 2: bytes.insert(contentsOf: Array("\"x\":".utf8), at: bytes.count / (1 + edits[2]))  // spliced
                case 3: bytes.append(contentsOf: Array(" garbage".utf8))
                default: break
                }
                let whole = Self.streamed(bytes, format, chunk: 1 << 20)
                for chunk in [1, 2, 3, 5, 16, 17, 64] {
                    let pieces = Self.streamed(bytes, format, chunk: chunk)
                    #expect(pieces == whole, "\(format), chunk \(chunk): \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
    }

    @Test func arbitraryBytesReadInPiecesGiveWhatTheyGiveWhole() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...200)
        await propertyCheck(count: 300, input: bytes, Gen<RecordsFormat>.case) { bytes, format in
            let whole = Self.streamed(bytes, format, chunk: 1 << 20)
            for chunk in [1, 3, 16] {
                #expect(Self.streamed(bytes, format, chunk: chunk) == whole, "\(format), chunk \(chunk)")
            }
        }
    }
}

/// `ManifestIndex` finds what `FetchManifest.read` (which keeps every
/// entry) finds: the last whole line of each record, torn lines skipped.
@Suite struct ManifestIndexTests {
    static func entry(_ index: Int, _ note: String) -> ManifestEntry {
        ManifestEntry(index: index, url: "http://h/\(index)", description: note, status: .ok, bytes: note.utf8.count)
    }

    @Test func findsTheLinesThatReadingTheWholeFileFinds() async throws {
        let lines = zip(Gen.int(in: 0...30), Gen.letterOrNumber.string(of: 0...1500)).array(of: 0...30)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-index-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        await propertyCheck(count: 60, input: lines, Gen.int(in: 0...60)) { lines, cut in
            var bytes: [UInt8] = []
            for (index, note) in lines {
                Self.entry(index, note).writeJSON(to: &bytes)
                bytes.append(0x0A)
            }
            if cut > 0 && cut < bytes.count { bytes.removeLast(cut) }  // torn by a crash
            if cut % 7 == 3 { bytes += Array("{\"index\":5,\"url\":\"torn\n".utf8) }  // a torn line in the middle
            let path = scratch.appendingPathComponent("m.jsonl").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let whole = try FetchManifest.read(path: path)
            let index = try ManifestIndex(path: path, records: 25)
            for i in 0..<25 {
                #expect(index.entry(i) == whole.entries[i], "record \(i)")
            }
            #expect(index.lines == whole.lines)
            #expect(index.count == whole.entries.keys.count { $0 < 25 })
        }
    }

    @Test func noFileIsAnEmptyIndex() throws {
        let index = try ManifestIndex(path: "/nonexistent/manifest.jsonl", records: 3)
        #expect(index.count == 0 && index.lines == 0 && index.entry(1) == nil)
    }
}
