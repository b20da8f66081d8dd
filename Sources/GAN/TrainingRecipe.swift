import Foundation

/// The adversarial loss a pair trains with.
public enum AdversarialLossKind: String, Codable, Sendable, CaseIterable {
    /// Binary cross-entropy (the 2015 DCGAN recipe): D targets 1 (or the real label) and 0, G targets 1.
    case bce
    /// The hinge loss (Lim & Ye; SNGAN, BigGAN): D minimises relu(1 - D(x)) + relu(1 + D(G(z))), G minimises -D(G(z)).
    case hinge
}

/// How the images the discriminator sees are augmented.
public enum AugmentMode: String, Codable, Sendable, CaseIterable {
    /// Not at all.
    case none
    /// DiffAugment (Zhao et al. 2020): every operation of the policy on every image, real and generated.
    case diffaug
    /// Adaptive (Karras et al. 2020): each operation with probability p, p steered by the overfitting signal.
    case ada
}

/// One differentiable augmentation.
public enum AugmentOperation: String, Codable, Sendable, CaseIterable {
    /// Brightness, saturation and contrast (DiffAugment's "color").
    case color
    /// An integer shift of up to 1/8 of the side, zero padded.
    case translation
    /// A zeroed square half the side.
    case cutout
}

/// Every choice of how a GAN trains, beyond the architecture and the data:
/// the loss, each network's Adam settings, discriminator steps per generator
/// step, the generator's moving average, augmentation and spectral
/// normalisation. `classic` is the 2015 DCGAN recipe ganprep started with;
/// `modern` the small-data recipe that measured best (see the README's
/// figures).
public struct TrainingRecipe: Codable, Sendable, Equatable {
    /// The preset a recipe was built from.
    public enum Name: String, Codable, Sendable, CaseIterable {
        /// The 2015 recipe: BCE, one learning rate, no EMA, no augmentation, BatchNorm in D.
        case classic
        /// The small-data recipe: generator EMA and a higher learning rate by default; augmentation, spectral norm,
        /// hinge and two learning rates as options.
        case modern
    }

    /// The preset these values started from (individual options may have changed some).
    public var name: Name
    /// The adversarial loss.
    public var loss: AdversarialLossKind
    /// The generator's Adam learning rate.
    public var generatorLearningRate: Float
    /// The discriminator's Adam learning rate.
    public var discriminatorLearningRate: Float
    /// Adam's beta1, both networks.
    public var beta1: Float
    /// Adam's beta2, both networks.
    public var beta2: Float
    /// Discriminator updates per generator update (each on the step's real batch, with fresh noise).
    public var discriminatorSteps: Int
    /// The half-life of the generator's moving average in thousands of images (StyleGAN2-ADA's `ema_kimg`); 0: none.
    public var emaKimg: Double
    /// The moving average's ramp-up: its half-life is at most this fraction of the images seen so far (0.05 in StyleGAN2-ADA); 0: none.
    public var emaRampup: Double
    /// Augmentation of what D sees.
    public var augment: AugmentMode
    /// The operations augmentation applies, in this order.
    public var augmentPolicy: [AugmentOperation]
    /// Adaptive augmentation's target for E[sign(D(real))].
    public var adaTarget: Double
    /// Adaptive augmentation: thousands of images for p to move from 0 to 1.
    public var adaKimg: Double
    /// Steps between adjustments of p.
    public var adaInterval: Int
    /// Spectral normalisation of D's weights (and no BatchNorm in D).
    public var spectralNorm: Bool
    /// A conditional generator's BatchNorm layers class-conditional: a gain and bias per class (de Vries et al. 2017).
    public var classBatchNorm: Bool
    /// The last part of the run's budget (steps, epochs or `--time-limit`, whichever ends it first) over which both
    /// learning rates fall linearly to zero, as a fraction of it; 0: constant rates.
    public var learningRateDecay: Double

