import Records
import Storage

/// The names and metadata files of each format: StyleGAN's
/// `00000/img00000000.png` and `dataset.json`, WebDataset's `KEY.png`,
/// `KEY.json` and `KEY.cls`, ImageFolder's `CLASS/00000000.png`.
struct ExportLayout {
    let format: ExportFormat
    let metadata: Exporter.Metadata
    /// StyleGAN's [name, class] pairs, in image order.
    private var styleganLabels: [JSONValue] = []
    /// The class folders' names (ImageFolder), by label.
    private let folders: [String]
    /// Files (or, for WebDataset, samples) written.
    private(set) var files = 0

    /// The folder of unlabelled images in the `folder` layout.
    static let unlabelledFolder = "unlabelled"

    init(format: ExportFormat, metadata: Exporter.Metadata) {
        self.format = format
        self.metadata = metadata
        folders = (metadata.names ?? []).map(Self.folderName)
    }

    mutating func add(image i: Int, png: [UInt8], to sink: any ExportSink) throws(StorageError) {
        let label = metadata.labels.map { Int($0[i]) }
        switch format {
        case .stylegan:
            let name = "\(String(format5: i / 1000))/img\(String(i).leftPadded(to: 8)).png"
            try sink.add(name, png)
            if let label { styleganLabels.append(.array([.string(name), .number(Double(label))])) }
        case .webdataset:
            let key = String(i).leftPadded(to: 8)
            try sink.add(key + ".png", png)
            var fields: [(String, JSONValue)] = [
                ("description", .string(metadata.descriptions[i])), ("url", .string(metadata.urls[i])),
                ("sha256", .string(metadata.sha256[i])),
            ]
            if let label, let names = metadata.names {
                fields += [("label", .number(Double(label))), ("label_name", .string(names[label]))]
            }
            try sink.add(key + ".json", Array(JSONValue.object(fields).serialized.utf8))
            if let label { try sink.add(key + ".cls", Array(String(label).utf8)) }
            try sink.endSample()
        case .folder:
            let folder = label.map { folders[$0] } ?? Self.unlabelledFolder
            try sink.add("\(folder)/\(String(i).leftPadded(to: 8)).png", png)
        }
        files += 1
    }

    /// Writes what comes after the images: StyleGAN's `dataset.json`.
    mutating func finish(into sink: any ExportSink) throws(StorageError) {
        guard format == .stylegan else { return }
        let labels: JSONValue = metadata.labels == nil ? .null : .array(styleganLabels)
        try sink.add("dataset.json", Array(JSONValue.object([("labels", labels)]).serialized.utf8))
        files += 1
    }

    /// A class name as one folder name: "/", "%" and NUL percent-encoded, and
    /// a name of dots or nothing prefixed, so every class gets its own folder
    /// inside the output and no name means anything to the file system.
    static func folderName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "/", "%", "\0": out += String(format: "%%%02X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        if out.isEmpty || out.allSatisfy({ $0 == "." }) { out = "%" + out }
        return out
    }
}
