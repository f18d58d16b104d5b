import Foundation
import Testing
import CurbTestKit

/// The MobileNetV2 peer models (`../shared/peers/models`, beside the repository) go through the importer and
/// then `curbside bench --verify`: the fast kernels' output equals the reference kernels' bit for bit, at 1 and
/// 2 threads. Skipped, with a message, where the peer models are absent.
@Suite struct PeerModelsBenchTests {
    static let curbside = CommandRunner("curbside")
    static let importer = CommandRunner("curbside-train")
    static let peers = CommandRunner.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/peers/models")
    static let names = ["mobilenetv2-035-96", "mobilenetv2-100-224"]
    static let present: Bool = {
        let found = names.allSatisfy {
            FileManager.default.fileExists(atPath: peers.appendingPathComponent("\($0).int8.tflite").path)
        }
        if !found { print("note: peer models absent (\(peers.path)): the peer bench --verify test is skipped") }
        return found
    }()

    @Test(.enabled(if: present, "peer models absent (../shared/peers/models)"), arguments: names)
    func fastKernelsEqualTheReferenceOnThePeerModel(name: String) throws {
        let directory = try TemporaryDirectory()
        let model = directory.path("\(name).curb")
        let imported = try Self.importer.run(["import", Self.peers.appendingPathComponent("\(name).int8.tflite").path,
                                              "--out", model])
        #expect(imported.status == 0, "\(imported.standardError)")
        guard imported.status == 0 else { return }
        for threads in [1, 2] {
            let result = try Self.curbside.run(["bench", "--model", model, "--threads", "\(threads)", "--iterations", "2",
                                                "--warmup", "1", "--verify", "--json"])
            #expect(result.status == 0, "\(result.standardError)")
            let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            #expect(report?["identical_to_reference"] as? Bool == true, "\(name) at \(threads) threads: \(result.standardOutput)")
            #expect((report?["threads"] as? NSNumber)?.intValue == threads)
            #expect((report?["allocations_per_invoke"] as? NSNumber)?.doubleValue == 0, "\(name) at \(threads) threads")
        }
    }
}
