import CurbImage
import CurbModel
import Foundation

/// Images decoded and preprocessed once, kept as float tensors in memory.
///
/// Every image goes through the board's own path: ``ImageDecoder`` (with the ``Preprocessor``'s DCT-scale
/// target) then ``Preprocessor`` into a float32 input, so training sees exactly the values the runtime
/// feeds the model before quantization. Images that cannot be read or decoded are skipped and listed.
public final class ImageSet {
    /// An image that was left out, and why.
    public struct Skipped: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public let width: Int
    public let height: Int
    public let recipe: PreprocessingRecipe
    public let classNames: [String]
    /// `count · height · width · 3` floats, NHWC, in the model's colour order.
    public private(set) var pixels: [Float]
    public private(set) var labels: [Int]
    public private(set) var paths: [String]
    public private(set) var skipped: [Skipped]

    public var count: Int { labels.count }
    public var valuesPerImage: Int { width * height * 3 }

    /// Decodes and preprocesses `entries`. Throws when the recipe is unusable or no image at all could be
    /// decoded.
    public init(entries: [ImageFolder.Entry], classNames: [String], width: Int, height: Int,
                recipe: PreprocessingRecipe) throws(TrainingError) {
        let preprocessor: Preprocessor
        do {
            preprocessor = try Preprocessor(recipe: recipe, input: InputTensorDescription(width: width, height: height, element: .float32))
        } catch {
            throw TrainingError("preprocessing: \(error)")
        }
        self.width = width
        self.height = height
        self.recipe = recipe
        self.classNames = classNames
        let perImage = width * height * 3
        var pixels = [Float](repeating: 0, count: entries.count * perImage)
        var labels: [Int] = [], paths: [String] = [], skipped: [Skipped] = []
        let decoder = ImageDecoder()
        let image = RGBImage()
        let target = preprocessor.decodeTarget()
        for entry in entries {
            guard let data = FileManager.default.contents(atPath: entry.path) else {
                skipped.append(Skipped(path: entry.path, reason: "cannot be read"))
                continue
            }
            let slot = labels.count
            do {
                _ = try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    try decoder.decode(bytes, target: target, into: image)
                }
                try pixels.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
                    let start = slot * perImage * MemoryLayout<Float>.stride
                    try preprocessor.run(image, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + perImage * MemoryLayout<Float>.stride)]))
                }
            } catch {
                skipped.append(Skipped(path: entry.path, reason: "\(error)"))
                continue
            }
            labels.append(entry.label)
            paths.append(entry.path)
        }
        guard !labels.isEmpty else {
            throw TrainingError("none of the \(entries.count) images could be decoded" + (skipped.first.map { " (first: \($0.path): \($0.reason))" } ?? ""))
        }
        pixels.removeSubrange((labels.count * perImage)...)
        self.pixels = pixels
        self.labels = labels
        self.paths = paths
        self.skipped = skipped
    }

    /// The real input values a pixel value of 0 and of 255 map to, per channel (model order): the range
    /// photometric augmentation must stay inside.
    public var channelRanges: [ClosedRange<Float>] {
        (0..<3).map { channel in
            let low = (0 - recipe.mean[channel]) / recipe.standardDeviation[channel]
            let high = (255 - recipe.mean[channel]) / recipe.standardDeviation[channel]
            return low...high
        }
    }
}