    /// A recipe with every value given.
    public init(name: Name, loss: AdversarialLossKind, generatorLearningRate: Float, discriminatorLearningRate: Float, beta1: Float,
                beta2: Float, discriminatorSteps: Int, emaKimg: Double, emaRampup: Double, augment: AugmentMode,
                augmentPolicy: [AugmentOperation], adaTarget: Double, adaKimg: Double, adaInterval: Int, spectralNorm: Bool,
                classBatchNorm: Bool = false, learningRateDecay: Double = 0) {
        self.name = name
        self.loss = loss
        self.generatorLearningRate = generatorLearningRate
        self.discriminatorLearningRate = discriminatorLearningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.discriminatorSteps = discriminatorSteps
        self.emaKimg = emaKimg
        self.emaRampup = emaRampup
        self.augment = augment
        self.augmentPolicy = augmentPolicy
        self.adaTarget = adaTarget
        self.adaKimg = adaKimg
        self.adaInterval = adaInterval
        self.spectralNorm = spectralNorm
        self.classBatchNorm = classBatchNorm
        self.learningRateDecay = learningRateDecay
    }

    private enum CodingKeys: String, CodingKey {
        case name, loss, generatorLearningRate, discriminatorLearningRate, beta1, beta2, discriminatorSteps, emaKimg, emaRampup
        case augment, augmentPolicy, adaTarget, adaKimg, adaInterval, spectralNorm, classBatchNorm, learningRateDecay
    }

    /// Decodes a recipe; `classBatchNorm` is false and `learningRateDecay` 0 where a run from before they were options left them out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(Name.self, forKey: .name), loss: try c.decode(AdversarialLossKind.self, forKey: .loss),
                  generatorLearningRate: try c.decode(Float.self, forKey: .generatorLearningRate),
                  discriminatorLearningRate: try c.decode(Float.self, forKey: .discriminatorLearningRate),
                  beta1: try c.decode(Float.self, forKey: .beta1), beta2: try c.decode(Float.self, forKey: .beta2),
                  discriminatorSteps: try c.decode(Int.self, forKey: .discriminatorSteps), emaKimg: try c.decode(Double.self, forKey: .emaKimg),
                  emaRampup: try c.decode(Double.self, forKey: .emaRampup), augment: try c.decode(AugmentMode.self, forKey: .augment),
                  augmentPolicy: try c.decode([AugmentOperation].self, forKey: .augmentPolicy),
                  adaTarget: try c.decode(Double.self, forKey: .adaTarget), adaKimg: try c.decode(Double.self, forKey: .adaKimg),
                  adaInterval: try c.decode(Int.self, forKey: .adaInterval), spectralNorm: try c.decode(Bool.self, forKey: .spectralNorm),
                  classBatchNorm: try c.decodeIfPresent(Bool.self, forKey: .classBatchNorm) ?? false,
                  learningRateDecay: try c.decodeIfPresent(Double.self, forKey: .learningRateDecay) ?? 0)
    }

    /// The 2015 DCGAN recipe: BCE, Adam(lr, beta1, 0.999) for both networks, one D step, nothing else.
    public static func classic(learningRate: Float = 2e-4, beta1: Float = 0.5) -> TrainingRecipe {
        TrainingRecipe(name: .classic, loss: .bce, generatorLearningRate: learningRate, discriminatorLearningRate: learningRate,
                       beta1: beta1, beta2: 0.999, discriminatorSteps: 1, emaKimg: 0, emaRampup: 0, augment: .none,
                       augmentPolicy: [], adaTarget: 0.6, adaKimg: 100, adaInterval: 4, spectralNorm: false)
    }

    /// The small-data recipe with the defaults that measured best on the demo's data (benchmarks/README.md, quality;
    /// ahead of classic at the demo's budget and at 30 minutes): generator EMA (half-life 10k images, ramped up) with
    /// learning rates of 8e-4 for G and DCGAN's 2e-4 for D (the mlp keeps 2e-4 for both: not measured higher), BCE, BatchNorm in D, and for
    /// dcgan adaptive augmentation (colour and translation) that waits for E[sign(D(real))] to pass 0.8, so that it
    /// only starts once D overfits (at 0.6 it started within 300 steps and cost at the demo's budget). The hinge loss and
    /// spectral norm each measured worse and are options (`--loss hinge`, `--spectral-norm`). The mlp's D outputs a
    /// probability, whose sign says nothing, so it has no augmentation. For dcgan both rates fall linearly to 0 over
    /// the last 30% of the budget (in 30 minutes' steps FID 0.31 and 0.42 on seeds 1 and 2 against 0.41 and 0.60 at
    /// constant rates); the mlp's stay constant (not measured).
    public static func modern(for architecture: GANArchitecture) -> TrainingRecipe {
        let dcgan = architecture == .dcgan
        let generatorRate: Float = dcgan ? 8e-4 : 2e-4
        return TrainingRecipe(name: .modern, loss: .bce, generatorLearningRate: generatorRate, discriminatorLearningRate: 2e-4, beta1: 0.5,
                              beta2: 0.999, discriminatorSteps: 1, emaKimg: 10, emaRampup: 0.05, augment: dcgan ? .ada : .none,
                              augmentPolicy: dcgan ? [.color, .translation] : [.color, .translation, .cutout],
                              adaTarget: dcgan ? 0.8 : 0.6, adaKimg: 100, adaInterval: 4, spectralNorm: false,
                              learningRateDecay: dcgan ? 0.3 : 0)
    }

    /// The modern recipe as the literature gives it, every small-data piece on: the hinge loss, spectral norm,
    /// adaptive augmentation and generator EMA at 2e-4 for both networks, constant (dcgan; measurement chose other defaults).
    public static var everyPiece: TrainingRecipe {
        var r = modern(for: .dcgan)
        (r.generatorLearningRate, r.discriminatorLearningRate) = (2e-4, 2e-4)
        (r.loss, r.spectralNorm, r.augment) = (.hinge, true, .ada)
        (r.augmentPolicy, r.adaTarget) = ([.color, .translation, .cutout], 0.6)
        r.learningRateDecay = 0
        return r
    }

    /// The preset of `name` for `architecture`.
    public static func preset(_ name: Name, for architecture: GANArchitecture) -> TrainingRecipe {
        name == .classic ? .classic() : .modern(for: architecture)
    }

    /// The generator's moving-average decay for a step of `batch` images after `imagesSeen`:
    /// 0.5^(batch / half-life), the half-life ramped up to `emaRampup` × images seen; 0 without EMA.
    public func emaBeta(batch: Int, imagesSeen: Double) -> Double {
        guard emaKimg > 0 else { return 0 }
        var halfLife = emaKimg * 1000
        if emaRampup > 0 { halfLife = Swift.min(halfLife, imagesSeen * emaRampup) }
        return halfLife > 0 ? Foundation.pow(0.5, Double(batch) / halfLife) : 0
    }

    /// The factor on both learning rates `fraction` of the way through the run's budget: 1 until the last
    /// `learningRateDecay` of it, then falling linearly to 0 at its end.
    public func learningRateScale(atFraction fraction: Double) -> Double {
        guard learningRateDecay > 0 else { return 1 }
        return Swift.min(1, Swift.max(0, (1 - fraction) / learningRateDecay))
    }
}

