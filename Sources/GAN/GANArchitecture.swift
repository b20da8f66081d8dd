import Support

/// The two GAN architectures ganprep trains.
public enum GANArchitecture: String, Sendable, CaseIterable, Codable {
    /// The original dense GAN of the Keras experiment.
    case mlp
    /// A deep convolutional GAN (Radford et al.).
    case dcgan

    /// Decodes the raw name; an unknown one is an error that names it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let architecture = GANArchitecture(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "model \(name) is neither dcgan nor mlp")
        }
        self = architecture
    }
}
