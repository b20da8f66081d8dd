"""Writes Fashion-MNIST training images as PNG files in one folder per class,
for `ganprep pack` (a folder's sub-folders are its labels) and the classifier
that `make demo` trains for FID. Images from START on: the demo's own images
(the first 300 of each class) come from the first ~3,100, so START=10000
keeps the classifier's data apart from the GAN's.

Usage: class_folders.py OUT_DIR START COUNT  (needs Debian's dataset-fashion-mnist)
"""
import gzip, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "benchmarks"))
from fashion_png import png_bytes, read_idx_images

SOURCE = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt-top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

def main(out, start, count):
    images, rows, cols = read_idx_images(os.path.join(SOURCE, "train-images-idx3-ubyte.gz"))
    labels = gzip.open(os.path.join(SOURCE, "train-labels-idx1-ubyte.gz")).read()
    assert struct.unpack(">II", labels[:8])[0] == 2049, "not a Fashion-MNIST IDX label file"
    for name in CLASSES:
        os.makedirs(os.path.join(out, name), exist_ok=True)
    for i in range(start, min(start + count, len(images))):
        with open(os.path.join(out, CLASSES[labels[8 + i]], f"{i:05d}.png"), "wb") as f:
            f.write(png_bytes(images[i], cols, rows))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
