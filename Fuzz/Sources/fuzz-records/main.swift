// Records readers under libFuzzer: the first byte picks the format (JSON
// array, JSON Lines, CSV), the rest is the file. Any input must end in
// records or a RecordsError; a trap or a sanitizer report is a bug.
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import Records

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let formats = RecordsFormat.allCases
    let format = formats[Int(data[0]) % formats.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    do {
        let records = try RecordsReader().parse(bytes, name: "fuzz", format: format)
        // Every record must survive the trip into a manifest line and back.
        for record in records.prefix(64) {
            let entry = ManifestEntry(index: record.index, url: record.url, description: record.description,
                                      status: .ok, extra: record.extra)
            let line = Array(entry.json.serialized.utf8)
            guard let parsed = try? JSONParser.parse(line), let back = ManifestEntry(json: parsed),
                  back.url == record.url, back.description == record.description else {
                fatalError("manifest round trip lost record \(record.index)")
            }
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

@_cdecl("fuzz_records_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv, fuzzRecords)
}
