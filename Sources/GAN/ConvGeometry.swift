import LinearAlgebra
/// The index arithmetic of one 2-D convolution over NHWC tensors, and the
/// im2col / col2im transforms that turn it into one matrix product.
///
/// Patch matrix rows are output positions (b, oy, ox); columns are
/// (ky, kx, c), matching a kernel stored as [KH, KW, C, out] (Keras's layout).
struct ConvGeometry: Equatable {
    let height: Int, width: Int, channels: Int
    let kernelHeight: Int, kernelWidth: Int
    let stride: Int
    let outputHeight: Int, outputWidth: Int
    let padTop: Int, padLeft: Int

    init(height: Int, width: Int, channels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Padding) {
        self.height = height
        self.width = width
        self.channels = channels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        switch padding {
        case .valid:
            precondition(height >= kernelHeight && width >= kernelWidth, "input \(height)x\(width) smaller than kernel \(kernelHeight)x\(kernelWidth)")
            outputHeight = (height - kernelHeight) / stride + 1
            outputWidth = (width - kernelWidth) / stride + 1
            padTop = 0
            padLeft = 0
        case .same:
            outputHeight = (height + stride - 1) / stride
            outputWidth = (width + stride - 1) / stride
            padTop = max((outputHeight - 1) * stride + kernelHeight - height, 0) / 2
            padLeft = max((outputWidth - 1) * stride + kernelWidth - width, 0) / 2
        }
    }

    /// Columns of the patch matrix: KH * KW * C.
    var patchSize: Int { kernelHeight * kernelWidth * channels }
    /// Rows of the patch matrix per image: OH * OW.
    var positions: Int { outputHeight * outputWidth }

    /// Writes the patch matrix of `batch` images from `input` [B, H, W, C]
    /// into `cols` [B * OH * OW, KH * KW * C]; padding reads as zero.
    func im2col(_ input: UnsafePointer<Float>, batch: Int, into cols: UnsafeMutablePointer<Float>) {
        let c = channels, rowLength = patchSize
        let imageSize = height * width * c
        forEachImage(batch) { b in
            let image = input + b * imageSize
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var dst = cols + ((b * outputHeight + oy) * outputWidth + ox) * rowLength
                    let x0 = ox * stride - padLeft
                    let y0 = oy * stride - padTop
                    // The kernel's columns that fall inside the image.
                    let kxFirst = max(0, -x0), kxEnd = min(kernelWidth, width - x0)
                    for ky in 0..<kernelHeight {
                        let y = y0 + ky
                        if y < 0 || y >= height || kxFirst >= kxEnd {
                            dst.update(repeating: 0, count: kernelWidth * c)
                        } else {
                            if kxFirst > 0 { dst.update(repeating: 0, count: kxFirst * c) }
                            (dst + kxFirst * c).update(from: image + (y * width + x0 + kxFirst) * c, count: (kxEnd - kxFirst) * c)
                            if kxEnd < kernelWidth { (dst + kxEnd * c).update(repeating: 0, count: (kernelWidth - kxEnd) * c) }
                        }
                        dst += kernelWidth * c
                    }
                }
            }
        }
    }

    /// Adds the patch matrix `cols` back onto `output` [B, H, W, C] (the
    /// adjoint of im2col). `output` is not cleared first.
    func col2imAdd(_ cols: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>) {
        let c = channels, rowLength = patchSize
        let imageSize = height * width * c
        forEachImage(batch) { b in
            let image = output + b * imageSize
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var src = cols + ((b * outputHeight + oy) * outputWidth + ox) * rowLength
                    let x0 = ox * stride - padLeft
                    let y0 = oy * stride - padTop
                    let kxFirst = max(0, -x0), kxEnd = min(kernelWidth, width - x0)
                    for ky in 0..<kernelHeight {
                        let y = y0 + ky
                        if y >= 0 && y < height && kxFirst < kxEnd {
                            let d = image + (y * width + x0 + kxFirst) * c
                            let s = src + kxFirst * c
                            for i in 0..<((kxEnd - kxFirst) * c) { d[i] += s[i] }
                        }
                        src += kernelWidth * c
                    }
                }
            }
        }
    }
}

/// Runs `body` for each image index, split over `BLAS.threads` threads when
/// there is more than one (images touch disjoint memory).
@inline(__always)
func forEachImage(_ batch: Int, _ body: (Int) -> Void) {
    forEachChunk(batch, minimumChunk: 1, alignment: 1) { range in
        for b in range { body(b) }
    }
}
