"""The reference: a plain Python downloader, as a notebook would write it.

A thread pool of N workers, one requests.Session (keep-alive) per thread;
each file is streamed to disk under a temporary name, hashed with SHA-256,
checked for image magic bytes and renamed, and one manifest line per record is
appended: the same work ganprep fetch does.
Usage: reference_downloader.py RECORDS.json OUT_DIR WORKERS
"""
import concurrent.futures, hashlib, json, os, sys, threading
import requests

records = json.load(open(sys.argv[1]))
out = sys.argv[2]
workers = int(sys.argv[3])
os.makedirs(os.path.join(out, "images"), exist_ok=True)
local = threading.local()
lock = threading.Lock()
manifest = open(os.path.join(out, "manifest.jsonl"), "a")

def fetch(item):
    index, record = item
    session = getattr(local, "session", None)
    if session is None:
        session = local.session = requests.Session()
    entry = {"index": index, "url": record["url"], "description": record["description"]}
    try:
        r = session.get(record["url"], timeout=60, stream=True)
        entry["http_code"] = r.status_code
        if r.status_code != 200:
            entry["status"] = "http_error"
        else:
            h = hashlib.sha256()
            tmp = os.path.join(out, "images", f".partial-{index}")
            with open(tmp, "wb") as f:
                for chunk in r.iter_content(65536):
                    h.update(chunk)
                    f.write(chunk)
            with open(tmp, "rb") as f:
                head = f.read(8)
            if not (head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff")):
                entry["status"] = "not_image"
                os.unlink(tmp)
            else:
                digest = h.hexdigest()
                os.rename(tmp, os.path.join(out, "images", digest + ".png"))
                entry.update(status="ok", sha256=digest)
    except requests.RequestException as e:
        entry.update(status="error", error=str(e))
    with lock:
        manifest.write(json.dumps(entry) + "\n")
        manifest.flush()
    return entry["status"]

with concurrent.futures.ThreadPoolExecutor(workers) as pool:
    results = list(pool.map(fetch, enumerate(records)))
print(json.dumps({"ok": results.count("ok"), "total": len(results)}))
