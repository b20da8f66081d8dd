"""GAPCV's own pipeline on the same photos: Images(name, folder, config).

GAPCV reads a folder of label subfolders with OpenCV (full decode, no DCT
scaling) and resizes to the target. Usage: gapcv_pack.py FOLDER OUT_DIR SIZE
"""
import os, sys
from gapcv.vision import Images

folder, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
# GAPCV wants labels as subfolders: one label, "photos".
labelled = os.path.join(out, "input")
os.makedirs(os.path.join(labelled, "photos"), exist_ok=True)
for name in sorted(os.listdir(folder)):
    target = os.path.join(labelled, "photos", name)
    if not os.path.lexists(target):
        os.symlink(os.path.realpath(os.path.join(folder, name)), target)
images = Images("gapcv_bench", labelled, _dir=out + "/", config=[f"resize=({size},{size})", "store", "float32"])
print(images.count, images.fail)
