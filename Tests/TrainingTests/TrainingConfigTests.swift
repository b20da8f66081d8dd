import Foundation
import GAN
import Testing
import Training

@Suite struct TrainingConfigTests {
    /// The configuration of a checkpoint written before TrainingOptions
    /// existed (one flat object): it must still load, with every field.
    static let writtenByVersion010 = """
        {
          "batch" : 32, "beta1" : 0.5, "channels" : 1, "checkpointEvery" : 2, "dataset" : "d.h5", "epochs" : 10,
          "featureMaps" : 16, "height" : 28, "keepCheckpoints" : 3, "latent" : 20, "learningRate" : 0.0002,
          "model" : "mlp", "prefetch" : 4, "realLabel" : 0.9, "seed" : 5, "stream" : true, "threads" : 1, "width" : 28
        }
        """

    @Test func flatConfigurationsOfEarlierVersionsLoadAndWriteBackTheSameKeys() throws {
        let config = try TrainingConfig.from(json: Self.writtenByVersion010, source: "old.h5")
        #expect(config.model == .mlp && config.height == 28 && config.width == 28 && config.channels == 1)
        #expect(config.batch == 32 && config.latent == 20 && config.featureMaps == 16 && config.seed == 5 && config.stream)
        #expect(config.realLabel == 0.9 && config.checkpointEvery == 2 && config.steps == nil && config.sampleEvery == nil)
        let written = try JSONSerialization.jsonObject(with: Data(config.json.utf8)) as? [String: Any]
        let original = try JSONSerialization.jsonObject(with: Data(Self.writtenByVersion010.utf8)) as? [String: Any]
        #expect(Set(written?.keys ?? [:].keys) == Set(original?.keys ?? [:].keys))
        #expect(try TrainingConfig.from(json: config.json, source: "again") == config)
    }

    @Test func anUnknownModelIsAnErrorThatNamesIt() {
        let json = Self.writtenByVersion010.replacingOccurrences(of: "\"mlp\"", with: "\"stylegan\"")
        #expect { try TrainingConfig.from(json: json, source: "odd.h5") } throws: { error in
            "\(error)".contains("odd.h5") && "\(error)".contains("model stylegan is neither dcgan nor mlp")
        }
    }
}
