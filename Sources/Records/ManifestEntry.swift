/// One line of a fetch manifest (`manifest.jsonl`): a record's fate.
public struct ManifestEntry: Sendable, Equatable {
    /// The record's index in the records file.
    public var index: Int
    /// The URL as the record gives it.
    public var url: String
    /// The URL after redirects (nil when no response came).
    public var finalURL: String?
    /// The record's description.
    public var description: String
    /// `ok`, or the class of the failure.
    public var status: FetchStatus
    /// The last HTTP status, when a server answered.
    public var httpCode: Int?
    /// Body bytes received (of the final attempt).
    public var bytes: Int
    /// The response's Content-Type, when it had one.
    public var contentType: String?
    /// Hex SHA-256 of the file's bytes.
    public var sha256: String?
    /// The file's path relative to the fetch output directory ("images/<sha256>.jpg").
    public var file: String?
    /// Transfers tried for this record.
    public var attempts: Int
    /// A message for any status but ok.
    public var error: String?
    /// The record's other fields, carried through.
    public var extra: JSONValue

    /// An entry; the fields a transfer did not reach are nil.
    public init(
        index: Int, url: String, finalURL: String? = nil, description: String, status: FetchStatus,
        httpCode: Int? = nil, bytes: Int = 0, contentType: String? = nil, sha256: String? = nil,
        file: String? = nil, attempts: Int = 0, error: String? = nil, extra: JSONValue = .object([])
    ) {
        self.index = index
        self.url = url
        self.finalURL = finalURL
        self.description = description
        self.status = status
        self.httpCode = httpCode
        self.bytes = bytes
        self.contentType = contentType
        self.sha256 = sha256
        self.file = file
        self.attempts = attempts
        self.error = error
        self.extra = extra
    }

    /// The entry as one JSON object, fields in a fixed order.
    public var json: JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        var members: [(String, JSONValue)] = [
            ("index", .number(Double(index))),
            ("url", .string(url)),
            ("final_url", optional(finalURL)),
            ("description", .string(description)),
            ("status", .string(status.rawValue)),
            ("http_code", httpCode.map { .number(Double($0)) } ?? .null),
            ("bytes", .number(Double(bytes))),
            ("content_type", optional(contentType)),
            ("sha256", optional(sha256)),
            ("file", optional(file)),
            ("attempts", .number(Double(attempts))),
            ("error", optional(error)),
        ]
        if case let .object(fields) = extra, !fields.isEmpty { members.append(("fields", extra)) }
        return .object(members)
    }

    /// Reads an entry back from its JSON object; nil when a field is missing
    /// or of the wrong type.
    public init?(json: JSONValue) {
        guard let index = json["index"]?.intValue, let url = json["url"]?.stringValue,
              let statusText = json["status"]?.stringValue, let status = FetchStatus(rawValue: statusText)
        else { return nil }
        self.init(
            index: index, url: url, finalURL: json["final_url"]?.stringValue,
            description: json["description"]?.stringValue ?? "", status: status,
            httpCode: json["http_code"]?.intValue, bytes: json["bytes"]?.intValue ?? 0,
            contentType: json["content_type"]?.stringValue, sha256: json["sha256"]?.stringValue,
            file: json["file"]?.stringValue, attempts: json["attempts"]?.intValue ?? 0,
            error: json["error"]?.stringValue, extra: json["fields"] ?? .object([]))
    }

    /// Appends the entry's JSON line (without the newline) to `out`: the
    /// same text as `json.serialized`, written field by field without
    /// building the JSON value first (a manifest writes one per record, twice).
    public func writeJSON(to out: inout [UInt8]) {
        func key(_ name: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
        func string(_ value: String?) {
            if let value { JSONValue.string(value).write(to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func integer(_ value: Int?) {
            if let value { JSONValue.number(Double(value)).write(to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        key("{\"index\":"); integer(index)
        key(",\"url\":"); string(url)
        key(",\"final_url\":"); string(finalURL)
        key(",\"description\":"); string(description)
        key(",\"status\":"); string(status.rawValue)
        key(",\"http_code\":"); integer(httpCode)
        key(",\"bytes\":"); integer(bytes)
        key(",\"content_type\":"); string(contentType)
        key(",\"sha256\":"); string(sha256)
        key(",\"file\":"); string(file)
        key(",\"attempts\":"); integer(attempts)
        key(",\"error\":"); string(error)
        if case let .object(fields) = extra, !fields.isEmpty {
            key(",\"fields\":")
            extra.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
