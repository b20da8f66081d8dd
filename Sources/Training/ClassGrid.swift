import GAN
import Imaging

/// The sample grid of a conditional generator: one row per class, labelled
/// with the class name on the left, the same noise in each column, so a
/// column shows one latent vector drawn as every class and a row can be
/// compared across epochs.
public struct ClassGrid {
    /// The classes drawn, one row each (indices into `names`).
    public let classes: [Int32]
    /// Every class's name, by index.
    public let names: [String]
    /// Noise vectors, one per column.
    public let noise: Tensor

    /// A grid of a row per class of `classes`, the columns' noise from `noise`.
    public init(classes: [Int32], names: [String], noise: Tensor) {
        precondition(!classes.isEmpty && classes.allSatisfy { Int($0) < names.count }, "grid classes \(classes) of \(names.count)")
        self.classes = classes
        self.names = names
        self.noise = noise
    }

    /// Images per row.
    public var columns: Int { noise.batch }

    /// Columns of a training run's grids.
    public static let defaultColumns = 8

    /// The noise [rows * columns, latent] and labels of the whole grid, row by row.
    public func inputs() -> (noise: Tensor, labels: [Int32]) {
        let latent = noise.shape[1]
        let all = Tensor(shape: [classes.count * columns, latent])
        for row in 0..<classes.count {
            (all.data + row * columns * latent).update(from: noise.data, count: columns * latent)
        }
        return (all, classes.flatMap { Array(repeating: $0, count: columns) })
    }

    /// The grid of `generator`'s samples (inference mode).
    public func render(_ generator: Sequential) -> DecodedImage {
        let (z, labels) = inputs()
        return Self.render(generator.generate(noise: z, labels: labels), rowNames: classes.map { names[Int($0)] }, columns: columns)
    }

    /// Lays out `samples` ([rows * columns, H, W, C] in [-1, 1]) with `rowNames` on the left (RGB).
    public static func render(_ samples: Tensor, rowNames: [String], columns: Int) -> DecodedImage {
        let grid = SampleGrid.render(samples, columns: columns)
        let rows = rowNames.count
        let textScale = 2, glyph = BitmapFont.height * textScale
        let labelWidth = rowNames.map { BitmapFont.measure($0, scale: textScale) }.max()! + 12
        var canvas = Canvas(width: labelWidth + grid.width, height: max(grid.height, rows * (glyph + 4)))
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let i = (y * grid.width + x) * grid.channels
                let color = grid.channels == 3 ? (grid.pixels[i], grid.pixels[i + 1], grid.pixels[i + 2])
                    : (grid.pixels[i], grid.pixels[i], grid.pixels[i])
                canvas.set(labelWidth + x, y, color)
            }
        }
        // Each name centred on its row of images.
        let rowHeight = Double(grid.height) / Double(rows)
        for (row, name) in rowNames.enumerated() {
            let y = Int(rowHeight * (Double(row) + 0.5)) - glyph / 2
            canvas.text(name, x: 6, y: y, scale: textScale)
        }
        return DecodedImage(width: canvas.width, height: canvas.height, channels: 3, pixels: canvas.pixels)
    }
}
