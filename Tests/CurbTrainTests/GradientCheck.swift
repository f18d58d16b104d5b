import Foundation
@testable import CurbTrain

/// Numerical gradient checking by central differences.
///
/// The scalar checked is `L = Σ rᵢ · yᵢ` with a fixed random projection `r` (so every output matters and
/// batch norm's normalized outputs do not sum to a constant), accumulated in Double. Each input or
/// parameter value `v` is moved to the Float values `v ± ε` and the numerical derivative is
/// `(L₊ − L₋) / (v₊ − v₋)`, dividing by the step actually taken after rounding.
///
/// Error measure: `‖analytic − numeric‖₂ / (‖analytic‖₂ + ‖numeric‖₂)` over a whole tensor, which stays
/// meaningful when single entries are near zero. The denominator is floored at 1e-3: a gradient whose
/// true value is zero (a convolution bias feeding batch norm in training mode, which cancels any
/// per-channel constant) has only rounding noise on both sides, and a pure ratio of noise to noise is ~1.
///
/// Why the thresholds in the tests are small: every layer is evaluated in Float, so each output carries a
/// relative rounding error near 2⁻²⁴ ≈ 6e-8; only the outputs that depend on the perturbed value change
/// between `L₊` and `L₋`, so the noise in a numerical derivative is about
/// `6e-8 · |y| · sqrt(#affected) / (2ε)` ≈ 1e-5 for |y| ≈ 1, ε = 1e-2. Linear layers have no truncation
/// error; smooth ones (batch norm, the loss) have O(ε²) ≈ 1e-4 · |f‴| truncation. Piecewise-linear layers
/// (ReLU, max pool) are exact away from their kinks, and the tests keep inputs more than ε from kinks.
/// A wrong backward pass (a missing term, a transposed index) gives errors of order 0.1–1.
struct GradientCheck {
    var epsilon: Float = 1e-2

    struct Result {
        var input: Double
        var parameters: [String: Double]
        /// The largest error of all.
        var worst: Double { max(input, parameters.values.max() ?? 0) }
    }

    /// Checks `layer`'s input gradient and every parameter gradient at `input`. `prepare` runs before each
    /// forward pass (e.g. to replay a dropout mask).
    func check(_ layer: Layer, input: FloatTensor, training: Bool, seed: UInt64 = 99, prepare: () -> Void = {}) -> Result {
        var generator = RandomSource(seed: seed)
        prepare()
        let output = layer.forward(input, training: training)
        let projection = FloatTensor.random(shape: output.shape, in: -1...1, using: &generator)
        for parameter in layer.parameters { parameter.zeroGradient() }
        let analyticInput = layer.backward(projection)
        let analyticParameters = layer.parameters.map(\.gradient.values)

        func loss(_ x: FloatTensor) -> Double {
            prepare()
            let y = layer.forward(x, training: training)
            var sum = 0.0
            for index in 0..<y.count { sum += Double(projection.values[index]) * Double(y.values[index]) }
            return sum
        }
        func numeric(count: Int, get: (Int) -> Float, set: (Int, Float) -> Void, evaluate: () -> Double) -> [Double] {
            (0..<count).map { index in
                let original = get(index)
                let plus = original + epsilon, minus = original - epsilon
                set(index, plus)
                let lossPlus = evaluate()
                set(index, minus)
                let lossMinus = evaluate()
                set(index, original)
                return (lossPlus - lossMinus) / (Double(plus) - Double(minus))
            }
        }

        var x = input
        let numericInput = numeric(count: x.count, get: { x.values[$0] }, set: { x.values[$0] = $1 }, evaluate: { loss(x) })
        var parameterErrors: [String: Double] = [:]
        for (position, parameter) in layer.parameters.enumerated() {
            let numericParameter = numeric(count: parameter.value.count, get: { parameter.value.values[$0] },
                                           set: { parameter.value.values[$0] = $1 }, evaluate: { loss(input) })
            parameterErrors["\(position) \(parameter.name)"] = Self.relativeError(analyticParameters[position].map(Double.init), numericParameter)
        }
        let result = Result(input: Self.relativeError(analyticInput.values.map(Double.init), numericInput), parameters: parameterErrors)
        // CURB_GRADIENT_REPORT=1 lists every check's errors (for the record, not for pass/fail).
        if ProcessInfo.processInfo.environment["CURB_GRADIENT_REPORT"] != nil {
            print("gradient check \(type(of: layer)) training=\(training) shape=\(input.shape): input \(result.input) parameters \(result.parameters)")
        }
        return result
    }

    static func relativeError(_ analytic: [Double], _ numeric: [Double]) -> Double {
        precondition(analytic.count == numeric.count)
        var difference = 0.0, analyticNorm = 0.0, numericNorm = 0.0
        for index in analytic.indices {
            difference += (analytic[index] - numeric[index]) * (analytic[index] - numeric[index])
            analyticNorm += analytic[index] * analytic[index]
            numericNorm += numeric[index] * numeric[index]
        }
        let scale = analyticNorm.squareRoot() + numericNorm.squareRoot()
        return difference.squareRoot() / max(scale, 1e-3)
    }
}

/// Test inputs whose values all lie at least `gap` away from zero (the ReLU kink), in ±[gap, 1].
func awayFromZero(shape: [Int], gap: Float = 0.05, seed: UInt64) -> FloatTensor {
    var generator = RandomSource(seed: seed)
    var tensor = FloatTensor.random(shape: shape, in: gap...1, using: &generator)
    for index in 0..<tensor.count where generator.uniform() < 0.5 { tensor.values[index] = -tensor.values[index] }
    return tensor
}

/// A plain NHWC index.
func nhwc(_ shape: [Int], _ n: Int, _ y: Int, _ x: Int, _ c: Int) -> Int {
    ((n * shape[1] + y) * shape[2] + x) * shape[3] + c
}
