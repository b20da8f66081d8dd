import ArgumentParser
import DatasetFile
import Distributed
import Evaluation
import Foundation
import GAN
import LinearAlgebra
import Storage
import Support
import Training

extension GANPrep {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a GAN (dense or DCGAN) on a packed dataset, in memory or streamed, with sample grids and checkpoints.",
            discussion: """
                Reads the ganprep layout or GAPCV's. Each step trains the discriminator on a real batch (target --real-label) and a generated one (target 0), then the generator through the frozen discriminator (target 1); targets take the shape of the discriminator's output. Writes into OUT: gan_images/ (5x5 grids from a fixed noise batch, per epoch or every --sample-every steps), losses.csv, losses.png, checkpoints/ (HDF5, written under a temporary name and renamed; at each epoch's end, skipped while the last one is younger than 99 times its writing time so checkpoints cost at most about 1% of the run, or every --checkpoint-every steps; also every --checkpoint-minutes, at the end, and after the step in progress on Ctrl-C or SIGTERM, which then exit with 128 + the signal), config.json. --resume continues from the newest checkpoint with the same losses an uninterrupted run would have.

                --conditional trains a class-conditional GAN on the dataset's labels (/labels and /label_names, written by pack from the descriptions): the generator receives each image's class as a one-hot vector beside its noise, the discriminator scores it through a projection head (the inner product of a learned class embedding with its features, added to the logit); generated batches ask for classes in the data's frequencies (--class-balance uniform: evenly). Its grids have one row per class (the first ten, or --grid-classes), labelled, from the same noise in each column; its checkpoints hold the class names, for ganprep sample --label.

                Under mpirun or srun (more than one process) the run is data-parallel: --batch is the global batch, each process trains on its share of it, gradients are summed over the processes (MPI_Allreduce), BatchNorm normalizes with each process's statistics (their moving averages averaged) or, with --sync-batch-norm, with the global batch's, and the weights stay identical on all; process 0 alone writes OUT, and --resume needs the same process count.
                """)

        @Argument(help: "The HDF5 dataset written by pack (ganprep or GAPCV layout).")
        var dataset: String

        @Option(help: "dcgan (32, 64 or 128 px square images) or mlp (the original dense GAN, any size).")
        var model: GANArchitecture = .dcgan

        @Option(help: "Full passes over the data (default 10; with --time-limit, as many as the time allows).")
        var epochs: Int?

        @Option(help: "Train this many steps instead of --epochs.")
        var steps: Int?

        @Option(name: .customLong("time-limit"), help: ArgumentHelp(
            "Train for this many minutes (decimals allowed; above 0 and at most 5256000), then end as after the last step: end checkpoint, grid, final evaluation.",
            valueName: "minutes"))
        var timeLimit: Double?

        @Option(help: "Images per mini-batch.")
        var batch: Int = 64

        @Flag(help: "Stream shuffled mini-batches from the file instead of loading it into memory.")
        var stream = false

        @Option(help: "Batches read ahead by the streaming reader.")
        var prefetch: Int = 4

        @OptionGroup(title: "Recipe") var recipeOptions: RecipeOptions

        @Option(help: "Latent vector size.")
        var latent: Int = 100

        @Option(name: .customLong("feature-maps"), help: "dcgan width: feature maps at the widest ends.")
        var featureMaps: Int = 64

        @Option(name: .customLong("real-label"), help: "Discriminator target for real images (e.g. 0.9 for one-sided smoothing).")
        var realLabel: Float = 1

        @OptionGroup var seeding: SeedOption
        var seed: UInt64 { seeding.seed }

        @Option(name: .customLong("sample-every"), help: "Write a sample grid every N steps (default: every epoch).")
        var sampleEvery: Int?

        @Option(name: .customLong("checkpoint-every"), help: "Write a checkpoint every N steps (default: at each epoch's end while that costs at most about 1% of the run's time).")
        var checkpointEvery: Int?

        @Option(name: .customLong("checkpoint-minutes"), help: "Also write a checkpoint when this many minutes passed since the last one.")
        var checkpointMinutes: Double = 10

        @Option(name: .customLong("out"), help: "Run directory.")
        var out: String = "run"

        @Option(help: "A classifier (ganprep classifier train) whose features evaluate the samples during training: metrics.csv, fid.png, checkpoints/best.h5.")
        var classifier: String?

        @Option(name: .customLong("eval-every"), help: "Evaluate every N steps (default with --classifier: every epoch).")
        var evalEvery: Int?

        @Option(name: .customLong("eval-count"), help: "Generated (and at most real) images per evaluation.")
        var evalCount: Int = TrainingOptions.defaultEvalCount

        @Flag(help: "Continue the run in --out from its newest checkpoint.")
        var resume = false

        @Option(help: "Threads for the matrix products and the passes between them (default: all cores; under mpirun, the cores shared by the processes on each machine).")
        var threads: Int?

        @Flag(help: "Train a class-conditional GAN on the dataset's labels (see below).")
        var conditional = false

        @Option(name: .customLong("class-balance"), help: "With --conditional: the classes of generated batches, in the data's frequencies or evenly.")
        var classBalance: ClassBalance = .frequency

        @Option(name: .customLong("grid-classes"), help: "With --conditional: comma-separated class names, one grid row each (default: the first ten classes).")
        var gridClasses: String?

        @Flag(name: .customLong("sync-batch-norm"), help: "Under mpirun: BatchNorm statistics over the whole global batch, so each step is exactly one process's (18 more collective calls per DCGAN step); by default each process normalizes with its own share's, as PyTorch's DistributedDataParallel does.")
        var syncBatchNorm = false

        @Option(name: .customLong("replica-digests"), help: .private)
        var replicaDigests: String?

        @Option(name: .customLong("gradients-out"), help: .private)
        var gradientsOut: String?

        @OptionGroup var output: QuietOption
        var quiet: Bool { output.quiet }

        func validate() throws {
            try OptionChecks.integer("--epochs", epochs, in: 1...1_000_000)
            if let timeLimit { try OptionChecks.positive("--time-limit", timeLimit, max: 5_256_000) }
            try OptionChecks.integer("--steps", steps, in: 1...1_000_000_000_000)
            try OptionChecks.integer("--batch", batch, in: 1...65_536)
            try OptionChecks.integer("--prefetch", prefetch, in: 1...1024)
            try OptionChecks.integer("--latent", latent, in: 1...16_384)
            try OptionChecks.integer("--feature-maps", featureMaps, in: 1...4096)
            try OptionChecks.integer("--threads", threads, in: 1...256)
            try OptionChecks.integer("--sample-every", sampleEvery, in: 1...1_000_000_000_000)
            try OptionChecks.integer("--checkpoint-every", checkpointEvery, in: 1...1_000_000_000_000)
            try OptionChecks.positive("--checkpoint-minutes", checkpointMinutes, max: 1_000_000)
            try OptionChecks.integer("--eval-every", evalEvery, in: 1...1_000_000_000_000)
            try OptionChecks.integer("--eval-count", evalCount, in: 4...1_000_000)
            _ = try recipeOptions.recipe(for: model)
            if evalEvery != nil && classifier == nil { throw ValidationError("--eval-every needs --classifier") }
            try OptionChecks.positive("--real-label", realLabel, max: 1)
            if !conditional && (gridClasses != nil || classBalance != .frequency) {
                throw ValidationError("--grid-classes and --class-balance need --conditional")
            }
            if !conditional && recipeOptions.classBatchNorm == true {
                throw ValidationError("--class-batch-norm needs --conditional: an unconditional generator has no classes to condition its BatchNorm on")
            }
            if let names = gridNames, names.isEmpty || names.count > 100 || names.contains(where: \.isEmpty) {
                throw ValidationError("--grid-classes takes 1 to 100 comma-separated class names, got \"\(gridClasses ?? "")\"")
            }
        }

        /// The class names of --grid-classes.
        var gridNames: [String]? {
            gridClasses.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        }

        func run() throws {
            try DatasetProbe.check(dataset)
            let group = try DistributedSession.startIfLaunched()
            let rank = group?.rank ?? 0
            let quiet = self.quiet || rank != 0
            let recipe = try recipeOptions.recipe(for: model)
            let options = TrainingOptions(
                dataset: dataset, model: model, latent: latent, featureMaps: featureMaps,
                batch: batch, learningRate: recipe.generatorLearningRate, beta1: recipe.beta1, realLabel: realLabel, seed: seed, stream: stream,
                prefetch: prefetch, epochs: epochs ?? (timeLimit != nil && steps == nil ? 1_000_000 : 10), steps: steps,
                sampleEvery: sampleEvery, checkpointEvery: checkpointEvery,
                threads: threads ?? DistributedSession.defaultThreads(), classifier: classifier, evalEvery: evalEvery, evalCount: evalCount,
                ranks: group.map(\.size), syncBatchNorm: group != nil && syncBatchNorm ? true : nil, checkpointMinutes: checkpointMinutes,
                conditional: conditional ? true : nil, classBalance: conditional ? classBalance : nil, gridClasses: gridNames,
                timeLimitMinutes: timeLimit, recipe: recipe)
            let training: TrainingRun
            var evaluator: GeneratorEvaluatorFactory?
            if classifier != nil {
                evaluator = { (reader, config, directory) throws(TrainingError) in try RunEvaluation.factory(reader, config, directory) }
            }
            training = try TrainingRun(options: options, directory: out, resume: resume, replicas: group, evaluator: evaluator)
            if !quiet { printStart(training, options: options, recipe: recipe, group: group) }
            if let gradientsOut { training.afterFirstStep = DistributedSession.gradientWriter(to: gradientsOut, rank: rank) }
            StopRequest.install()
            let progress = ProgressLine(quiet: quiet, interval: 10)
            let start = monotonicSeconds()
            do {
                try training.run { p in
                    let fraction = Double(p.epochEnded ? p.batchesPerEpoch : p.batchInEpoch) / Double(max(1, p.batchesPerEpoch))
                    let left = timeLimit.map { "  " + ProgressLine.duration(max(0, $0 * 60 - (monotonicSeconds() - start))) + " left" } ?? ""
                    let text = "epoch \(p.epoch + (p.epochEnded ? 0 : 1)) step \(p.step)" + (timeLimit == nil || steps != nil || epochs != nil ? "/\(p.totalSteps)" : "") + left + "  "
                        + String(format: "d %.3f/%.3f  g %.3f  acc %.2f  %.0f img/s", p.last.discriminatorLossReal,
                                 p.last.discriminatorLossFake, p.last.generatorLoss, p.last.discriminatorAccuracy, p.imagesPerSecond)
                    progress.update(fraction: fraction, text: text, now: monotonicSeconds() - start, final: p.epochEnded || p.step == p.totalSteps || training.timeIsUp)
                }
            } catch {
                // A signal has its own exit status; every other error says whose it is.
                if case let .interrupted(signal, _, _) = error { throw Interrupted(message: error.description, signal: signal) }
                throw error
            }
            if let replicaDigests { try DistributedSession.writeDigest(of: training, into: replicaDigests) }
            guard rank == 0 else { return }
            printSummary(training, group: group, seconds: monotonicSeconds() - start)
        }

        /// The first line: what trains on what, with which recipe and for how long.
        func printStart(_ training: TrainingRun, options: TrainingOptions, recipe: TrainingRecipe, group: MPIGroup?) {
            let resumed = training.resumedFrom.map { ", resuming after step \($0)" } ?? ""
            let processes = group.map { ", \($0.size) processes x \(options.threads) threads (MPI)" } ?? ""
            let classes = training.config.labelNames.map { ", conditional on \($0.count) classes" } ?? ""
            let length = timeLimit != nil && steps == nil && epochs == nil ? "for \(timeLimit!) minutes" : "\(training.totalSteps) steps"
            printError("training \(model.rawValue) on \(training.reader.count) images \(training.reader.height)x\(training.reader.width)x\(training.reader.channels) "
                       + "(recipe \(recipe.summary); \(stream ? "streamed" : "in memory"), batch \(batch)\(processes)\(classes), \(length)\(resumed)); BLAS kernels: \(BLAS.coreName)")
        }

        /// What rank 0 prints when the run ends: where everything went, and the FID's course.
        func printSummary(_ training: TrainingRun, group: MPIGroup?, seconds: Double) {
            if let group, let digest = training.replicaDigests.first {
                print("processes: \(group.size), weights identical on all (SHA-256 \(digest.prefix(16))...); "
                      + String(format: "%d MPI sums took %.2fs on rank 0, waiting included (%.1f ms per step)", group.calls, group.seconds,
                               1000 * group.seconds / Double(max(1, training.step - (training.resumedFrom ?? 0)))))
            }
            print("trained \(training.step) steps in \(String(format: "%.1f", seconds))s"
                  + (training.timeIsUp ? " (--time-limit \(timeLimit.map { String($0) } ?? "") minutes reached)" : ""))
            print("samples: \(training.imagesDirectory)/")
            print("losses:  \(training.lossesPath), \(training.plotPath)")
            print("checkpoint: \(training.checkpoints().first ?? "-")")
            if let evaluation = training.evaluation as? RunEvaluation, let last = evaluation.records.last, let best = evaluation.best {
                print(String(format: "FID: %.3f at step %d (first %.3f at step %d), best %.3f at step %d (checkpoints/best.h5)",
                             last.fid, last.step, evaluation.records[0].fid, evaluation.records[0].step, best.fid, best.step))
                print("metrics: \(evaluation.metricsPath), \(evaluation.plotPath)")
            }
        }
    }
}
