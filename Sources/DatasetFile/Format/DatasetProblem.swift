import Support
import HDF5

/// What is wrong with a file that claims a known layout (the payload of
/// `DatasetError.invalid`): each case carries the objects, shapes and
/// counts involved, and `description` says it in words.
public enum DatasetProblem: Error, Sendable, CustomStringConvertible {
    /// A writer was appended to after it was finished.
    case appendedAfterFinish
    /// `/images` is not `[N, H, W, 1 or 3]`.
    case imagesShape([Int])
    /// A GAPCV file without any group holding data.
    case noGAPCVGroup
    /// A GAPCV group whose rows are not the first group's `height`x`width`x`channels`.
    case groupShape(group: String, rows: [Int], height: Int, width: Int, channels: Int)
    /// Flattened GAPCV rows of `values` that the `shape` attribute does not describe.
    case flattenedRows(values: Int)
    /// GAPCV data of a shape that is not images.
    case notImages(shape: [Int])
    /// The file holds no images.
    case noImages
    /// `count` images of this size overflow the address space.
    case sizeOverflow(count: Int, height: Int, width: Int, channels: Int)
    /// Images stored as an HDF5 class that is not a number.
    case notNumbers(typeClass: String)
    /// A per-image dataset (`object`) of `shape` where `[count]` was expected.
    case perImageShape(object: String, shape: [Int], count: Int)
    /// `/label_names` holding `shape` names for `count` images.
    case labelNamesShape(shape: [Int], count: Int)
    /// `/descriptions` holding more strings than images.
    case descriptionRows(rows: Int, count: Int)
    /// Class names that break the rule of `ClassNames`.
    case classNames(object: String, ClassNamesProblem)
    /// Image `image` has `label`, outside the `classes` label names.
    case labelOutOfRange(image: Int, label: Int32, classes: Int)
    /// Images with a zero dimension.
    case zeroDimension(height: Int, width: Int)
    /// Images of `channels`, not 1 or 3.
    case channels(Int)
    /// Images larger than ganprep reads at once (`limitMiB`).
    case imageTooLarge(height: Int, width: Int, channels: Int, limitMiB: Int)
    /// Chunks of `chunk` larger than ganprep reads at once.
    case chunkTooLarge(object: String, chunk: [Int], limitMiB: Int)
    /// `rows` rows of `rowElements` whose size overflows.
    case declaredSizeOverflow(object: String, rows: Int, rowElements: Int)
    /// `rows` rows declared (of `unit`: images, labels, ...) and no data stored.
    case noStoredData(object: String, rows: Int, unit: String)
    /// `rows` rows declared whose `logical` bytes cannot fit in the `stored` bytes.
    case shortStorage(object: String, rows: Int, unit: String, logical: Int, stored: Int)
    /// Image `image` holds a NaN or infinite value.
    case nonFinitePixel(image: Int, value: Float)
    /// `count` images need more memory than is available.
    case memory(count: Int, neededMiB: Int, availableMiB: Int)
    /// A part of a merged file that cannot serve the rows the merge maps.
    case mergedPart(part: String, dataset: String, problem: MergedPartProblem)
    /// Row `row` of a merged dataset reads as the fill value (NaN).
    case unreadableMergedRow(row: Int, dataset: String, part: String)
    /// A global batch smaller than the number of processes sharing it.
    case globalBatch(batch: Int, processes: Int)
    /// A streamed read found a chunk not loaded (a defect of ganprep).
    case chunkNotLoaded(chunk: Int, image: Int)

