import DatasetFile
import GAN
import Support

/// What a class-conditional run adds to a training run: every image's
/// class (from the dataset's `/labels`), the classes its generated batches
/// ask for, and the rows of its sample grids.
struct RunConditioning {
    let names: [String]
    /// Each image's class, in file order.
    let labels: [Int32]
    let distribution: ClassDistribution
    /// The classes of the sample grids' rows.
    let gridClasses: [Int32]

    /// Rows in a grid unless `--grid-classes` chooses.
    static let defaultGridRows = 10

    init(reader: DatasetReader, options: TrainingOptions) throws(TrainingError) {
        let read: (names: [String]?, labels: [Int32]?)
        do { read = (try reader.labelNames(), try reader.labels()) } catch { throw .datasetFile(error) }
        guard let names = read.names, let labels = read.labels else {
            throw .dataset(.noLabels(path: reader.path, use: .conditional))
        }
        let counts = DatasetReader.classCounts(labels, classes: names.count)
        guard counts.filter({ $0 > 0 }).count >= 2 else {
            throw .dataset(.oneClass(path: reader.path, name: names[counts.firstIndex { $0 > 0 } ?? 0], use: .conditional))
        }
        self.names = names
        self.labels = labels
        distribution = ClassDistribution(counts: counts, balance: options.classBalance ?? .frequency)
        if let chosen = options.gridClasses {
            gridClasses = try chosen.map { name throws(TrainingError) in
                guard let index = names.firstIndex(of: name) else {
                    throw .dataset(.unknownGridClass(path: reader.path, name: name, classes: names))
                }
                return Int32(index)
            }
        } else {
            gridClasses = (0..<min(names.count, Self.defaultGridRows)).map(Int32.init)
        }
    }

    /// The classes of the images at `indices`.
    func labels(of indices: [Int]) -> [Int32] { indices.map { labels[$0] } }

    /// Class names quoted and joined for messages.
}
