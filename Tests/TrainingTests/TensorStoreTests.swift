import Foundation
import GAN
import Support
import Testing
import Training

@Suite struct TensorStoreTests {
    @Test func checkpointRoundTripGivesIdenticalOutputs() throws {
        let a = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 3, featureMaps: 8, seed: 1)
        let b = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 3, featureMaps: 8, seed: 2)
        var random = SeededGenerator(seed: 4)
        let z = Tensor(shape: [3, 100])
        random.fillNormal(z)
        // Move the BatchNorm statistics away from their initial values first.
        _ = a.generator.forward(z, training: true)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let named = { (m: Sequential) in (m.parameters + m.state).map { (name: $0.name, tensor: $0.value) } }
        try TensorStore.save(named(a.generator), attributes: ["step": .integers([7])], to: path)
        #expect(a.generator.forward(z, training: false).array != b.generator.forward(z, training: false).array)
        let attributes = try TensorStore.load(named(b.generator), from: path)
        #expect(attributes["step"]?.intValue == 7)
        #expect(a.generator.forward(z, training: false).array == b.generator.forward(z, training: false).array)
        // A model of another shape is refused.
        let other = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 1, featureMaps: 8)
        #expect(throws: (any Error).self) { try TensorStore.load(named(other.generator), from: path) }
    }
}
