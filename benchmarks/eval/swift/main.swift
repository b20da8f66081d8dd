// The classifier's feature forward pass, timed: ganprep's side of the eval benchmark.
// Usage: eval-bench SIZE CHANNELS BATCH THREADS ROUNDS
//   prints one JSON line: median seconds per batch and features per second.
import Foundation
import GAN
import LinearAlgebra
import Support

let args = CommandLine.arguments
guard args.count == 6, let size = Int(args[1]), let channels = Int(args[2]), let batch = Int(args[3]),
      let threads = Int(args[4]), let rounds = Int(args[5]) else {
    FileHandle.standardError.write(Data("usage: eval-bench SIZE CHANNELS BATCH THREADS ROUNDS\n".utf8))
    exit(2)
}
BLAS.letIdleThreadsSleep()
BLAS.preferOptimizedKernels()
BLAS.threads = threads
let model = ClassifierModel(height: size, width: size, channels: channels, classes: 10, seed: 1)
var random = SeededGenerator(seed: 2)
let images = Tensor(shape: [batch, size, size, channels])
random.fillUniform(images, limit: 1)
for _ in 0..<2 { _ = model.features(images) }
var times: [Double] = []
for _ in 0..<rounds {
    let start = monotonicSeconds()
    _ = model.features(images)
    times.append(monotonicSeconds() - start)
}
times.sort()
let median = times[times.count / 2]
print("{\"median_s\": \(median), \"features_per_s\": \(Double(batch) / median)}")
