import CZlib

/// gzip/zlib request bodies (`Content-Encoding: gzip`), bounded so a small bomb cannot fill memory.
enum Inflate {
    /// The decompressed bytes, or nil when damaged; `.tooLarge` past `limit`.
    enum Outcome { case bytes([UInt8]), damaged, tooLarge }

    static func decompress(_ bytes: [UInt8], limit: Int) -> Outcome {
        var stream = z_stream()
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
                    let status = inflate(&stream, Z_NO_FLUSH)
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
