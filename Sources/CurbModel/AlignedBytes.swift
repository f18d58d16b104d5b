/// An immutable, 64-byte-aligned copy of some bytes, owned by a model (its file, or its constant data).
///
/// Weights are read in place from here by the runtime, so the memory must outlive every interpreter
/// that uses the model: interpreters keep a reference.
public final class AlignedBytes: @unchecked Sendable {
    /// The alignment of the first byte.
    public static let alignment = 64

    /// Never mutated after init (hence `@unchecked Sendable`).
    public let buffer: UnsafeRawBufferPointer

    /// Copies `bytes` into aligned memory.
    public init(_ bytes: some Collection<UInt8>) {
        let count = bytes.count
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: Self.alignment)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        _ = memory.initializeMemory(as: UInt8.self, from: bytes)
        buffer = UnsafeRawBufferPointer(rebasing: memory[0..<count])
    }

    /// Allocates `count` zeroed aligned bytes and lets `body` fill them, so a file can be read straight
    /// into place (one copy, no staging array). If `body` throws, the memory is freed.
    public init<Failure: Error>(count: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Void) throws(Failure) {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: Self.alignment)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        buffer = UnsafeRawBufferPointer(rebasing: memory[0..<count])
        try body(UnsafeMutableRawBufferPointer(rebasing: memory[0..<count]))
    }

    deinit {
        UnsafeMutableRawPointer(mutating: buffer.baseAddress)?.deallocate()
    }

    public var count: Int { buffer.count }
}

/// A model's constant data: a window of ``AlignedBytes`` (the whole file when read, or a fresh blob
/// when built). Tensor offsets (``TensorStorage/constant(offset:)``) count from ``range``'s start.
public struct ConstantData: Sendable {
    public let storage: AlignedBytes
    /// The constant section inside `storage`.
    public let range: Range<Int>

    public init(storage: AlignedBytes, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count)
        self.storage = storage
        self.range = range
    }

    /// Constant data built in memory.
    public init(_ bytes: [UInt8]) {
        let storage = AlignedBytes(bytes)
        self.init(storage: storage, range: 0..<bytes.count)
    }

    public static let empty = ConstantData([])

    /// The constant section's bytes.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage.buffer[range]) }

    public var count: Int { range.count }
}
