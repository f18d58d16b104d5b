// Measures one training epoch of a ~5 M-MAC depthwise-separable network on an image folder, with a
// per-layer time breakdown. Usage: curbtrain-benchmark DIR [threads] [batch] [size]
import CurbModel
import CurbTrain
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: curbtrain-benchmark DIR [threads=2] [batch=32] [size=64]")
    exit(2)
}
let threads = arguments.count > 2 ? Int(arguments[2])! : 2
let batchSize = arguments.count > 3 ? Int(arguments[3])! : 32
let size = arguments.count > 4 ? Int(arguments[4])! : 64
OpenBLAS.setThreadCount(threads)

let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

var start = clock.now
let folder = try ImageFolder(directory: arguments[1])
let images = try ImageSet(entries: folder.entries, classNames: folder.classNames, width: size, height: size,
                          recipe: .symmetricRange)
let split = StratifiedSplit(labels: images.labels, validationFraction: 0.15, seed: 1)
print("loaded \(images.count) images (\(images.skipped.count) skipped) in \(String(format: "%.2f", seconds(clock.now - start))) s; "
      + "train \(split.training.count), validation \(split.validation.count)")

// conv3x3 s2 16 → dw/pw blocks → global average pool → dense.
var generator = RandomSource(seed: 7)
var layers: [Layer] = [
    Conv2D(inputChannels: 3, outputChannels: 16, filter: (3, 3), stride: (2, 2), useBias: false, generator: &generator),
    BatchNorm(channels: 16), ReLU6(),
]
var macs = (size / 2) * (size / 2) * 16 * 27
var side = size / 2
for (input, output, stride) in [(16, 32, 1), (32, 64, 2), (64, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2)] {
    layers += [
        DepthwiseConv2D(channels: input, stride: (stride, stride), useBias: false, generator: &generator),
        BatchNorm(channels: input), ReLU6(),
        Conv2D(inputChannels: input, outputChannels: output, filter: (1, 1), useBias: false, generator: &generator),
        BatchNorm(channels: output), ReLU6(),
    ]
    side = (side + stride - 1) / stride
    macs += side * side * input * 9 + side * side * input * output
}
layers += [GlobalAveragePool(), Dropout(rate: 0.2, seed: 5), Dense(inputs: 256, outputs: folder.classNames.count, generator: &generator)]
macs += 256 * folder.classNames.count
let network = Sequential(layers)
print("network: \(layers.count) layers, \(network.parameterCount) parameters, \(String(format: "%.2f", Double(macs) / 1e6)) M MACs per image")

let loader = BatchLoader(images: images, indices: split.training, batchSize: batchSize, augmentation: .standard, seed: 3)
let optimizer = Adam.adamW(weightDecay: 1e-4)
let loss = SoftmaxCrossEntropy(labelSmoothing: 0.1)
var forwardTime = [Double](repeating: 0, count: layers.count)
var backwardTime = [Double](repeating: 0, count: layers.count)
var loadTime = 0.0, optimizerTime = 0.0
var totalLoss = 0.0, correct = 0
start = clock.now
loader.startEpoch()
for number in 0..<loader.batchCount {
    var mark = clock.now
    let batch = loader.batch(number)
    loadTime += seconds(clock.now - mark)
    network.zeroGradients()
    var activation = batch.images
    for (index, layer) in layers.enumerated() {
        mark = clock.now
        activation = layer.forward(activation, training: true)
        forwardTime[index] += seconds(clock.now - mark)
    }
    let result = loss.evaluate(logits: activation, labels: batch.labels)
    totalLoss += Double(result.loss) * Double(batch.labels.count)
    correct += result.correct
    var gradient = result.gradient
    for (index, layer) in layers.enumerated().reversed() {
        mark = clock.now
        gradient = layer.backward(gradient)
        backwardTime[index] += seconds(clock.now - mark)
    }
    mark = clock.now
    optimizer.step(network.parameters, learningRate: 2e-3)
    optimizerTime += seconds(clock.now - mark)
}
let epoch = seconds(clock.now - start)
print(String(format: "epoch: %.2f s for %d images (%d batches of %d, %d BLAS threads); loss %.3f, train accuracy %.1f%%",
             epoch, split.training.count, loader.batchCount, batchSize, threads,
             totalLoss / Double(split.training.count), 100 * Double(correct) / Double(split.training.count)))
print(String(format: "  batches + augmentation %.2f s, optimizer %.2f s", loadTime, optimizerTime))
var byKind: [String: (Double, Double)] = [:]
for (index, layer) in layers.enumerated() {
    var kind = "\(type(of: layer))"
    if let conv = layer as? Conv2D { kind += conv.filterHeight == 1 ? " 1x1" : " \(conv.filterHeight)x\(conv.filterWidth)" }
    byKind[kind, default: (0, 0)].0 += forwardTime[index]
    byKind[kind, default: (0, 0)].1 += backwardTime[index]
}
for (kind, time) in byKind.sorted(by: { $0.value.0 + $0.value.1 > $1.value.0 + $1.value.1 }) {
    print(String(format: "  %-18@ forward %6.2f s  backward %6.2f s", kind as NSString, time.0, time.1))
}
