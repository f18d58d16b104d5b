import CurbModel
import Testing

@Suite struct Padding2DSameTests {
    @Test func sameSplitsOddPaddingAfter() {
        // in 4, filter 3, stride 2: out = ceil(4/2) = 2, total = (2−1)·2 + 3 − 4 = 1 → 0 before, 1 after.
        #expect(Padding2D.resolveAxis(.same, input: 4, filter: 3, stride: 2) == WindowAxis(before: 0, after: 1, output: 2))
        // in 5, filter 3, stride 1: out 5, total 2 → 1 and 1.
        #expect(Padding2D.resolveAxis(.same, input: 5, filter: 3, stride: 1) == WindowAxis(before: 1, after: 1, output: 5))
        // in 7, filter 4, stride 1: total 3 → 1 before, 2 after.
        #expect(Padding2D.resolveAxis(.same, input: 7, filter: 4, stride: 1) == WindowAxis(before: 1, after: 2, output: 7))
        // Dilation 2 makes a 3-tap filter 5 wide: in 6, stride 1 → total 4 → 2 and 2.
        #expect(Padding2D.resolveAxis(.same, input: 6, filter: 3, stride: 1, dilation: 2) == WindowAxis(before: 2, after: 2, output: 6))
        // Large stride: in 5, filter 1, stride 3 → out 2, total max(0, 3 + 1 − 5) = 0.
        #expect(Padding2D.resolveAxis(.same, input: 5, filter: 1, stride: 3) == WindowAxis(before: 0, after: 0, output: 2))
    }

    @Test func validNeverPads() {
        // in 7, filter 3, stride 2: out (7 + 2 − 3) / 2 = 3.
        #expect(Padding2D.resolveAxis(.valid, input: 7, filter: 3, stride: 2) == WindowAxis(before: 0, after: 0, output: 3))
        // A window wider than the input: no output.
        #expect(Padding2D.resolveAxis(.valid, input: 2, filter: 3, stride: 1).output == 0)
    }

    @Test func explicitExtentAgreesWithResolvedPadding() {
        for scheme in [PaddingScheme.same, .valid] {
            for input in 1...12 { for filter in 1...5 { for stride in 1...4 { for dilation in 1...2 {
                let axis = Padding2D.resolveAxis(scheme, input: input, filter: filter, stride: stride, dilation: dilation)
                guard axis.output > 0 else { continue }
                #expect(Padding2D.outputExtent(input: input, filter: filter, stride: stride, dilation: dilation,
                                               before: axis.before, after: axis.after) == axis.output)
            } } } }
        }
        #expect(Padding2D.outputExtent(input: 2, filter: 3, stride: 1, before: 0, after: 0) == nil)
    }
}
