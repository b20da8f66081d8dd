import Storage

/// Where `export` puts its files: a zip, a folder, or tar shards. Names are
/// relative ("00000/img00000000.png"), made by the exporter, never taken from the data.
protocol ExportSink: AnyObject {
    /// Adds a file.
    func add(_ name: String, _ bytes: [UInt8]) throws(StorageError)
    /// Ends a group of files (a WebDataset sample); other sinks ignore it.
    func endSample() throws(StorageError)
    /// Writes what is left and closes; the output is then complete under its temporary name.
    func finish() throws(StorageError)
}

extension ExportSink {
    func endSample() throws(StorageError) {}
}
