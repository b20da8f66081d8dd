import Foundation
import Storage
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct OutputLockTests {
    @Test func aSecondWriterIsRefusedWithTheHoldersPid() throws {
        let directory = try TestPaths.temporaryDirectory("lock-second")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out").path
        let first = try OutputLock.directory(output)
        #expect(throws: StorageError.locked(output: output, pid: Int(getpid()))) { try OutputLock.directory(output) }
        first.release()
        // Released: the next writer gets it, and the lock file is gone with the holder.
        let second = try OutputLock.directory(output)
        second.release()
        #expect(!FileManager.default.fileExists(atPath: output + "/.ganprep.lock"))
    }

    @Test func aKilledHoldersLockNeverBlocks() throws {
        let directory = try TestPaths.temporaryDirectory("lock-killed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("data.h5").path
        // util-linux flock(1) holds an flock on the lock file from another process.
        // -o: flock(1) alone holds the lock, not the command it runs; the command
        // prints its pid once the lock is taken. Nothing here touches the lock file
        // before then: flock(1) does not check that the file it locked is still
        // the one named, so probing early could leave it holding a removed file.
        let holder = Process()
        let ready = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", file + ".lock", "sh", "-c", "echo $$; exec sleep 30 >/dev/null 2>&1"]
        holder.standardOutput = ready
        try holder.run()
        var said = ""
        while !said.hasSuffix("\n"), let byte = try ready.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            said += String(decoding: byte, as: UTF8.self)
        }
        let command = try #require(Int32(said.dropLast()))
        #expect(isLocked(file), "the other process's lock was not seen")
        kill(holder.processIdentifier, SIGKILL)
        kill(command, SIGKILL)  // holds no lock (-o), but Process waits for it
        holder.waitUntilExit()
        // The lock file is still there, but its lock died with its holder.
        #expect(FileManager.default.fileExists(atPath: file + ".lock"))
        let lock = try OutputLock.file(file)
        #expect(try String(contentsOfFile: file + ".lock", encoding: .utf8) == "\(getpid())\n")
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    func isLocked(_ file: String) -> Bool {
        do {
            try OutputLock.file(file).release()
            return false
        } catch {
            return "\(error)".contains("being written by")
        }
    }

    @Test func aFileInThePlaceOfTheDirectoryIsNamed() throws {
        let directory = try TestPaths.temporaryDirectory("lock-notdir")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plain").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        #expect { try OutputLock.directory(path + "/run") } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("not a directory")
        }
    }
}
