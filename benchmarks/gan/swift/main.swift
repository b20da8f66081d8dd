// One GAN training step, timed: ganprep's side of the GAN benchmark.
// Usage: gan-bench ARCH SIZE CHANNELS BATCH THREADS STEPS [CLASSES]
//   (CLASSES > 0: the class-conditional pair of that many classes, its steps
//   alternating with an unconditional pair's: "paired_unconditional_s")
//   prints one JSON line: median and mean step seconds, GFLOP/s, conv-layer GFLOP/s,
//   and the sgemm rate of this machine on the step's largest conv GEMM.
import Foundation
import GAN
import LinearAlgebra
import Support

let args = CommandLine.arguments
let classes = args.count == 8 ? Int(args[7]) ?? -1 : 0
guard args.count == 7 || args.count == 8, classes >= 0, let arch = GANArchitecture(rawValue: args[1]), let size = Int(args[2]), let channels = Int(args[3]),
      let batch = Int(args[4]), let threads = Int(args[5]), let steps = Int(args[6]) else {
    FileHandle.standardError.write(Data("usage: gan-bench mlp|dcgan SIZE CHANNELS BATCH THREADS STEPS [CLASSES]\n".utf8))
    exit(2)
}
BLAS.letIdleThreadsSleep()
BLAS.preferOptimizedKernels()
BLAS.threads = threads
let models = GANModels(architecture: arch, height: size, width: size, channels: channels, featureMaps: 64, classes: classes, seed: 1)
let trainer = GANTrainer(models: models, seed: 1)
var random = SeededGenerator(seed: 2)
let real = Tensor(shape: [batch, size, size, channels])
for i in 0..<real.count { real.data[i] = 2 * random.nextUniform() - 1 }
let labels: [Int32]? = classes > 0 ? (0..<batch).map { _ in Int32(random.below(classes)) } : nil

// Warm up (allocates every buffer once), then time.
// A conditional run also times the unconditional pair, step for step in turn,
// so that the machine's drift affects both alike.
let plain = classes > 0 ? GANTrainer(models: GANModels(architecture: arch, height: size, width: size, channels: channels,
                                                       featureMaps: 64, seed: 1), seed: 1) : nil
for _ in 0..<2 { _ = trainer.step(real: real, labels: labels); _ = plain?.step(real: real) }
var plainTimes: [Double] = []
models.generator.timings = [:]
models.discriminator.timings = [:]
var times: [Double] = []
for _ in 0..<steps {
    if let plain {
        let start = monotonicSeconds()
        _ = plain.step(real: real)
        plainTimes.append(monotonicSeconds() - start)
    }
    let start = monotonicSeconds()
    _ = trainer.step(real: real, labels: labels)
    times.append(monotonicSeconds() - start)
}
let mean = times.reduce(0, +) / Double(times.count)
times.sort()
let median = times[times.count / 2]
let flops = trainer.stepFLOPs(batch: batch)

// FLOPs of the convolution layers in one step, and the time they took.
var convFLOPs = 0.0
for (model, inputShape, passes) in [(models.generator, [batch, models.latentSize], 3.0), (models.discriminator, [batch, size, size, channels], 8.0)] {
    var shape = inputShape
    for layer in model.layers {
        if layer is Conv2D || layer is Conv2DTranspose { convFLOPs += passes * layer.forwardFLOPs(inputShape: shape) }
        shape = layer.outputShape(for: shape)
    }
}
let g = models.generator.timings!, d = models.discriminator.timings!
let convSeconds = (g["Conv2D", default: 0] + g["Conv2DTranspose", default: 0] + d["Conv2D", default: 0] + d["Conv2DTranspose", default: 0]) / Double(steps)
let denseSeconds = (g["Dense", default: 0] + d["Dense", default: 0]) / Double(steps)
var breakdown: [String: Double] = [:]
for (k, v) in g { breakdown[k, default: 0] += v / Double(steps) }
for (k, v) in d { breakdown[k, default: 0] += v / Double(steps) }

// The machine's sgemm rate on a large im2col-shaped product (M=16384, K=1024, N=128).
@MainActor func sgemmRate(m: Int, k: Int, n: Int) -> Double {
    let a = Tensor(shape: [m, k]), b = Tensor(shape: [k, n]), c = Tensor(shape: [m, n])
    random.fillNormal(a); random.fillNormal(b)
    var best = Double.infinity
    for _ in 0..<5 {
        let start = monotonicSeconds()
        BLAS.gemm(m: m, n: n, k: k, a: a.data, lda: k, b: b.data, ldb: n, c: c.data, ldc: n)
        best = min(best, monotonicSeconds() - start)
    }
    return 2 * Double(m * k * n) / best / 1e9
}
let rate = arch == .dcgan ? sgemmRate(m: batch * (size / 4) * (size / 4), k: 1024, n: 128) : sgemmRate(m: batch, k: 1024, n: size * size * channels)
let parts = breakdown.sorted { $0.value > $1.value }.map { "\"\($0.key)\": \(String(format: "%.4f", $0.value))" }.joined(separator: ", ")
print("{\"arch\": \"\(arch.rawValue)\", \"classes\": \(classes), \"paired_unconditional_s\": \(plainTimes.isEmpty ? 0 : plainTimes.sorted()[plainTimes.count / 2]), \"threads\": \(threads), \"median_s\": \(median), \"mean_s\": \(mean), \"gflop\": \(flops / 1e9), "
      + "\"gflops\": \(flops / median / 1e9), \"conv_gflops\": \(convSeconds > 0 ? convFLOPs / convSeconds / 1e9 : 0), "
      + "\"conv_s\": \(convSeconds), \"dense_s\": \(denseSeconds), \"sgemm_gflops\": \(rate), \"layers\": {\(parts)}}")
