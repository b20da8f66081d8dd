import Foundation

/// An exponential moving average of a generator's weights and BatchNorm
/// statistics (Karras et al.; every StyleGAN): after each generator update,
/// shadow = β·shadow + (1 − β)·live, β from the recipe's half-life
/// (`TrainingRecipe.emaBeta`). It starts as a copy of the initial weights.
/// Samples, grids and evaluations use the shadow (`withAverage`); training
/// goes on with the live weights.
public final class GeneratorEMA {
    private let live: [Parameter]
    private let liveState: [Parameter]
    /// The generator's state (its BatchNorm statistics) that fits the shadows now, once computed.
    private var standingState: [[Float]]?
    /// The averaged tensors, named `ema/<live name>` in checkpoints.
    public let shadows: [Parameter]
    private var backup: [Tensor]

    /// A shadow of `generator`'s parameters and state, equal to them now.
    public init(generator: Sequential) {
        live = generator.parameters + generator.state
        liveState = generator.state
        shadows = live.map { Parameter(name: "ema/" + $0.name, shape: $0.value.shape) }
        backup = live.map { Tensor(shape: $0.value.shape) }
        for (s, l) in zip(shadows, live) { s.value.data.update(from: l.value.data, count: l.value.count) }
    }

    /// shadow = β·shadow + (1 − β)·live for every tensor.
    public func update(beta: Float) {
        standingState = nil
        for (s, l) in zip(shadows, live) {
            let sd = s.value.data, ld = l.value.data
            for i in 0..<l.value.count { sd[i] = ld[i] + beta * (sd[i] - ld[i]) }
        }
    }

    /// Inside `withAverage`: gives the generator the state that fits the averaged weights, which
    /// `compute` writes into it (`StandingStatistics`), computed once per state of the shadows and
    /// kept until the next `update` or `shadowsReplaced()`.
    public func applyStandingState(_ compute: () -> Void) {
        if let standingState {
            for (p, values) in zip(liveState, standingState) { p.value.data.update(from: values, count: values.count) }
            return
        }
        compute()
        standingState = liveState.map(\.value.array)
    }

    /// Says that the shadows were written from outside (a checkpoint loaded into them).
    public func shadowsReplaced() { standingState = nil }

    /// Runs `body` with the averaged weights in the generator, then puts the live ones back.
    public func withAverage<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        for (i, (s, l)) in zip(shadows, live).enumerated() {
            backup[i].data.update(from: l.value.data, count: l.value.count)
            l.value.data.update(from: s.value.data, count: l.value.count)
        }
        defer { for (i, l) in live.enumerated() { l.value.data.update(from: backup[i].data, count: l.value.count) } }
        return try body()
    }
}
