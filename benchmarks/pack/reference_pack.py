"""The reference: a Python pack pipeline as a notebook would write it, done well.

Pillow with draft() (libjpeg's DCT scaling, as ganprep uses), EXIF transpose,
alpha composited over white, center crop and area-averaging (BOX) resize,
numpy normalization to [-1, 1], h5py writing chunked float32 [N, H, W, 3].
One process. Usage: reference_pack.py FOLDER OUT.h5 SIZE
"""
import os, sys
import h5py, numpy as np
from PIL import Image, ImageOps

folder, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
names = sorted(os.listdir(folder))
chunk = max(1, min(1024, (1 << 20) // (size * size * 3 * 4)))
with h5py.File(out, "w") as f:
    images = f.create_dataset("images", (0, size, size, 3), maxshape=(None, size, size, 3),
                              chunks=(chunk, size, size, 3), dtype="float32")
    batch, written, failed = [], 0, 0

    def flush():
        global batch, written
        if batch:
            images.resize(written + len(batch), axis=0)
            images[written:written + len(batch)] = np.stack(batch)
            written += len(batch)
            batch = []

    for name in names:
        try:
            im = Image.open(os.path.join(folder, name))
            w, h = im.size
            s = max(size / w, size / h)
            im.draft("RGB", (int(w * s + 0.999), int(h * s + 0.999)))
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                im = im.convert("RGBA")
                white = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(white, im)
            im = im.convert("RGB")
            im = ImageOps.fit(im, (size, size), method=Image.Resampling.BOX)
            batch.append(np.asarray(im, dtype=np.float32) / 127.5 - 1)
        except Exception as e:
            failed += 1
            continue
        if len(batch) == 256:
            flush()
    flush()
print(written, failed)
