/// The `Idempotency-Key` of a batch: derived only from (device, run, first seq, last seq), so a retried
/// batch carries the same key, and two different batches never do (the record key is unique).
public enum IdempotencyKey {
    public static func make(device: String, run: String, firstSequence: Int, lastSequence: Int) -> String {
        // Header-safe: anything outside [A-Za-z0-9._-] becomes "_" (device and run ids are plain already).
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                let value = scalar.value
                let plain = (value >= 48 && value <= 57) || (value >= 65 && value <= 90) || (value >= 97 && value <= 122)
                    || value == 45 || value == 46 || value == 95
                return plain ? scalar : "_"
            }))
        }
        return clean(device) + ":" + clean(run) + ":" + String(firstSequence) + "-" + String(lastSequence)
    }
}
