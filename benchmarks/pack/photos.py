"""Collects real photographs from Debian packages for the pack benchmark.

Downloads the packages with `apt-get download` (no install), unpacks them and
keeps every JPEG and PNG whose shorter side is at least 64 pixels, as a flat
folder of symbolic links with unique names. Cached under benchmarks/.cache.
"""
import os, subprocess, sys
from PIL import Image

PACKAGES = ["labelme-examples", "scratch", "kphotoalbum", "mate-backgrounds"]

def collect(cache):
    debs = os.path.join(cache, "debs")
    unpacked = os.path.join(cache, "unpacked")
    photos = os.path.join(cache, "photos")
    if os.path.isdir(photos) and len(os.listdir(photos)) >= 300:
        return photos
    os.makedirs(debs, exist_ok=True)
    for package in PACKAGES:
        if not any(f.startswith(package + "_") for f in os.listdir(debs)):
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True, stdout=subprocess.DEVNULL)
    for deb in sorted(os.listdir(debs)):
        target = os.path.join(unpacked, deb)
        if not os.path.isdir(target):
            os.makedirs(target)
            subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb), target], check=True)
    os.makedirs(photos, exist_ok=True)
    n = 0
    for root, _, files in sorted(os.walk(unpacked)):
        for name in sorted(files):
            if not name.lower().endswith((".jpg", ".jpeg", ".png")):
                continue
            path = os.path.join(root, name)
            try:
                with Image.open(path) as im:
                    if min(im.size) < 64:
                        continue
            except Exception:
                continue
            link = os.path.join(photos, f"{n:04d}-{name}")
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(path), link)
            n += 1
    return photos

if __name__ == "__main__":
    print(collect(sys.argv[1]))
