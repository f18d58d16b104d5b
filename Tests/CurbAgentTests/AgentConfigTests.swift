import Testing
import CurbImage
@testable import CurbAgent

@Suite struct AgentConfigTests {
    @Test func everyKeyParsesWithItsType() throws {
        let config = try AgentConfig.parse("""
            # a board's config
            model = "/opt/m.curb"
            dirs = ["/frames/a", "/frames/b"]   # two cameras
            state_dir = "/var/lib/curbside"
            after = "move"
            threads = 2
            settle_ms = 350
            queue = 1_000
            skip = "delete"
            top = 2
            threshold = 0.6
            roi = [10, 20, 300, 200]
            device = "pole-17"
            report_interval_s = 30
            fsync = "interval"
            max_rate = 5
            log_frames = false

            [regions]
            "/frames/b" = [0, 0, 64, 48]
            """)
        #expect(config.model == "/opt/m.curb")
        #expect(config.directories == ["/frames/a", "/frames/b"])
        #expect(config.after == .move && config.skip == .delete && config.fsync == .interval)
        #expect(config.threads == 2 && config.settleMilliseconds == 350 && config.queueCapacity == 1000 && config.top == 2)
        #expect(config.threshold == 0.6 && config.maximumRate == 5 && !config.logFrames)
        #expect(config.region(for: "/frames/a") == PixelRegion(x: 10, y: 20, width: 300, height: 200))
        #expect(config.region(for: "/frames/b") == PixelRegion(x: 0, y: 0, width: 64, height: 48))
        #expect(config.device == "pole-17" && config.reportIntervalSeconds == 30)
    }

    @Test func unknownKeyIsRefusedByName() {
        #expect { try AgentConfig.parse("queue = 4\nthreshhold = 0.5\n") } throws: { error in
            "\(error)" == "config line 2: unknown key 'threshhold'"
        }
    }

    @Test func wrongTypeAndRangeAreRefusedByName() {
        #expect { try AgentConfig.parse("threads = \"two\"") } throws: { "\($0)".contains("'threads' must be an integer, not a string") }
        #expect { try AgentConfig.parse("after = \"archive\"") } throws: { "\($0)".contains("'after' must be one of keep, move, delete") }
        #expect { try AgentConfig.parse("threshold = 1.5") } throws: { "\($0)".contains("'threshold' must be in 0.0…1.0") }
        #expect { try AgentConfig.parse("roi = [1, 2, 3]") } throws: { "\($0)".contains("'roi'") }
        #expect { try AgentConfig.parse("queue = 0") } throws: { "\($0)".contains("'queue'") }
    }

    @Test func syntaxErrorsNameTheLine() {
        #expect { try AgentConfig.parse("\n\nmodel = /no/quotes") } throws: { "\($0)".hasPrefix("config line 3") }
        #expect { try AgentConfig.parse("model = \"open") } throws: { "\($0)".contains("unterminated string") }
        #expect { try AgentConfig.parse("top = 1\ntop = 2") } throws: { "\($0)".contains("'top' is set twice") }
        #expect { try AgentConfig.parse("[cameras]\nx = 1") } throws: { "\($0)".contains("unknown table '[cameras]'") }
    }

    @Test func missingEssentialsAreNamed() {
        #expect { try AgentConfig().validated() } throws: { "\($0)".contains("no model") }
    }

    /// The example config documents every key and parses (it is what a technician copies).
    @Test func exampleConfigHasEveryKeyAndParses() throws {
        let path = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
        let text = try #require(FileSystem.readText("/" + path + "/Firmware/curbside.conf.example"))
        _ = try AgentConfig.parse(text)
        // Every key appears, set or commented out with its default.
        for key in AgentConfig.keys {
            #expect(text.contains("\n\(key) =") || text.contains("\n# \(key) ="), "\(key) is not documented")
        }
    }
}
