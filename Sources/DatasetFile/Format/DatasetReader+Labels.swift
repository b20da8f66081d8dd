import HDF5

/// Class labels: `/labels` and `/label_names` in the ganprep layout, the
/// groups in GAPCV's. Files without them (written before labels existed, or
/// packed with `--labels none`) have none.
extension DatasetReader {
    /// The class names in label order, or nil when the file has no labels.
    public func labelNames() throws(DatasetError) -> [String]? {
        switch format {
        case .gapcv:
            return segments.map(\.label)
        case .ganprep:
            guard file.contains(DatasetLayout.labels), file.contains(DatasetLayout.labelNames) else { return nil }
            let dataset = try hdf5 { () throws(HDF5Error) in try file.openDataset(DatasetLayout.labelNames) }
            let rows = dataset.shape.first ?? 0
            // No more classes than images.
            guard dataset.shape.count == 1, (1...Swift.max(1, count)).contains(rows) else {
                throw .invalid(path: path, problem: .labelNamesShape(shape: dataset.shape, count: count))
            }
            try StoredImagesCheck.storage(path: path, dataset: dataset, rows: rows, rowElements: 1, unit: "label names")
            let names = try hdf5 { () throws(HDF5Error) in try dataset.readStrings() }
            if let problem = ClassNames.problem(names) { throw .invalid(path: path, problem: .classNames(object: "/label_names", problem)) }
            return names
        }
    }

    /// Each image's class, an index into `labelNames()`, in file order; nil
    /// when the file has no labels.
    public func labels() throws(DatasetError) -> [Int32]? {
        guard let names = try labelNames() else { return nil }
        switch format {
        case .gapcv:
            return segments.enumerated().flatMap { Array(repeating: Int32($0.offset), count: $0.element.count) }
        case .ganprep:
            let dataset = try hdf5 { () throws(HDF5Error) in try file.openDataset(DatasetLayout.labels) }
            guard dataset.shape == [count] else {
                throw .invalid(path: path, problem: .perImageShape(object: "/labels", shape: dataset.shape, count: count))
            }
            try StoredImagesCheck.storage(path: path, dataset: dataset, rows: count, rowElements: 1, unit: "labels")
            let values = try hdf5 { () throws(HDF5Error) in try dataset.read(Int32.self, start: [0], count: [count]) }
            if let bad = values.firstIndex(where: { $0 < 0 || Int($0) >= names.count }) {
                throw .invalid(path: path, problem: .labelOutOfRange(image: bad, label: values[bad], classes: names.count))
            }
            return values
        }
    }
}

extension DatasetReader {
    /// Images per class: `labels` (indices below `classes`, as `labels()` returns them) counted.
    public static func classCounts(_ labels: [Int32], classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// One string per image from a ganprep-layout dataset (`urls`,
    /// `sha256`), empty strings where the file has none.
    public func strings(_ name: String) throws(DatasetError) -> [String] {
        guard format == .ganprep, file.contains(name) else { return Array(repeating: "", count: count) }
        let dataset = try hdf5 { () throws(HDF5Error) in try file.openDataset(name) }
        guard dataset.shape == [count] else { throw .invalid(path: path, problem: .perImageShape(object: "/" + name, shape: dataset.shape, count: count)) }
        try StoredImagesCheck.storage(path: path, dataset: dataset, rows: count, rowElements: 1, unit: name)
        return try hdf5 { () throws(HDF5Error) in try dataset.readStrings() }
    }

    /// Whether the images are a virtual dataset (a `ganprep merge` output).
    public var isVirtual: Bool { segments.contains { $0.dataset.isVirtual } }

    /// The files a virtual /images reads from, in mapping order, each once.
    public var virtualParts: [String] {
        var seen = Set<String>()
        return segments.flatMap { $0.dataset.virtualSources.map(\.file) }.filter { seen.insert($0).inserted }
    }
}
