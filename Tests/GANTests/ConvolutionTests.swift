import GAN
import Support
import Testing

@Suite struct ConvolutionTests {
    /// Direct convolution with TensorFlow's "same"/"valid" padding, for reference.
    func direct(_ x: Tensor, _ layer: Conv2D) -> [Float] {
        let (b, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let k = layer.kernelSize, s = layer.stride, f = layer.filters
        let shape = layer.outputShape(for: x.shape)
        let (oh, ow) = (shape[1], shape[2])
        let padTop = layer.padding == .same ? max((oh - 1) * s + k - h, 0) / 2 : 0
        let padLeft = layer.padding == .same ? max((ow - 1) * s + k - w, 0) / 2 : 0
        var out = [Float](repeating: 0, count: b * oh * ow * f)
        for n in 0..<b { for oy in 0..<oh { for ox in 0..<ow { for o in 0..<f {
            var acc = layer.useBias ? layer.bias.value.data[o] : 0
            for ky in 0..<k { for kx in 0..<k {
                let y = oy * s - padTop + ky, xx = ox * s - padLeft + kx
                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                for i in 0..<c {
                    acc += x.data[((n * h + y) * w + xx) * c + i] * layer.kernel.value.data[((ky * k + kx) * c + i) * f + o]
                }
            }}
            out[((n * oh + oy) * ow + ox) * f + o] = acc
        }}}}
        return out
    }

    @Test(arguments: [(1, Padding.same), (2, .same), (2, .valid), (3, .same)])
    func conv2DMatchesDirectConvolution(stride: Int, padding: Padding) {
        var random = SeededGenerator(seed: 11)
        let layer = Conv2D(name: "conv", inputChannels: 3, filters: 5, kernelSize: 4, stride: stride, padding: padding)
        random.fillNormal(layer.kernel.value)
        random.fillNormal(layer.bias.value)
        let x = Tensor(shape: [2, 9, 8, 3])
        random.fillNormal(x)
        let y = layer.forward(x, training: true).array
        let expected = direct(x, layer)
        #expect(y.count == expected.count)
        for i in 0..<y.count { #expect(abs(y[i] - expected[i]) < 1e-3) }
    }

    @Test func transposedConvolutionIsTheAdjointOfConvolution() {
        // <conv(x), y> == <x, convT(y)> for the same kernel.
        var random = SeededGenerator(seed: 5)
        let conv = Conv2D(name: "conv", inputChannels: 3, filters: 4, kernelSize: 4, stride: 2, useBias: false)
        let deconv = Conv2DTranspose(name: "deconv", inputChannels: 4, filters: 3, kernelSize: 4, stride: 2, useBias: false)
        random.fillNormal(conv.kernel.value)
        // Conv kernel [KH, KW, 3, 4]; transposed kernel [KH, KW, 3 (filters), 4 (inputs)]: the same layout.
        deconv.kernel.value.copy(from: conv.kernel.value)
        let x = Tensor(shape: [2, 8, 8, 3]), y = Tensor(shape: [2, 4, 4, 4])
        random.fillNormal(x)
        random.fillNormal(y)
        let cx = conv.forward(x, training: true), ty = deconv.forward(y, training: true)
        #expect(ty.shape == x.shape)
        var a = 0.0, b = 0.0
        for i in 0..<cx.count { a += Double(cx.data[i]) * Double(y.data[i]) }
        for i in 0..<x.count { b += Double(x.data[i]) * Double(ty.data[i]) }
        #expect(abs(a - b) < 1e-3 * max(1, abs(a)))
    }
}
