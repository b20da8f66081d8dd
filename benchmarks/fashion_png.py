"""Writes Fashion-MNIST images (IDX, gzip) as 8-bit grayscale PNG files."""
import gzip, os, struct, zlib

def png_bytes(pixels, width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

def read_idx_images(path):
    data = gzip.open(path).read()
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    assert magic == 2051, f"{path}: not an IDX image file"
    size = rows * cols
    return [data[16 + i * size:16 + (i + 1) * size] for i in range(count)], rows, cols

def write_pngs(idx_path, folder, count):
    images, rows, cols = read_idx_images(idx_path)
    os.makedirs(folder, exist_ok=True)
    for i, pixels in enumerate(images[:count]):
        with open(os.path.join(folder, f"{i:05d}.png"), "wb") as f:
            f.write(png_bytes(pixels, cols, rows))
