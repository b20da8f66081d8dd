import Support

/// Filling tensors from the one seeded generator (weights, noise).
extension SeededGenerator {
    /// Fills `tensor` with N(mean, std²).
    public mutating func fillNormal(_ tensor: Tensor, mean: Float = 0, std: Float = 1) {
        for i in 0..<tensor.count { tensor.data[i] = mean + std * nextNormal() }
    }

    /// Fills `tensor` with U(-limit, limit).
    public mutating func fillUniform(_ tensor: Tensor, limit: Float) {
        for i in 0..<tensor.count { tensor.data[i] = (2 * nextUniform() - 1) * limit }
    }
}
