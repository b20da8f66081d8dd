import Foundation
import Metrics
import Support
import Testing
import _TestSupport

/// FID, KID and precision/recall against an independent implementation:
/// numpy and scipy (Debian's), following pytorch-fid's FID (scipy's sqrtm of
/// Σr·Σg) and torch-fidelity's KID; precision/recall by brute force there.
@Suite struct MetricsTests {
    /// `rows` samples of `columns` Gaussian features, shifted by `shift` and scaled per column.
    static func features(_ rows: Int, _ columns: Int, seed: UInt64, shift: Double = 0) -> FeatureMatrix {
        var random = SeededGenerator(seed: seed)
        var values = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            let common = Double(random.nextNormal())
            for c in 0..<columns {
                values[r * columns + c] = Double(random.nextNormal()) * (1 + Double(c % 5) / 2) + 0.3 * common * Double(c % 3) + shift
            }
        }
        return FeatureMatrix(rows: rows, columns: columns, values: values)
    }

    static let python = """
        import json, sys
        import numpy as np
        from scipy import linalg
        d = json.load(open(sys.argv[1]))
        r = np.array(d["real"]).reshape(d["rows_r"], d["columns"])
        g = np.array(d["generated"]).reshape(d["rows_g"], d["columns"])
        # pytorch-fid: calculate_frechet_distance
        mu1, mu2 = r.mean(0), g.mean(0)
        s1, s2 = np.cov(r, rowvar=False), np.cov(g, rowvar=False)
        covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
        covmean = covmean.real
        fid = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))
        # torch-fidelity: mmd2 with the polynomial kernel (gamma 1/d, coef0 1, degree 3), unbiased
        def kernel(a, b): return (a @ b.T / a.shape[1] + 1) ** 3
        m = g.shape[0]
        kxx, kyy, kxy = kernel(g, g), kernel(r, r), kernel(g, r)
        mmd = ((kxx.sum() - np.trace(kxx)) + (kyy.sum() - np.trace(kyy))) / (m * (m - 1)) - 2 * kxy.sum() / (m * m)
        # Kynkaenniemi et al.: k-th nearest neighbour radii, brute force
        def dist(a, b): return ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        def radii(x, k=3): return np.sort(dist(x, x), axis=1)[:, k]
        rr, rg = radii(r), radii(g)
        precision = float((dist(g, r) <= rr[None, :]).any(1).mean())
        recall = float((dist(r, g) <= rg[None, :]).any(1).mean())
        print(json.dumps({"fid": fid, "kid": float(mmd), "precision": precision, "recall": recall}))
        """

    @Test func agreeWithNumpyScipyAndBruteForce() throws {
        let real = Self.features(300, 16, seed: 1)
        let generated = Self.features(300, 16, seed: 2, shift: 0.4)
        let dir = try TestPaths.temporaryDirectory("metrics")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("features.json").path
        let json = "{\"rows_r\": \(real.rows), \"rows_g\": \(generated.rows), \"columns\": \(real.columns), "
            + "\"real\": [\(real.values.map { "\($0)" }.joined(separator: ","))], "
            + "\"generated\": [\(generated.values.map { "\($0)" }.joined(separator: ","))]}"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", Self.python, path])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = try JSONDecoder().decode([String: Double].self, from: Data(result.stdout.utf8))
        let fid = try FrechetDistance.between(real, generated)
        // One subset of all samples: no sampling, the same estimate as the reference.
        let kid = KernelDistance.between(real, generated, subsets: 1, subsetSize: 300)
        let pr = PrecisionRecall.between(real, generated)
        // Distances held a few rows at a time give the same figures.
        let blocked = PrecisionRecall.between(real, generated, blockRows: 7)
        #expect(blocked.precision == pr.precision && blocked.recall == pr.recall)
        let refFID = try #require(reference["fid"]), refKID = try #require(reference["kid"])
        #expect(abs(fid - refFID) <= 1e-4 * abs(refFID), "FID \(fid) vs scipy \(refFID)")
        #expect(abs(kid.mean - refKID) <= 1e-4 * abs(refKID), "KID \(kid.mean) vs numpy \(refKID)")
        #expect(kid.std == 0)
        #expect(abs(pr.precision - (reference["precision"] ?? -1)) <= 1e-6 && abs(pr.recall - (reference["recall"] ?? -1)) <= 1e-6,
                "precision/recall \(pr) vs \(reference)")
        // The shifted set is clearly apart, and not everything is covered.
        #expect(fid > 1 && kid.mean > 0 && pr.precision < 1)
    }

    @Test func sanityThatWouldFailOnAWrongMetric() throws {
        let data = Self.features(2000, 12, seed: 3)
        // A set against itself: zero (up to rounding).
        #expect(abs(try FrechetDistance.between(data, data)) < 1e-3)
        let halves = (data.rows(Array(0..<1000)), data.rows(Array(1000..<2000)))
        let noise = FeatureMatrix(rows: 1000, columns: 12, values: (0..<12_000).map { Double(($0 * 7919) % 1000) / 100 - 5 })
        let split = try FrechetDistance.between(halves.0, halves.1)
        let againstNoise = try FrechetDistance.between(halves.0, noise)
        #expect(split < againstNoise / 10, "halves \(split), noise \(againstNoise)")
        let kidSplit = KernelDistance.between(halves.0, halves.1, subsets: 10, subsetSize: 500)
        let kidNoise = KernelDistance.between(halves.0, noise, subsets: 10, subsetSize: 500)
        #expect(abs(kidSplit.mean) < kidNoise.mean / 10 && kidSplit.std > 0)
        let same = PrecisionRecall.between(halves.0, halves.1)
        let far = PrecisionRecall.between(halves.0, noise)
        #expect(same.precision > 0.5 && same.recall > 0.5 && far.precision < same.precision / 2, "same \(same), noise \(far)")
    }

    /// A fixed small case worked by hand: 1-D points, k = 1.
    @Test func precisionAndRecallOnAHandWorkedCase() {
        let real = FeatureMatrix(rows: 4, columns: 1, values: [0, 1, 2, 3])      // radii (k=1): 1 each
        let generated = FeatureMatrix(rows: 3, columns: 1, values: [0.5, 2.9, 10])  // radii: 2.4, 2.4, 7.1
        let pr = PrecisionRecall.between(real, generated, k: 1)
        // 0.5 and 2.9 lie within 1 of a real point, 10 does not: 2/3. Every real point is within 2.4 of 0.5 or 2.9: 1.
        #expect(abs(pr.precision - 2.0 / 3.0) < 1e-12 && pr.recall == 1)
    }
}
