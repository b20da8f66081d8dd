import Dispatch
import LinearAlgebra
import Support

/// Runs `body` over `0..<count` split into `threads` contiguous ranges
/// (each starting on a multiple of `alignment`) at once, when the range
/// is large enough to be worth a thread (`minimumChunk` each); otherwise
/// over the whole range on this thread. For elementwise passes over large
/// tensors (Adam's update, zeroing gradients, activations) and for rows or
/// blocks of rows (BatchNorm): every element is computed exactly as it
/// would be on one thread (with 16-element alignment a vector loop meets
/// the same blocks), so the result does not depend on the thread count.
@inline(__always)
func forEachChunk(_ count: Int, threads: Int = PassThreads.current, minimumChunk: Int = 1 << 17, alignment: Int = 16,
                  _ body: (Range<Int>) -> Void) {
    let threads = min(threads, count / max(1, minimumChunk))
    if threads <= 1 {
        body(0..<count)
        return
    }
    let chunk = (count / threads + alignment - 1) / alignment * alignment
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = min(count, t * chunk), end = t == threads - 1 ? count : min(count, start + chunk)
            if start < end { shared.value(start..<end) }
        }
    }
}

/// How many threads the passes above split over: OpenBLAS's process-wide
/// count, unless the calling task bound another. The tests that compare a
/// pass on one thread and on two bind it for their own task: setting
/// OpenBLAS's count instead would change it under every other test in the
/// process, and OpenBLAS's products are not always the same bits on one
/// thread and on two (SkylakeX's direct sgemm is taken only on one for
/// mid-sized products), so a run compared bit for bit with another (resume
/// against an uninterrupted run) could see the count change under it.
enum PassThreads {
    @TaskLocal static var override: Int?

    static var current: Int { override ?? BLAS.threads }
}
