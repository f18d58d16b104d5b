import CurbTestKit
import Foundation
import Testing

/// The x86-64 kernels under AddressSanitizer and UndefinedBehaviorSanitizer: `Sources/CKernels` and
/// `Tests/Sanitizers/kernels_check.c` are built with clang (the Swift toolchain's) and run on random shapes,
/// zero points, paddings, strides, dilations, clamps and thread counts against the portable kernels. A byte read
/// or written outside a tensor (the masked loads and direct gathers form addresses outside it on purpose, and may
/// touch only the unmasked bytes), an undefined shift or a mismatching output fails the test. It also checks the
/// limit below which prepare takes the one-rounding requantization (`curb_magnitude_rounding_exact`) against brute
/// force: every possible tie below it rounds as TFLite does, and the limit itself is a tie.
@Suite struct KernelSanitizerTests {
    @Test func vectorKernelsStayInsideTheirTensorsAndMatchThePortableKernels() throws {
        #if arch(x86_64)
        let compiler = try #require(CommandRunner.onPath("clang"), "clang (part of the Swift toolchain) is not on the PATH")
        let root = CommandRunner.packageRoot
        let kernels = root.appendingPathComponent("Sources/CKernels")
        let sources = try FileManager.default.contentsOfDirectory(atPath: kernels.path).filter { $0.hasSuffix(".c") }.sorted()
            .map { kernels.appendingPathComponent($0).path }
        let directory = try TemporaryDirectory()
        let binary = directory.path("kernels-check")
        let compile = try CommandRunner(executable: compiler).run(
            ["-O1", "-g", "-std=c11", "-Wall", "-Werror", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
             "-fno-omit-frame-pointer", "-fuse-ld=lld", "-I", kernels.appendingPathComponent("include").path, "-I", kernels.path]
                + sources + [root.appendingPathComponent("Tests/Sanitizers/kernels_check.c").path, "-o", binary, "-lpthread"])
        #expect(compile.status == 0, "build failed: \(compile.standardError)")
        guard compile.status == 0 else { return }
        let result = try CommandRunner(executable: URL(fileURLWithPath: binary)).run(["1500"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError.suffix(4000))")
        #expect(result.standardOutput.contains(" 0 mismatches"), "\(result.standardOutput)")
        #expect(!result.standardOutput.hasPrefix("0 cases"), "no vector instruction set was checked")
        #endif
    }
}
