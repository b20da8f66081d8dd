import CLoader
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shared loader of CHDF5, CCurl, COpenBLAS and CMPI, on real libraries:
/// zlib (which every build of ganprep loads through libpng) and one that
/// does not exist.
@Suite struct LoaderTests {
    /// A loader for `sonames` (kept alive by the returned pointers, freed by the caller).
    static func loader(_ what: String, _ sonames: [String],
                       find: @escaping @convention(c) (UnsafeMutablePointer<gp_loader>?, UnsafeMutableRawPointer?) -> Int32)
        -> (UnsafeMutablePointer<gp_loader>, UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let names = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: sonames.count + 1)
        for (i, name) in sonames.enumerated() { names[i] = UnsafePointer(strdup(name)) }
        names[sonames.count] = nil
        let loader = UnsafeMutablePointer<gp_loader>.allocate(capacity: 1)
        gp_loader_init(loader, strdup(what), names, RTLD_NOW | RTLD_LOCAL, find)
        return (loader, names)
    }

    static func failure(_ loader: UnsafeMutablePointer<gp_loader>) -> String? {
        gp_loader_load(loader).map { String(cString: $0) }
    }

    @Test func aMissingLibraryIsNamedWithTheLoadersReason() {
        let (loader, _) = Self.loader("Nothing (libganprep-missing.so.0)", ["libganprep-missing.so.0", "libganprep-missing.so"]) { _, _ in 1 }
        let text = Self.failure(loader)
        #expect(text?.hasPrefix("cannot load Nothing (libganprep-missing.so.0): ") == true)
        // dlerror's reason names the last soname tried.
        #expect(text?.contains("libganprep-missing.so") == true)
        // Tried once: the second call gives the same text without loading again.
        #expect(Self.failure(loader) == text)
    }

    @Test func aLaterSonameIsTriedWhenTheFirstIsMissing() {
        let (loader, _) = Self.loader("zlib", ["libganprep-missing.so.0", "libz.so.1"]) { loader, library in
            var slot: UnsafeMutableRawPointer?
            return gp_loader_find(loader, library, "zlibVersion", &slot)
        }
        #expect(Self.failure(loader) == nil)
    }

    @Test func aMissingSymbolIsNamed() {
        let (loader, _) = Self.loader("zlib (libz.so.1)", ["libz.so.1"]) { loader, library in
            var slot: UnsafeMutableRawPointer?
            guard gp_loader_find(loader, library, "zlibVersion", &slot) == 1, slot != nil else { return 0 }
            return gp_loader_find(loader, library, "gp_no_such_symbol", &slot)
        }
        #expect(Self.failure(loader) == "zlib (libz.so.1) lacks gp_no_such_symbol")
    }
}
