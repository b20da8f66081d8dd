"""Writes Fashion-MNIST training images as PNG files in one folder per class,
for `ganprep pack` (a folder's sub-folders are its labels) and the classifier
that `make demo` trains for FID. Images from START on: the demo's own images
(the first 300 of each class) come from the first ~3,100, so START=10000
keeps the classifier's data apart from the GAN's.

Usage: class_folders.py OUT_DIR START COUNT  (needs Debian's dataset-fashion-mnist)
"""
import gzip, os, struct, sys, zlib

SOURCE = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

def png(pixels, width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))

def main(out, start, count):
    images = gzip.open(os.path.join(SOURCE, "train-images-idx3-ubyte.gz")).read()
    labels = gzip.open(os.path.join(SOURCE, "train-labels-idx1-ubyte.gz")).read()
    magic, total, rows, cols = struct.unpack(">IIII", images[:16])
    assert magic == 2051 and struct.unpack(">II", labels[:8])[0] == 2049, "not Fashion-MNIST IDX files"
    size = rows * cols
    for name in CLASSES:
        os.makedirs(os.path.join(out, name), exist_ok=True)
    for i in range(start, min(start + count, total)):
        label = labels[8 + i]
        with open(os.path.join(out, CLASSES[label], f"{i:05d}.png"), "wb") as f:
            f.write(png(images[16 + i * size:16 + (i + 1) * size], cols, rows))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
