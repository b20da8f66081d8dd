import Foundation
import GAN
import HDF5

/// Saves and loads named tensors in HDF5: one float32 dataset per tensor,
/// named by its path ("generator/dense_0/kernel" is the dataset `kernel` in
/// the group `generator/dense_0`), plus scalar attributes on the root.
public enum TensorStore {
    /// Writes `tensors` and `attributes` into a new file at `path`.
    public static func save(_ tensors: [(name: String, tensor: Tensor)], attributes: [String: HDF5AttributeValue],
                            to path: String) throws(HDF5Error) {
        let file = try HDF5File.create(path)
        try write(tensors, attributes: attributes, into: file)
        try file.close()
    }

    /// Writes the file under `temporary` and renames it onto `path` once
    /// closed (`HDF5File.replacing`), so a crash never leaves a half-written
    /// file that looks whole. `what` names the file in errors ("checkpoint",
    /// "classifier").
    public static func saveReplacing(_ tensors: [(name: String, tensor: Tensor)], attributes: [String: HDF5AttributeValue],
                              to path: String, temporary: String, what: String) throws(TrainingError) {
        do {
            try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
                try write(tensors, attributes: attributes, into: file)
            }
        } catch {
            throw .output(path: path, action: .writeNamed(what), cause: error)
        }
    }

    /// One dataset per tensor (groups made as their paths need) and the
    /// attributes on the root; everything it opens is released on return.
    private static func write(_ tensors: [(name: String, tensor: Tensor)], attributes: [String: HDF5AttributeValue],
                              into file: HDF5File) throws(HDF5Error) {
        var groups: [String: HDF5Group] = [:]
        func group(_ path: String) throws(HDF5Error) -> any HDF5Container {
            if path.isEmpty { return file }
            if let existing = groups[path] { return existing }
            let parts = path.split(separator: "/")
            let parentPath = parts.dropLast().joined(separator: "/")
            let parent = try group(parentPath)
            let name = String(parts.last!)
            let created = parent.contains(name) ? try parent.openGroup(name) : try parent.createGroup(name)
            groups[path] = created
            return created
        }
        for (name, tensor) in tensors {
            let parts = name.split(separator: "/")
            let container = try group(parts.dropLast().joined(separator: "/"))
            let dataset = try container.createDataset(String(parts.last!), of: Float.self, shape: tensor.shape)
            try dataset.write(UnsafeBufferPointer(start: tensor.data, count: tensor.count), start: tensor.shape.map { _ in 0 }, count: tensor.shape)
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) { try file.setAttribute(name, value) }
    }

    /// Reads each named tensor of `tensors` from `path` into its memory; the
    /// stored shape must match. Returns the file's root attributes.
    @discardableResult
    public static func load(_ tensors: [(name: String, tensor: Tensor)], from path: String) throws(HDF5Error) -> [String: HDF5AttributeValue] {
        let file = try HDF5File.open(path)
        for (name, tensor) in tensors {
            let parts = name.split(separator: "/").map(String.init)
            var container: any HDF5Container = file
            for part in parts.dropLast() { container = try container.openGroup(part) }
            let dataset = try container.openDataset(parts.last!)
            guard dataset.shape == tensor.shape else {
                throw .mismatch(path: path, object: "/" + name, .shape(expected: tensor.shape, found: dataset.shape))
            }
            try dataset.read(into: UnsafeMutableBufferPointer(start: tensor.data, count: tensor.count),
                             start: tensor.shape.map { _ in 0 }, count: tensor.shape)
        }
        var attributes: [String: HDF5AttributeValue] = [:]
        for name in file.attributeNames() { attributes[name] = try file.attribute(name) }
        return attributes
    }
}
