// The dataset reader under libFuzzer, on hostile HDF5 files: the input is
// written to a file and opened as a dataset; every image it claims is
// checked at the first and last chunk, with the descriptions. Any input must
// end in a readable dataset or a DatasetError.
import DatasetFile
import HDF5
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif

private let path: String = {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(directory)/ganprep-fuzz-dataset-\(getpid()).h5"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataset(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    // A new inode each time: libhdf5 shares an open file's state by inode.
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    check(data, size)
    // Every identifier the reader opened is closed with it, on errors too.
    let leaked = HDF5Library.openObjectCount()
    if leaked != 0 { fatalError("\(leaked) HDF5 identifiers left open") }
    return 0
}

private func check(_ data: UnsafePointer<UInt8>, _ size: Int) {
    do {
        let reader = try DatasetReader(path: path)
        try reader.readSample()
        _ = try reader.descriptions()
    } catch {
        _ = "\(error)"
    }
}

@_cdecl("fuzz_dataset_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv, fuzzDataset)
}