    /// The problem in words (after the file's path).
    public var description: String {
        switch self {
        case .appendedAfterFinish: return "appended to after it was finished"
        case let .imagesShape(shape): return "/images has shape \(shape), expected [N, H, W, 1 or 3]"
        case .noGAPCVGroup: return "GAPCV file without any group holding data"
        case let .groupShape(group, rows, h, w, c): return "group \(group) holds rows of shape \(rows), expected \(h)x\(w)x\(c)"
        case let .flattenedRows(values): return "flattened GAPCV rows of \(values) values do not match the shape attribute"
        case let .notImages(shape): return "GAPCV data of shape \(shape) is not images"
        case .noImages: return "the file holds no images"
        case let .sizeOverflow(count, h, w, c): return "\(count) images of \(h)x\(w)x\(c): the size overflows"
        case let .notNumbers(typeClass): return "images are stored as \(typeClass), expected numbers"
        case let .perImageShape(object, shape, count): return "\(object) has shape \(shape), expected [\(count)]"
        case let .labelNamesShape(shape, count): return "/label_names holds \(shape) names for \(count) images"
        case let .descriptionRows(rows, count): return "/descriptions holds \(rows) strings for \(count) images"
        case let .classNames(object, problem): return "\(object): \(problem)"
        case let .labelOutOfRange(image, label, classes): return "image \(image) has label \(label), outside the \(classes) label names"
        case let .zeroDimension(h, w): return "images of \(h)x\(w) pixels: a dimension is zero"
        case let .channels(c): return "\(c) channels, expected 1 or 3"
        case let .imageTooLarge(h, w, c, limit): return "images of \(h)x\(w)x\(c) are larger than the \(limit) MiB ganprep reads per image"
        case let .chunkTooLarge(object, chunk, limit): return "\(object) has chunks of \(chunk), more than the \(limit) MiB ganprep reads at once"
        case let .declaredSizeOverflow(object, rows, elements): return "\(object) declares \(rows) rows of \(elements) values: the size overflows"
        case let .noStoredData(object, rows, unit): return "\(object) declares \(rows) \(unit) but stores no data for them"
        case let .shortStorage(object, rows, unit, logical, stored):
            return "\(object) declares \(rows) \(unit) (\(logical) bytes) but stores only \(stored) bytes"
        case let .nonFinitePixel(image, value):
            return "image \(image) holds a pixel value of \(NonFinite.name(value)); ganprep needs finite values (ganprep inspect counts them)"
        case let .memory(count, needed, available):
            return "\(count) images need \(needed) MiB in memory, more than the \(available) MiB available; train with --stream to read mini-batches from the file instead"
        case let .mergedPart(part, dataset, problem):
            return "part \(part) of the merged \(dataset) \(problem) (a merged file reads its parts where they were merged: keep them whole beside it, or merge with --copy)"
        case let .unreadableMergedRow(row, dataset, part):
            return "image \(row) of the merged \(dataset) reads as the fill value (NaN): \(part) cannot be read any more, or holds NaN there"
        case let .globalBatch(batch, processes):
            return "--batch \(batch) is the global batch, shared by \(processes) processes: it must be at least \(processes)"
        case let .chunkNotLoaded(chunk, image): return "internal: chunk \(chunk) of image \(image) was not loaded"
        }
    }
}

/// Why one part of a merged file cannot serve its rows.
public indirect enum MergedPartProblem: Sendable, CustomStringConvertible {
    /// The part's file is gone.
    case missing
    /// libhdf5 cannot open it.
    case cannotOpen(HDF5Error)
    /// It has no dataset of that name.
    case noDataset(String)
    /// Its dataset's rows are not the merged rows' shape.
    case shape(dataset: String, found: [Int], rowShape: [Int])
    /// It holds fewer rows than the merge maps.
    case short(dataset: String, holds: Int, reads: Int)
    /// Its data is not all stored.
    case damaged(DatasetProblem)

    /// The problem in words, after "part P of the merged D".
    public var description: String {
        switch self {
        case .missing: return "is missing"
        case let .cannotOpen(error): return "cannot be opened: \(error.openFailure ?? error.description)"
        case let .noDataset(name): return "has no dataset \(name)"
        case let .shape(name, found, rowShape): return "holds \(name) of shape \(found), not rows of \(rowShape)"
        case let .short(name, holds, reads): return "holds \(holds) rows of \(name), the merge reads \(reads)"
        case let .damaged(problem): return "is damaged: \(problem)"
        }
    }
}
