#!/usr/bin/env python3
"""Regenerates the image fixtures from scikit-image's sample photographs.

Usage: make_fixtures.py SKIMAGE_DATA_DIR   (the skimage/data folder of the
scikit-image wheel, e.g. from `pip download --no-deps scikit-image`).
Needs Debian's python3-pil, libjpeg-turbo-progs (cjpeg, jpegtran) and gcc with
libjpeg-dev (for the YCCK file, which no command-line tool writes).
"""
import io, os, struct, subprocess, sys, zlib
from PIL import Image

src = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
os.makedirs(out, exist_ok=True)

def path(name):
    return os.path.join(out, name)

def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, check=True, capture_output=True).stdout

cat = Image.open(os.path.join(src, "chelsea.png")).convert("RGB")          # 451x300, CC0
coffee = Image.open(os.path.join(src, "coffee.png")).convert("RGB")        # 600x400, CC0

# JPEG: baseline from the lossless original, then lossless transcodes.
ppm = io.BytesIO(); cat.save(ppm, "PPM")
open(path("chelsea.jpg"), "wb").write(run(["cjpeg", "-quality", "80"], ppm.getvalue()))
for name, flags in [("chelsea-progressive.jpg", ["-progressive"]),
                    ("chelsea-gray.jpg", ["-grayscale"]),
                    ("chelsea-arithmetic.jpg", ["-arithmetic"])]:
    open(path(name), "wb").write(run(["jpegtran", *flags, path("chelsea.jpg")]))
# CMYK as Photoshop writes it (Adobe marker, inverted values): Pillow does that.
cat.convert("CMYK").save(path("chelsea-cmyk.jpg"), quality=85)
# Progressive transcodes of the gray and CMYK files, and a 4:4:4 pair (no
# chroma subsampling): at reduced scales the decoder stops after the scans
# its reduced IDCTs need, which differ by component and subsampling.
# In their own folder: the tests that pack images/ count its files.
progressive = os.path.join(os.path.dirname(out), "progressive")
os.makedirs(progressive, exist_ok=True)
for name, source in [("chelsea-gray-progressive.jpg", "chelsea-gray.jpg"),
                     ("chelsea-cmyk-progressive.jpg", "chelsea-cmyk.jpg")]:
    open(os.path.join(progressive, name), "wb").write(run(["jpegtran", "-progressive", path(source)]))
baseline444 = os.path.join(progressive, "chelsea-444.jpg")
open(baseline444, "wb").write(run(["cjpeg", "-quality", "80", "-sample", "1x1"], ppm.getvalue()))
open(os.path.join(progressive, "chelsea-444-progressive.jpg"), "wb").write(run(["jpegtran", "-progressive", baseline444]))
# EXIF orientation 6 (stored rotated: display = rotate 90 degrees clockwise).
exif = Image.Exif(); exif[0x0112] = 6
cat.transpose(Image.Transpose.ROTATE_90).save(path("chelsea-exif6.jpg"), quality=85, exif=exif)
# A photo of another shape, for resize tests.
coffee.save(path("coffee.jpg"), quality=85)

# YCCK with an Adobe marker through libjpeg's own API.
ycck_c = r'''
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(int argc, char **argv) {
  FILE *in = fopen(argv[1], "rb"); int w, h; fscanf(in, "%d %d\n", &w, &h);
  unsigned char *cmyk = malloc((size_t)w * h * 4); fread(cmyk, 1, (size_t)w * h * 4, in); fclose(in);
  struct jpeg_compress_struct c; struct jpeg_error_mgr e; c.err = jpeg_std_error(&e);
  jpeg_create_compress(&c); FILE *out = fopen(argv[2], "wb"); jpeg_stdio_dest(&c, out);
  c.image_width = w; c.image_height = h; c.input_components = 4; c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c); jpeg_set_colorspace(&c, JCS_YCCK); jpeg_set_quality(&c, 85, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) { JSAMPROW r = cmyk + (size_t)c.next_scanline * w * 4; jpeg_write_scanlines(&c, &r, 1); }
  jpeg_finish_compress(&c); fclose(out); return 0; }
'''
open("/tmp/ycck.c", "w").write(ycck_c)
run(["gcc", "-O1", "-o", "/tmp/ycck", "/tmp/ycck.c", "-ljpeg"])
small = cat.resize((226, 150), Image.Resampling.BOX)
inverted = bytes(255 - b for b in small.convert("CMYK").tobytes())  # Adobe convention: stored = 255 - ink
open("/tmp/ycck.raw", "wb").write(b"%d %d\n" % small.size + inverted)
run(["/tmp/ycck", "/tmp/ycck.raw", path("chelsea-ycck.jpg")])

