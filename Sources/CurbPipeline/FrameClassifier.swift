import CurbImage
import CurbModel
import CurbRuntime

/// Classifies image files with one model: read → decode (scaled to the input) → preprocess into the
/// interpreter's input → invoke → scores. Owns every buffer it needs and reuses them, so the steady path
/// allocates nothing beyond libjpeg's own few mallocs. Not thread-safe: one per thread.
public final class FrameClassifier {
    public let model: Model
    public let interpreter: Interpreter
    public let scoreDecoder: ScoreDecoder
    private let reader: FrameReader
    private let decoder: ImageDecoder
    private let preprocessor: Preprocessor
    private let image = RGBImage()
    private var scores: [Double] = []

    /// Prepares the model for images. Fails for a model without a preprocessing recipe or whose input is
    /// not an image tensor. `threads` is the fast kernels' thread count (default: the online processors).
    public init(model: Model, limits: DecodeLimits = .standard,
                threads: Int = Interpreter.defaultThreads) throws(ClassifierError) {
        guard let recipe = model.metadata.preprocessing else {
            throw ClassifierError("the model has no preprocessing recipe, so it cannot take images")
        }
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw ClassifierError("a classifier needs one input and one output; the model has \(model.inputs.count) and \(model.outputs.count)")
        }
        do {
            interpreter = try Interpreter(model: model, threads: threads)
        } catch {
            throw ClassifierError("cannot run the model: \(error)")
        }
        do {
            preprocessor = try Preprocessor(recipe: recipe, input: InputTensorDescription(model.tensors[Int(model.inputs[0])]))
        } catch {
            throw ClassifierError("the model's input cannot take images: \(error)")
        }
        self.model = model
        scoreDecoder = ScoreDecoder(model: model)
        reader = FrameReader(maximumBytes: limits.maximumFileBytes)
        decoder = ImageDecoder(limits: limits)
        scores.reserveCapacity(scoreDecoder.labels.count)
    }

    /// Classifies the image file at `path`.
    ///
    /// - Parameters:
    ///   - regionOfInterest: a crop in the image's full-resolution pixels, applied before preprocessing.
    ///   - top: how many classes to report.
    ///   - threshold: below this best score the label is ``Classification/unknownLabel``.
    public func classify(path: String, regionOfInterest: PixelRegion? = nil, top: Int = 1,
                         threshold: Double = 0) throws(FrameError) -> Classification {
        let start = MonotonicClock.nanoseconds()
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try reader.read(path)
        } catch {
            throw FrameError(path: path, cause: error.cause)
        }
        do {
            try decoder.decode(bytes, target: preprocessor.decodeTarget(regionOfInterest: regionOfInterest), into: image)
            let input = interpreter.input()
            try preprocessor.run(image, regionOfInterest: regionOfInterest,
                                 into: UnsafeMutableRawBufferPointer(start: input.data, count: input.byteCount))
        } catch {
            throw FrameError(path: path, cause: error.cause)
        }
        let decoded = MonotonicClock.nanoseconds()
        interpreter.invoke()
        let inferred = MonotonicClock.nanoseconds()
        return classification(top: top, threshold: threshold, decodeNanoseconds: decoded &- start,
                              inferenceNanoseconds: inferred &- decoded)
    }

    private func classification(top: Int, threshold: Double, decodeNanoseconds: UInt64,
                                inferenceNanoseconds: UInt64) -> Classification {
        scoreDecoder.scores(of: interpreter.output(), into: &scores)
        let best = ScoreDecoder.topIndices(scores, k: max(top, 1))
        let labels = scoreDecoder.labels
        let bestScore = scores[best[0]]
        return Classification(
            label: bestScore >= threshold ? labels[best[0]] : Classification.unknownLabel,
            score: bestScore,
            top: best.prefix(max(top, 0)).map { Classification.Score(label: labels[$0], score: scores[$0]) },
            decodeMilliseconds: Double(decodeNanoseconds) / 1_000_000,
            inferenceMilliseconds: Double(inferenceNanoseconds) / 1_000_000)
    }
}

/// A model that cannot classify images.
public struct ClassifierError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One frame that could not be classified: the file and the cause, in one line.
public struct FrameError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var cause: String
    public var description: String { "\(path): \(cause)" }
}
