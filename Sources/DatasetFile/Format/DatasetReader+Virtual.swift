import Foundation
import HDF5
import Support

/// A merged file's `/images` is a virtual dataset over its parts. libhdf5
/// reads the rows of a part it cannot open (missing, emptied, a directory,
/// truncated) or that is too short as the fill value, without an error:
/// each part is checked when the file is opened, and rows read are checked
/// for the fill value (NaN in files merged since it was set; 0 before).
extension DatasetReader {
    /// Checks that every source file of a virtual dataset opens and holds
    /// the rows its mappings read, with rows of `rowShape`; returns the
    /// first source's chunk rows, the unit of streamed reads.
    /// - Throws: `.invalid` naming the merged file and the part.
    static func checkVirtualSources(of dataset: HDF5Dataset, path: String, rowShape: [Int]) throws(DatasetError) -> Int? {
        let mappings = dataset.virtualMappings
        guard !mappings.isEmpty else { return nil }
        var chunk: Int?
        var needed: [String: (dataset: String, rows: Int)] = [:]
        var order: [String] = []
        for m in mappings where m.file != "." {
            if needed[m.file] == nil { order.append(m.file) }
            needed[m.file] = (m.dataset, max(needed[m.file]?.rows ?? 0, m.endRow))
        }
        for file in order {
            let (name, rows) = needed[file]!
            let part = resolve(part: file, of: path)
            func refuse(_ problem: MergedPartProblem) -> DatasetError {
                .invalid(path: path, problem: .mergedPart(part: part, dataset: dataset.objectPath, problem: problem))
            }
            guard FileManager.default.fileExists(atPath: part) else { throw refuse(.missing) }
            let source: HDF5File, data: HDF5Dataset
            do { source = try HDF5File.open(part) } catch { throw refuse(.cannotOpen(error)) }
            do { data = try source.openDataset(name) } catch { throw refuse(.noDataset(name)) }
            guard data.shape.count == rowShape.count + 1, Array(data.shape.dropFirst()) == rowShape else {
                throw refuse(.shape(dataset: name, found: data.shape, rowShape: rowShape))
            }
            guard data.shape[0] >= rows else { throw refuse(.short(dataset: name, holds: data.shape[0], reads: rows)) }
            do {
                try StoredImagesCheck.storage(path: part, dataset: data, rows: rows, rowElements: rowShape.reduce(1, *))
            } catch {
                guard case let .invalid(_, problem) = error else { throw error }
                throw refuse(.damaged(problem))
            }
            if chunk == nil { chunk = data.chunkShape?.first }
        }
        return chunk
    }

    /// A part's path as stored, found beside the merged file when relative.
    static func resolve(part file: String, of path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file
    }

    /// Refuses rows of a virtual segment that read as NaN (the fill value of
    /// an unreadable part), naming the part the rows come from.
    func checkVirtualRead(_ values: UnsafeBufferPointer<Float>, segment: Segment, firstRow: Int) throws(DatasetError) {
        guard let bad = NonFinite.first(in: values), bad.value.isNaN else { return }
        let row = firstRow + bad.index / Swift.max(1, sampleSize)
        let mapping = segment.dataset.virtualMappings.first { row >= $0.targetRow && row < $0.targetRow + $0.endRow - $0.firstRow }
        let part = mapping.map { Self.resolve(part: $0.file, of: path) } ?? "a part"
        throw .invalid(path: path, problem: .unreadableMergedRow(row: row, dataset: segment.dataset.objectPath, part: part))
    }
}
