import Support
/// The order in which a streamed epoch visits the images, produced one
/// image at a time: the chunk order shuffled, then a shuffle buffer over
/// `shuffleChunks` chunks' worth of image indices. A pure function of seed
/// and epoch. Memory is O(number of chunks) for the chunk order plus the
/// buffer's few chunks of indices, whatever the number of images.
struct EpochOrder {
    let count: Int
    let chunkLength: Int
    let shuffleChunks: Int
    /// Chunks in the order they are loaded.
    private(set) var chunkOrder: [Int]
    /// Chunks loaded into the buffer so far.
    private(set) var loaded = 0
    private var random: SeededGenerator
    private var buffer: [Int] = []

    init(count: Int, chunkLength: Int, shuffleChunks: Int, seed: UInt64, epoch: Int) {
        self.count = count
        self.chunkLength = chunkLength
        self.shuffleChunks = shuffleChunks
        random = epochGenerator(seed: seed, epoch: epoch)
        let chunks = count / chunkLength + (count % chunkLength == 0 ? 0 : 1)
        chunkOrder = Array(0..<chunks)
        random.shuffle(&chunkOrder)
        buffer.reserveCapacity(shuffleChunks * chunkLength)
        while loaded < min(shuffleChunks, chunks) { load() }
    }

    /// The next image, with how many chunks of `chunkOrder` must be loaded
    /// before it is emitted; nil when the epoch is over.
    mutating func next() -> (image: Int, chunksNeeded: Int)? {
        guard !buffer.isEmpty else { return nil }
        let pick = random.below(buffer.count)
        let image = buffer[pick]
        let needed = loaded
        buffer.swapAt(pick, buffer.count - 1)
        buffer.removeLast()
        // Keep shuffleChunks - 1 chunks' worth buffered while chunks remain.
        if loaded < chunkOrder.count && buffer.count <= (shuffleChunks - 1) * chunkLength { load() }
        return (image, needed)
    }

    /// The images of chunk `c`.
    func images(ofChunk c: Int) -> Range<Int> {
        (c * chunkLength)..<min(count, (c + 1) * chunkLength)
    }

    private mutating func load() {
        buffer.append(contentsOf: images(ofChunk: chunkOrder[loaded]))
        loaded += 1
    }
}
