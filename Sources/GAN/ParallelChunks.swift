import Dispatch
import Support

/// Runs `body` over `0..<count` split into `threads` contiguous ranges
/// (each a multiple of 16 elements but the last) at once, when the range
/// is large enough to be worth a thread (`minimumChunk` elements each);
/// otherwise over the whole range on this thread. For elementwise passes
/// over large tensors (Adam's update, zeroing gradients), which one core's
/// memory bandwidth bounds: every element is computed exactly as it would
/// be on one thread, so the result does not depend on the thread count.
@inline(__always)
func forEachChunk(_ count: Int, threads: Int = BLAS.threads, minimumChunk: Int = 1 << 17, _ body: (Range<Int>) -> Void) {
    let threads = min(threads, count / max(1, minimumChunk))
    if threads <= 1 {
        body(0..<count)
        return
    }
    let chunk = (count / threads + 15) & ~15
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = min(count, t * chunk), end = t == threads - 1 ? count : min(count, start + chunk)
            if start < end { shared.value(start..<end) }
        }
    }
}
