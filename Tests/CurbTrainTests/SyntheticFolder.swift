import Foundation
@testable import CurbTrain

/// A small labelled folder of 16x16 PNGs that a tiny network learns in a few epochs: class 0 is a bright
/// horizontal bar, class 1 a vertical bar, class 2 no bar, each on seeded noise at a random position.
enum SyntheticFolder {
    static let classes = ["horizontal", "none", "vertical"]

    static func make(perClass: Int = 24, size: Int = 16, seed: UInt64 = 5) -> String {
        let root = TestImages.temporaryDirectory()
        var generator = RandomSource(seed: seed)
        for (label, name) in classes.enumerated() {
            for index in 0..<perClass {
                var pixels = [UInt8](repeating: 0, count: size * size * 3)
                for offset in pixels.indices { pixels[offset] = UInt8(40 + Int(generator.uniform() * 60)) }
                let position = 2 + Int(generator.uniform() * Float(size - 6))
                for step in 0..<size {
                    for thickness in 0..<3 {
                        let (x, y) = label == 0 ? (step, position + thickness) : (position + thickness, step)
                        guard label != 1 else { continue }
                        for channel in 0..<3 { pixels[(y * size + x) * 3 + channel] = 230 }
                    }
                }
                TestImages.write(TestImages.png(width: size, height: size, pixels: pixels), to: "\(root)/\(name)/\(index).png")
            }
        }
        return root
    }

    /// A tiny conv net for the synthetic folder: conv-BN-ReLU6, depthwise-BN-ReLU6, max pool, conv, GAP, dense.
    static let spec = NetworkSpec(name: "tiny", layers: [
        .init(.conv2d, filters: 8, kernel: 3), .init(.batchnorm), .init(.relu6),
        .init(.depthwiseConv2d, kernel: 3, stride: 2), .init(.batchnorm), .init(.relu6),
        .init(.maxpool, pool: 2),
        .init(.conv2d, filters: 12, kernel: 1), .init(.batchnorm), .init(.relu),
        .init(.globalAvgpool), .init(.dropout, rate: 0.1), .init(.dense),
    ])

    static func trainer(directory: String, epochs: Int = 6, seed: UInt64 = 3) throws -> Trainer {
        let folder = try ImageFolder(directory: directory)
        let images = try ImageSet(entries: folder.entries, classNames: folder.classNames, width: 16, height: 16,
                                  recipe: ModelExporter.recipe)
        var configuration = TrainingConfiguration()
        configuration.epochs = epochs
        configuration.batchSize = 8
        configuration.learningRate = 0.01
        configuration.warmupEpochs = 1
        configuration.seed = seed
        configuration.validationFraction = 0.25
        configuration.augmentation.rotation = 0
        return try Trainer(spec: spec, configuration: configuration, images: images)
    }
}