jpeg = open(path("chelsea.jpg"), "rb").read()
open(path("truncated.jpg"), "wb").write(jpeg[: len(jpeg) * 6 // 10])
# Corrupt: the entropy-coded data overwritten with a run of garbage.
corrupt = bytearray(jpeg); mid = len(corrupt) // 2
corrupt[mid:mid + 400] = bytes((i * 37 + 11) % 251 for i in range(400))
open(path("corrupt.jpg"), "wb").write(bytes(corrupt))
# Bomb: the SOF0 frame header claims 60000 x 60000 pixels.
bomb = bytearray(jpeg); sof = bomb.index(b"\xff\xc0")
bomb[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)
open(path("bomb.jpg"), "wb").write(bytes(bomb))

# PNG: every colour type Pillow writes, from the same photo at 150x100.
pic = cat.resize((150, 100), Image.Resampling.BOX)
pic.save(path("rgb.png"))
pic.convert("L").save(path("gray.png"))
alpha = Image.linear_gradient("L").resize((150, 100))
rgba = pic.copy(); rgba.putalpha(alpha); rgba.save(path("rgba.png"))
la = pic.convert("L"); la.putalpha(alpha); la.save(path("gray-alpha.png"))
pal = pic.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
pal.info["transparency"] = 0
pal.save(path("palette-transparent.png"), transparency=0)

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def write_png(name, width, height, depth, color_type, rows, interlace=0):
    """rows: raw scanlines (bytes) for non-interlaced, or the Adam7 passes' scanlines concatenated."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + r for r in rows)
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    open(path(name), "wb").write(data)

px = pic.load()
# 16-bit RGB: each 8-bit value v stored as v*257 (exactly v after 16->8 conversion).
rows16 = [b"".join(struct.pack(">HHH", *(c * 257 for c in px[x, y])) for x in range(150)) for y in range(100)]
write_png("rgb16.png", 150, 100, 16, 2, rows16)
# Adam7-interlaced 8-bit RGB.
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
irows = []
for x0, y0, dx, dy in passes:
    for y in range(y0, 100, dy):
        xs = range(x0, 150, dx)
        if len(xs):
            irows.append(b"".join(bytes(px[x, y]) for x in xs))
write_png("interlaced.png", 150, 100, 8, 2, irows, interlace=1)

png = open(path("rgb.png"), "rb").read()
open(path("truncated.png"), "wb").write(png[: len(png) // 2])
bad = bytearray(png); idat = bad.index(b"IDAT")
bad[idat + 40: idat + 240] = bytes(200)
open(path("corrupt.png"), "wb").write(bytes(bad))
# Bomb: IHDR claims 100000 x 100000 RGB; the one IDAT is tiny.
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
open(path("bomb.png"), "wb").write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
                                   + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + png_chunk(b"IEND", b""))
open(path("not-an-image.jpg"), "wb").write(b"<!doctype html><html><body>Not found</body></html>\n")
# Benign libjpeg warning: bytes between two header markers (skipped, no pixel lost).
jpeg = open(path("chelsea.jpg"), "rb").read()
dqt = jpeg.index(b"\xff\xdb")
open(os.path.join(os.path.dirname(out), "jpeg-warnings", "chelsea-extraneous.jpg"), "wb").write(jpeg[:dqt] + b"\x00\x11\x22\x33\x44" + jpeg[dqt:])
print("fixtures written to", out)
