import HDF5
import Support

/// Checks on what a dataset file claims before anything is allocated for
/// it: sizes without overflow and within reason, and at least as much data
/// stored as the extent promises (a file may declare 10^9 images and hold
/// none: libhdf5 would then read fill values forever).
enum StoredImagesCheck {
    /// The largest image a reader accepts: 1 GiB of float32.
    static let maxImageBytes = 1 << 30

    /// The product of `values`, nil on overflow or a negative factor.
    static func product(_ values: [Int]) -> Int? {
        var result = 1
        for value in values {
            guard value >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// Validates an image shape; returns floats per image.
    static func imageShape(path: String, height: Int, width: Int, channels: Int) throws(DatasetError) -> Int {
        guard height > 0, width > 0 else {
            throw .invalid(path: path, problem: .zeroDimension(height: height, width: width))
        }
        guard channels == 1 || channels == 3 else { throw .invalid(path: path, problem: .channels(channels)) }
        guard let size = product([height, width, channels]), size <= maxImageBytes / MemoryLayout<Float>.size else {
            throw .invalid(path: path, problem: .imageTooLarge(height: height, width: width, channels: channels, limitMiB: maxImageBytes >> 20))
        }
        return size
    }

    /// Validates the chunk size of `dataset`.
    static func chunks(path: String, dataset: HDF5Dataset) throws(DatasetError) {
        guard let chunk = dataset.chunkShape else { return }
        guard let bytes = product(chunk + [dataset.elementSize]), bytes <= DatasetLayout.maxChunkBytes else {
            throw .invalid(path: path, problem: .chunkTooLarge(object: dataset.objectPath, chunk: chunk, limitMiB: DatasetLayout.maxChunkBytes >> 20))
        }
    }

    /// Validates that `dataset` stores data for its first `rows` rows of
    /// `rowElements` elements each.
    static func storage(path: String, dataset: HDF5Dataset, rows: Int, rowElements: Int, unit: String = "images") throws(DatasetError) {
        guard rows > 0, !dataset.isVirtual else { return }
        guard let logical = product([rows, rowElements, dataset.elementSize]) else {
            throw .invalid(path: path, problem: .declaredSizeOverflow(object: dataset.objectPath, rows: rows, rowElements: rowElements))
        }
        let stored = dataset.storageSize
        guard dataset.hasAllocatedStorage, stored > 0 else {
            throw .invalid(path: path, problem: .noStoredData(object: dataset.objectPath, rows: rows, unit: unit))
        }
        // Deflate compresses at most about 1032:1; uncompressed data is stored whole.
        let ratio = dataset.filters.isEmpty ? 1 : 1100
        let (bound, overflow) = stored.multipliedReportingOverflow(by: ratio)
        if !overflow && bound < logical {
            throw .invalid(path: path, problem: .shortStorage(object: dataset.objectPath, rows: rows, unit: unit, logical: logical, stored: stored))
        }
    }
}

extension DatasetReader {
    /// Refuses NaN and infinite pixels among images read from this file:
    /// `values` holds images from `firstImage` on.
    /// - Throws: `.invalid` naming the image and the value.
    public func checkFinite(_ values: UnsafeBufferPointer<Float>, firstImage: Int) throws(DatasetError) {
        guard let bad = NonFinite.first(in: values) else { return }
        throw .invalid(path: path, problem: .nonFinitePixel(image: firstImage + bad.index / Swift.max(1, sampleSize), value: bad.value))
    }
}
