import CurbTestKit
import Foundation
import Testing

/// The NEON kernels (`Sources/CKernels/kernels_neon.c`) equal the portable C kernels bit for bit: the kernels
/// and `Tests/NEON/neon_check.c` are cross-compiled with `aarch64-linux-gnu-gcc`, twice (plain NEON, and
/// with the dot-product extension for the `sdot` path), and run under `qemu-aarch64-static -cpu max`.
/// `.ci/run` installs both tools (scripts/install-packages.sh); without them the test is skipped with a note.
@Suite struct NEONKernelTests {
    static let compiler = "/usr/bin/aarch64-linux-gnu-gcc"
    static let emulator = "/usr/bin/qemu-aarch64-static"
    static let toolsPresent: Bool = {
        let present = FileManager.default.isExecutableFile(atPath: compiler) && FileManager.default.isExecutableFile(atPath: emulator)
        if !present { print("note: \(compiler) or \(emulator) is missing; the NEON kernels are not tested here") }
        return present
    }()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try CommandRunner(executable: URL(fileURLWithPath: executable)).run(arguments)
        return (result.status, result.standardOutput + result.standardError)
    }

    @Test(.enabled(if: toolsPresent), arguments: [("neon", "-march=armv8-a"), ("sdot", "-march=armv8.2-a+dotprod")])
    func neonMatchesPortable(name: String, architecture: String) throws {
        let root = CommandRunner.packageRoot
        let kernels = root.appendingPathComponent("Sources/CKernels")
        let binary = FileManager.default.temporaryDirectory
            .appendingPathComponent("curb-neon-check-\(name)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let sources = ["cpu.c", "pool.c", "conv_gemm.c", "depthwise.c", "add.c", "kernels_neon.c"].map { kernels.appendingPathComponent($0).path }
        let compile = try Self.run(Self.compiler, ["-O2", architecture, "-static", "-std=c11", "-Wall", "-Werror",
                                                   "-I", kernels.appendingPathComponent("include").path]
                                   + sources + [root.appendingPathComponent("Tests/NEON/neon_check.c").path, "-o", binary, "-lpthread"])
        #expect(compile.status == 0, "cross-compile failed: \(compile.output)")
        guard compile.status == 0 else { return }
        let result = try Self.run(Self.emulator, ["-cpu", "max", binary])
        #expect(result.status == 0, "\(result.output)")
        // The plain build checks NEON; the dot-product build checks NEON and sdot.
        #expect(result.output.contains(name == "sdot" ? "2 instruction sets checked; 0 failures" : "1 instruction sets checked; 0 failures"),
                "\(result.output)")
    }
}
