import Pack
import HDF5
import Imaging

/// Settings shared by both layouts' writers.
public struct DatasetWriterOptions: Sendable {
    /// The images' size in pixels.
    public var size: ImageSize
    /// 1 (gray) or 3 (colour).
    public var channels: Int
    /// RGB or BGR (recorded in `channel_order`).
    public var channelOrder: ChannelOrder
    /// How the images were fitted to the size (recorded in `resize_mode`).
    public var resizeMode: ResizeMode
    /// Images per chunk along N; nil for `DatasetLayout.defaultChunk`.
    public var chunk: Int?
    /// Chunk compression of /images.
    public var compression: DatasetCompression
    /// Written into the `created_by` attribute.
    public var createdBy: String
    /// Where the images' label texts came from (`label_source`).
    public var labels: LabelSource
    /// More distinct label texts than this are free text: no labels.
    public var maxClasses: Int
    /// The classes, when known beforehand (generated images): the file's
    /// label names, whichever of them the images use; every label text must be one.
    public var labelNames: [String]?

    /// Options for images of `size` and `channels`; labels from `labels` (none unless told).
    public init(size: ImageSize, channels: Int, channelOrder: ChannelOrder = .rgb, resizeMode: ResizeMode = .centerCrop,
                chunk: Int? = nil, compression: DatasetCompression = .none, createdBy: String = "ganprep",
                labels: LabelSource = .description, maxClasses: Int = LabelVocabulary.defaultMaxClasses) {
        self.size = size
        self.channels = channels
        self.channelOrder = channelOrder
        self.resizeMode = resizeMode
        self.chunk = chunk
        self.compression = compression
        self.createdBy = createdBy
        self.labels = labels
        self.maxClasses = maxClasses
    }

    /// The images' height in pixels.
    public var height: Int { size.height }
    /// The images' width in pixels.
    public var width: Int { size.width }
    /// Floats per image.
    public var sampleSize: Int { height * width * channels }
    /// The label decision for the images written, in order.
    func vocabulary(_ collected: LabelCollector) -> LabelVocabulary {
        if let labelNames { return collected.labels(names: labelNames) }
        return labels == .none ? .none(reason: "--labels none") : collected.decide(maxClasses: maxClasses, what: labels.what)
    }

    /// The chunk length in images.
    public var resolvedChunk: Int { chunk ?? DatasetLayout.defaultChunk(height: height, width: width, channels: channels) }
}
