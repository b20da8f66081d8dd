import Records
import Testing

@Suite struct RecordsReaderTests {
    let reader = RecordsReader()

    func parse(_ text: String, _ format: RecordsFormat) throws(RecordsError) -> [Record] {
        try reader.parse(Array(text.utf8), name: "records", format: format)
    }

    @Test func jsonArrayInTheOriginalFormatKeepsExtraFields() throws {
        let records = try parse("""
            [
              {"url": "https://shop.example/a.jpg", "description": "Kleid – rot", "sku": 17, "tags": ["x"]},
              {"url": "https://shop.example/b.jpg", "description": null}
            ]
            """, .json)
        #expect(records.count == 2)
        #expect(records[0].url == "https://shop.example/a.jpg" && records[0].description == "Kleid – rot")
        #expect(records[0].extra == .object([("sku", .number(17)), ("tags", .array([.string("x")]))]))
        #expect(records[1].description == "" && records[1].index == 1 && records[1].line == 3)
    }

    @Test func badJSONNamesLineAndColumn() {
        #expect(throws: RecordsError.syntax(file: "records", line: 3, column: 3, problem: .betweenRecords)) {
            try parse("[\n{\"url\": \"a\"}\n  {\"url\": \"b\"}]", .json)
        }
        #expect { try parse("[{\"url\": \"a\"", .json) } throws: { error in
            guard case RecordsError.syntax(_, 1, _, _) = error else { return false }
            return true
        }
    }

    @Test func missingURLAndWrongTypesNameTheRecordAndLine() {
        #expect(throws: RecordsError.invalidRecord(file: "records", line: 3, record: 1, problem: .noURL)) {
            try parse("[\n{\"url\": \"a\"},\n{\"description\": \"b\"}\n]", .json)
        }
        #expect(throws: RecordsError.invalidRecord(file: "records", line: 1, record: 0, problem: .urlType(kind: "a number"))) {
            try parse("[{\"url\": 5}]", .json)
        }
        #expect(throws: RecordsError.invalidRecord(file: "records", line: 1, record: 1, problem: .descriptionType(kind: "an array"))) {
            try parse("[{\"url\": \"a\"}, {\"url\": \"b\", \"description\": []}]", .json)
        }
        #expect(throws: RecordsError.invalidRecord(file: "records", line: 1, record: 0, problem: .notAnObject(kind: "a string"))) {
            try parse("[\"http://a\"]", .json)
        }
    }

    @Test func jsonLinesSkipsBlankLinesAndCountsLines() throws {
        let records = try parse("{\"url\": \"a\", \"description\": \"A\"}\n\n{\"url\": \"b\"}\n", .jsonLines)
        #expect(records.map(\.url) == ["a", "b"] && records[1].line == 3 && records[1].index == 1)
        #expect(throws: RecordsError.syntax(file: "records", line: 2, column: 12, problem: .unterminatedObject)) {
            try parse("{\"url\": \"a\"}\n{\"url\": \"b\"", .jsonLines)
        }
    }

    @Test func csvWithQuotesAndExtraColumns() throws {
        let records = try parse("id,url,description\r\n1,http://a/x.jpg,\"Hose, \"\"blau\"\"\"\n2,http://a/y.jpg,\"two\nlines\"\n", .csv)
        #expect(records.count == 2)
        #expect(records[0].description == "Hose, \"blau\"" && records[0].extra == .object([("id", .string("1"))]))
        #expect(records[1].description == "two\nlines" && records[1].line == 3)
        #expect(throws: RecordsError.self) { try parse("name,description\na,b\n", .csv) }
        #expect(throws: RecordsError.invalidRecord(file: "records", line: 2, record: 0, problem: .fieldCount(fields: 1, columns: 2))) {
            try parse("url,description\nhttp://x\n", .csv)
        }
    }

    @Test func formatIsDetectedFromNameThenContent() {
        #expect(RecordsFormat.detect(name: "r.csv", bytes: Array("[".utf8)) == .csv)
        #expect(RecordsFormat.detect(name: "-", bytes: Array("  [{}]".utf8)) == .json)
        #expect(RecordsFormat.detect(name: "-", bytes: Array("{}\n{}".utf8)) == .jsonLines)
        #expect(RecordsFormat.detect(name: "-", bytes: Array("url,description".utf8)) == .csv)
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: RecordsError.empty(file: "records")) { try parse("[]", .json) }
    }

    @Test func manifestEntryRoundTripsThroughJSON() throws {
        let entry = ManifestEntry(index: 4, url: "http://a/b.jpg", finalURL: "http://a/c.jpg", description: "Rock \"mini\"",
                                  status: .httpError, httpCode: 503, bytes: 12, contentType: "text/html", attempts: 3,
                                  error: "HTTP 503", extra: .object([("sku", .string("x"))]))
        let parsed = try JSONParser.parse(Array(entry.json.serialized.utf8))
        #expect(ManifestEntry(json: parsed) == entry)
        #expect(FetchStatus.httpError.isTransient(httpCode: 503) && !FetchStatus.httpError.isTransient(httpCode: 404))
    }

    @Test func theDirectManifestLineIsTheJSONValuesText() throws {
        let entries = [
            ManifestEntry(index: 0, url: "http://a/b.jpg", description: "", status: .ok),
            ManifestEntry(index: 123_456_789, url: "http://h/\u{e9}\u{1F600}?q=\"x\"\\", finalURL: "http://h/z", description: "line\nbreak\ttab\u{1}\u{1f}",
                          status: .duplicate, httpCode: 200, bytes: 1 << 40, contentType: "image/png", sha256: String(repeating: "ab", count: 32),
                          file: "images/x.png", attempts: 7, error: "same bytes as record 3",
                          extra: .object([("sku", .string("x")), ("n", .number(-2.5)), ("tags", .array([.bool(true), .null]))])),
            ManifestEntry(index: 9, url: "", description: "d", status: .invalidRecord, error: "record 9: empty url", extra: .object([])),
        ]
        for entry in entries {
            var direct: [UInt8] = []
            entry.writeJSON(to: &direct)
            #expect(String(decoding: direct, as: UTF8.self) == entry.json.serialized)
            #expect(ManifestEntry(json: try JSONParser.parse(direct)) == entry)
        }
    }
}
