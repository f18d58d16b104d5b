/// Serves batches of an ``ImageSet`` subset (e.g. the training side of a ``StratifiedSplit``): shuffled
/// each epoch and augmented per image, all from one seeded generator, so an epoch replays from its seed.
public final class BatchLoader {
    public let images: ImageSet
    public let indices: [Int]
    public let batchSize: Int
    public let augmentation: Augmentation
    public let shuffles: Bool
    private var generator: RandomSource
    private var order: [Int]
    private let standardDeviations: [Float]
    private let ranges: [ClosedRange<Float>]

    /// `indices` select images of `images`; batches hold `batchSize` images except perhaps the last.
    public init(images: ImageSet, indices: [Int], batchSize: Int, augmentation: Augmentation = .none, shuffles: Bool = true,
                seed: UInt64) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(indices.allSatisfy { (0..<images.count).contains($0) }, "index outside the image set")
        self.images = images
        self.indices = indices
        self.batchSize = batchSize
        self.augmentation = augmentation
        self.shuffles = shuffles
        generator = RandomSource(seed: seed)
        order = indices
        standardDeviations = images.recipe.standardDeviation
        ranges = images.channelRanges
    }

    public var batchCount: Int { (indices.count + batchSize - 1) / batchSize }

    /// Starts an epoch: a new shuffle when shuffling.
    public func startEpoch() {
        order = indices
        if shuffles { order.shuffle(using: &generator) }
    }

    /// Batch `number` of the current epoch: images `[B, H, W, 3]` (augmented) and their labels.
    public func batch(_ number: Int) -> (images: FloatTensor, labels: [Int]) {
        precondition((0..<batchCount).contains(number), "batch \(number) is outside 0..<\(batchCount)")
        let members = order[(number * batchSize)..<min(order.count, (number + 1) * batchSize)]
        let perImage = images.valuesPerImage
        var values = [Float](repeating: 0, count: members.count * perImage)
        var labels: [Int] = []
        labels.reserveCapacity(members.count)
        images.pixels.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { destination in
                for (slot, index) in members.enumerated() {
                    let from = source.baseAddress! + index * perImage, to = destination.baseAddress! + slot * perImage
                    if augmentation.isIdentity {
                        to.update(from: from, count: perImage)
                    } else {
                        augmentation.apply(from, into: to, width: images.width, height: images.height,
                                           standardDeviations: standardDeviations, ranges: ranges, generator: &generator)
                    }
                    labels.append(images.labels[index])
                }
            }
        }
        return (FloatTensor(shape: [members.count, images.height, images.width, 3], values: values), labels)
    }
}
