/// What `export` writes.
public struct ExportOptions: Sendable {
    /// The layout.
    public var format: ExportFormat
    /// WebDataset: samples per tar shard.
    public var shardSize: Int
    /// StyleGAN: a zip (true) or a folder (false) — by default, a zip when `--out` ends in ".zip".
    public var zip: Bool?

    /// Options for `format`.
    public init(format: ExportFormat, shardSize: Int = 1000, zip: Bool? = nil) {
        self.format = format
        self.shardSize = shardSize
        self.zip = zip
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    /// Images exported.
    public var images: Int
    /// The output's path.
    public var out: String
    /// Files (PNGs and their metadata) or, for WebDataset, tar shards written.
    public var files: Int
    /// Wall time in seconds.
    public var seconds: Double
}
