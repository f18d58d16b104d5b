import CZlib

/// gzip compression of report bodies (zlib's deflate with the gzip wrapper) and bounded decompression: the uploader
/// compresses, the collector and the tests decompress.
public enum Gzip {
    /// `bytes` as one gzip member.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { preconditionFailure("deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish within its bound")
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// What decompressing a body gave.
    public enum Outcome: Equatable, Sendable { case bytes([UInt8]), damaged, tooLarge }

    /// The decompressed bytes of a gzip (or zlib) stream, or nil when damaged or larger than `limit`.
    public static func decompress(_ bytes: [UInt8], limit: Int) -> [UInt8]? {
        if case .bytes(let result) = inflate(bytes, limit: limit) { return result }
        return nil
    }

    /// Decompresses a gzip (or zlib) stream in 64 KB steps, stopping as soon as the output passes `limit` (so a
    /// small bomb cannot fill memory): the bytes, `.damaged`, or `.tooLarge`.
    public static func inflate(_ bytes: [UInt8], limit: Int) -> Outcome {
        var stream = z_stream()
        // 15 + 32: detect gzip or zlib headers.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return .damaged }
        defer { inflateEnd(&stream) }
        var input = bytes
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        return input.withUnsafeMutableBufferPointer { inputBuffer -> Outcome in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> (Int32, Int) in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, chunkBuffer.count - Int(stream.avail_out))
                }
                result += chunk.prefix(produced)
                if result.count > limit { return .tooLarge }
                if status == Z_STREAM_END { return .bytes(result) }
                if status != Z_OK || (produced == 0 && stream.avail_in == 0) { return .damaged }
            }
        }
    }
}
