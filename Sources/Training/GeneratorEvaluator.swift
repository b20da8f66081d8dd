import DatasetFile
import GAN

/// What a run measures its generator with while it trains (`train
/// --classifier`): Evaluation's `RunEvaluation` implements it, and the
/// executable hands one to `TrainingRun`, so that training does not depend
/// on the evaluation code that depends on it.
public protocol GeneratorEvaluator: AnyObject {
    /// Whether the run has no evaluation yet (a fresh run evaluates its untrained generator at step 0).
    var isEmpty: Bool { get }
    /// Starts the run's evaluation log afresh, or keeps its entries up to `step` when resuming.
    func start(resumingAt step: Int?) throws(TrainingError)
    /// Evaluates `generator` (noise of `latent` values) after `step`; true when its FID is the best so far.
    func evaluate(step: Int, epoch: Int, generator: Sequential, latent: Int) throws(TrainingError) -> Bool
}

/// Makes the evaluator of a run from its dataset, configuration and directory; called on the writing replica only.
public typealias GeneratorEvaluatorFactory = (_ reader: DatasetReader, _ config: TrainingConfig, _ directory: String) throws(TrainingError) -> any GeneratorEvaluator
