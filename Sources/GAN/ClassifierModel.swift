import Support

/// The small CNN that ganprep trains on a dataset's class labels and whose
/// feature layer embeds images for FID, KID and precision/recall: four
/// 3x3 conv + BatchNorm + ReLU blocks (32, 64, 128 and 128 maps; the last
/// three with stride 2, so each position of the last map sees most of a
/// 32-pixel image), global average pooling, a dense feature layer with ReLU
/// (`trunk`, output [B, featureSize]) and a dense layer of class logits (`head`).
public struct ClassifierModel {
    /// The convolutional trunk, images to the feature layer [B, featureSize].
    public let trunk: Sequential
    /// The softmax head, features to class logits [B, classes].
    public let head: Sequential
    /// Values of the feature layer (the space FID, KID and precision/recall are measured in).
    public let featureSize: Int
    /// Classes the head tells apart.
    public let classes: Int
    /// The images it reads: [H, W, C].
    public let imageShape: [Int]

    /// - Parameters: images of `height` x `width` x `channels` (any size of at least 4x4), `classes` of at least 2.
    public init(height: Int, width: Int, channels: Int, classes: Int, featureSize: Int = 128, seed: UInt64 = 0) {
        precondition(height >= 4 && width >= 4 && classes >= 2, "classifier of \(height)x\(width) for \(classes) classes")
        self.featureSize = featureSize
        self.classes = classes
        imageShape = [height, width, channels]
        var layers: [Layer] = []
        var inputs = channels
        for (i, (maps, stride)) in [(32, 1), (64, 2), (128, 2), (128, 2)].enumerated() {
            layers.append(Conv2D(name: "classifier/conv_\(i)", inputChannels: inputs, filters: maps, kernelSize: 3, stride: stride, useBias: false))
            layers.append(BatchNorm(name: "classifier/batch_norm_\(i)", features: maps, momentum: 0.9, epsilon: 1e-5))
            layers.append(ReLU(name: "classifier/relu_\(i)"))
            inputs = maps
        }
        layers.append(GlobalAveragePooling(name: "classifier/pool"))
        layers.append(Dense(name: "classifier/features", inputSize: inputs, units: featureSize))
        layers.append(ReLU(name: "classifier/features_relu"))
        trunk = Sequential(name: "classifier", layers: layers)
        head = Sequential(name: "classifier", layers: [Dense(name: "classifier/logits", inputSize: featureSize, units: classes)])
        var random = SeededGenerator(seed: seed ^ 0xC1A5_51F1)
        // He initialisation for ReLU networks, zero biases.
        for layer in trunk.layers + head.layers {
            if let conv = layer as? Conv2D {
                random.fillNormal(conv.kernel.value, std: (2 / Float(9 * conv.inputChannels)).squareRoot())
            } else if let dense = layer as? Dense {
                random.fillNormal(dense.kernel.value, std: (2 / Float(dense.inputSize)).squareRoot())
            }
        }
    }

    /// Every tensor a classifier file holds (parameters and BatchNorm statistics).
    public var tensors: [(name: String, tensor: Tensor)] {
        (trunk.parameters + trunk.state + head.parameters).map { (name: $0.name, tensor: $0.value) }
    }

    /// Features of a batch [B, H, W, C] (inference mode): [B, featureSize].
    public func features(_ images: Tensor) -> Tensor { trunk.forward(images, training: false) }

    /// Class logits of a batch (inference mode): [B, classes].
    public func logits(_ images: Tensor) -> Tensor { head.forward(features(images), training: false) }
}
