import Foundation
import Imaging
import Pack

extension PackOptions {
    /// Options that write `format`'s layout (ganprep's or GAPCV's) with `writer`'s settings.
    public init(preprocessor: ImagePreprocessor, format: DatasetFormat = .ganprep, writer: DatasetWriterOptions,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, batch: Int = 256, filters: PackFilters = PackFilters()) {
        self.init(preprocessor: preprocessor, makeSink: { temporary, output in
            switch format {
            case .ganprep:
                return try DatasetWriter(path: temporary, options: writer)
            case .gapcv:
                return try GAPCVWriter(path: temporary, name: ((output as NSString).lastPathComponent as NSString).deletingPathExtension, options: writer)
            }
        }, workers: workers, batch: batch, filters: filters)
    }
}
