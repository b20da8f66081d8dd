#!/usr/bin/env python3
"""Writes the embedded demo dataset from Debian's dataset-fashion-mnist.

3,000 training images, 300 of each of the 10 classes (the first ones of each
class in file order), as 28x28 gray PNG files under images/, and
manifests/fashion-demo.json in the original record format: a JSON array of
{"url", "description"}, the description being the class name. The URLs point
at the local server `make demo` starts (127.0.0.1:8731).
Usage: make_demo_data.py [PER_CLASS]
"""
import gzip, json, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "benchmarks"))
from fashion_png import png_bytes, read_idx_images

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
per_class = int(sys.argv[1]) if len(sys.argv) > 1 else 300
source = "/usr/share/datasets/fashion-mnist"
images, rows, cols = read_idx_images(os.path.join(source, "train-images-idx3-ubyte.gz"))
labels = gzip.open(os.path.join(source, "train-labels-idx1-ubyte.gz")).read()[8:]
chosen, counts = [], [0] * 10
for i, label in enumerate(labels):
    if counts[label] < per_class:
        counts[label] += 1
        chosen.append(i)
    if len(chosen) == per_class * 10:
        break
out = os.path.join(here, "images")
os.makedirs(out, exist_ok=True)
records = []
for n, i in enumerate(chosen):
    name = f"{n:05d}.png"
    with open(os.path.join(out, name), "wb") as f:
        f.write(png_bytes(images[i], cols, rows))
    records.append({"url": f"http://127.0.0.1:8731/{name}", "description": CLASSES[labels[i]]})
manifest = os.path.join(here, "..", "..", "manifests", "fashion-demo.json")
with open(manifest, "w") as f:
    f.write("[\n" + ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n")
print(f"{len(chosen)} images in {out}, records in {os.path.normpath(manifest)}")