extension TrainingRecipe {
    /// One line of every value ("modern: hinge, lr G 0.0002 D 0.0002, betas 0.5/0.999, D steps 1, EMA 10 kimg
    /// (ramp-up 0.05), augment ada color+translation+cutout (target 0.6, 100 kimg), spectral norm").
    public var summary: String {
        let ema = emaKimg > 0 ? "EMA \(emaKimg.formatted) kimg (ramp-up \(emaRampup.formatted))" : "no EMA"
        let policy = augmentPolicy.map(\.rawValue).joined(separator: "+")
        let augmentation: String
        switch augment {
        case .none: augmentation = "no augmentation"
        case .diffaug: augmentation = "augment diffaug \(policy)"
        case .ada: augmentation = "augment ada \(policy) (target \(adaTarget.formatted), \(adaKimg.formatted) kimg)"
        }
        return "\(name.rawValue): \(loss.rawValue), lr G \(generatorLearningRate) D \(discriminatorLearningRate), "
            + "betas \(beta1)/\(beta2), D steps \(discriminatorSteps), \(ema), \(augmentation)"
            + (spectralNorm ? ", spectral norm" : "") + (classBatchNorm ? ", class BatchNorm in G" : "")
            + (learningRateDecay > 0 ? ", rates decay to 0 over the last \(((learningRateDecay * 100_000).rounded() / 1000).formatted)% of the budget" : "")
    }
}

extension Double {
    /// The shortest decimal that reads back as this value ("0.0002", "10").
    fileprivate var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : "\(self)" }
}
