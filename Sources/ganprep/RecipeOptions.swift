import ArgumentParser
import GAN

extension TrainingRecipe.Name: ExpressibleByArgument {}
extension AdversarialLossKind: ExpressibleByArgument {}
extension AugmentMode: ExpressibleByArgument {}

/// train's recipe options: a preset (`--recipe`) and the values that override it.
struct RecipeOptions: ParsableArguments {
    @Option(help: "modern: the small-data recipe as measured best on the demo's data (generator EMA with 4x the learning rate and, for dcgan, adaptive augmentation that waits for D to overfit and rates that fall to 0 over the last 30% of the budget; spectral norm and the hinge loss are options below); classic: the 2015 DCGAN recipe (BCE, 2e-4, BatchNorm in D, no EMA). benchmarks/README.md (quality) has both at the demo's budget and at 30 minutes. The options below override single values.")
    var recipe: TrainingRecipe.Name = .modern

    @Option(help: "bce or hinge (hinge needs dcgan: the mlp's discriminator outputs a probability).")
    var loss: AdversarialLossKind?

    @Option(name: .customLong("lr-g"), help: "The generator's Adam learning rate (modern: 0.0008, 0.0002 for the mlp; classic: 0.0002).")
    var lrG: Float?

    @Option(name: .customLong("lr-d"), help: "The discriminator's Adam learning rate (modern: 0.0002; classic: 0.0002).")
    var lrD: Float?

    @Option(help: "Adam learning rate for both networks (--lr-g and --lr-d in one).")
    var lr: Float?

    @Option(help: "Adam beta1 for both networks.")
    var beta1: Float?

    @Option(name: .customLong("adam-betas"), help: ArgumentHelp("Adam's beta1,beta2 for both networks (e.g. 0,0.99).", valueName: "b1,b2"))
    var adamBetas: String?

    @Option(name: .customLong("d-steps"), help: "Discriminator updates per generator update, each on the step's real batch with fresh noise.")
    var dSteps: Int?

    @Option(name: .customLong("ema-kimg"), help: "Half-life of the generator's moving average in thousands of images (0: none); grids, evaluations, best.h5 and sample use the average.")
    var emaKimg: Double?

    @Option(name: .customLong("ema-rampup"), help: "The moving average's ramp-up: its half-life is at most this fraction of the images seen so far (StyleGAN2-ADA's ema_rampup, 0.05; 0: none).")
    var emaRampup: Double?

    @Option(help: "Augmentation of everything the discriminator sees: none, diffaug (every operation on every image) or ada (each operation with an adaptive probability p; modern dcgan: ada, classic and the mlp: none).")
    var augment: AugmentMode?

    @Option(name: .customLong("augment-policy"), help: ArgumentHelp("Comma-separated operations: color, translation, cutout (modern dcgan: color,translation).", valueName: "ops"))
    var augmentPolicy: String?

    @Option(name: .customLong("ada-target"), help: "With --augment ada: the target of E[sign(D(real))] (0.6 in StyleGAN2-ADA; modern dcgan: 0.8).")
    var adaTarget: Double?

    @Option(name: .customLong("ada-kimg"), help: "With --augment ada: thousands of images for p to go from 0 to 1.")
    var adaKimg: Double?

    @Flag(name: .customLong("spectral-norm"), inversion: .prefixedNo, help: "Spectral normalisation of the discriminator's weights (dcgan's D then has no BatchNorm).")
    var spectralNorm: Bool?

    @Flag(name: .customLong("class-batch-norm"), inversion: .prefixedNo, help: "With --conditional: the generator's BatchNorm layers class-conditional, a gain and bias per class (besides the class input).")
    var classBatchNorm: Bool?

    @Option(name: .customLong("lr-decay"), help: ArgumentHelp("The last part of the budget (--steps, --epochs or --time-limit, whichever ends the run first), as a fraction of it, over which both learning rates fall linearly to 0 (modern dcgan: 0.3; classic and the mlp: 0, constant rates).", valueName: "fraction"))
    var lrDecay: Double?

    func validate() throws {
        if let lrG { try OptionChecks.positive("--lr-g", lrG, max: 1) }
        if let lrD { try OptionChecks.positive("--lr-d", lrD, max: 1) }
        if let lr { try OptionChecks.positive("--lr", lr, max: 1) }
        if let beta1 { try OptionChecks.number("--beta1", beta1, in: 0...0.999) }
        _ = try betas()
        try OptionChecks.integer("--d-steps", dSteps, in: 1...100)
        if let emaKimg { try OptionChecks.number("--ema-kimg", emaKimg, in: 0...1_000_000) }
        if let emaRampup { try OptionChecks.number("--ema-rampup", emaRampup, in: 0...1) }
        _ = try policy()
        if let adaTarget { try OptionChecks.number("--ada-target", adaTarget, in: 0...1) }
        if let adaKimg { try OptionChecks.positive("--ada-kimg", adaKimg, max: 1_000_000) }
        if let lrDecay { try OptionChecks.number("--lr-decay", lrDecay, in: 0...1) }
    }

    /// --adam-betas as two numbers in [0, 1).
    func betas() throws -> (Float, Float)? {
        guard let adamBetas else { return nil }
        let parts = adamBetas.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let b1 = parts[0], let b2 = parts[1], (0..<1).contains(b1), (0..<1).contains(b2) else {
            throw ValidationError("--adam-betas takes two numbers from 0 up to (not including) 1, as b1,b2 (e.g. 0,0.99); got \"\(adamBetas)\"")
        }
        return (b1, b2)
    }

    /// --augment-policy's operations, in the order given.
    func policy() throws -> [AugmentOperation]? {
        guard let augmentPolicy else { return nil }
        let names = augmentPolicy.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let operations = names.compactMap(AugmentOperation.init(rawValue:))
        guard operations.count == names.count, Set(operations).count == operations.count else {
            throw ValidationError("--augment-policy takes comma-separated operations, each once, of color, translation, cutout; got \"\(augmentPolicy)\"")
        }
        return operations
    }

    /// The preset for `model` with every value given here put in.
    func recipe(for model: GANArchitecture) throws -> TrainingRecipe {
        var r = TrainingRecipe.preset(recipe, for: model)
        if let lr { (r.generatorLearningRate, r.discriminatorLearningRate) = (lr, lr) }
        if let lrG { r.generatorLearningRate = lrG }
        if let lrD { r.discriminatorLearningRate = lrD }
        if let beta1 { r.beta1 = beta1 }
        if let (b1, b2) = try betas() { (r.beta1, r.beta2) = (b1, b2) }
        if let dSteps { r.discriminatorSteps = dSteps }
        if let emaKimg { r.emaKimg = emaKimg }
        if let emaRampup { r.emaRampup = emaRampup }
        if let augment { r.augment = augment }
        if let policy = try policy() { r.augmentPolicy = policy }
        if let adaTarget { r.adaTarget = adaTarget }
        if let adaKimg { r.adaKimg = adaKimg }
        if let spectralNorm { r.spectralNorm = spectralNorm }
        if let classBatchNorm { r.classBatchNorm = classBatchNorm }
        if let lrDecay { r.learningRateDecay = lrDecay }
        if let loss { r.loss = loss }
        if r.loss == .hinge && model == .mlp {
            throw ValidationError("--loss hinge needs --model dcgan: the mlp's discriminator ends in a sigmoid, a probability, and the hinge loss is on logits")
        }
        if r.augment != .none && r.augmentPolicy.isEmpty {
            throw ValidationError("--augment \(r.augment.rawValue) needs at least one operation in --augment-policy")
        }
        return r
    }
}
