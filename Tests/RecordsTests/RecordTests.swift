import Records
import Testing

@Suite struct RecordTests {
    @Test func recordKeepsExtraFields() {
        let record = Record(index: 3, url: "http://example.invalid/a.jpg", description: "Kleid", extra: ["sku": "123"])
        #expect(record.extra["sku"] == "123")
        #expect(record != Record(index: 3, url: "http://example.invalid/a.jpg", description: "Kleid"))
    }
}
