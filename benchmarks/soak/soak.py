"""The million-record soak: fetch -> pack 32x32x1 -> one streamed epoch, at
several sizes, with each stage's peak RSS and time per record.

For every size N: N records ({"url", "description"}, a JSON array, ten
classes) of distinct generated PNGs served by soak-server from 127.0.0.1;
`fetch`, `pack`, one epoch of `train --stream`, `pack --dedup exact`,
`pack --dedup near` and `inspect --stats`, each timed with its peak RSS
(getrusage of the child). With --resume-check, a second fetch of the same
records is killed with SIGKILL once the server has answered 60% of them, then
run again: the re-run must ask for no record the killed run had finished (its
manifest lines), ask for every other, and end with every record ok.

Usage: soak.py GANPREP SOAK_SERVER WORK N[,N...] [--resume-check N] [--json OUT] [--skip STAGE,...]
(--skip stream: leave out the epoch, the longest stage, when measuring the others again)
Exits 1 when a check fails: the resume check, or a peak RSS of fetch, pack or
the streamed epoch at the largest size above 1.5x the one at the size before
(times are printed, never checked).
"""
import json, os, resource, signal, subprocess, sys, time, urllib.request

ganprep, server_binary, work = sys.argv[1], sys.argv[2], sys.argv[3]
sizes = [int(s) for s in sys.argv[4].split(",")]
args = sys.argv[5:]
resume_sizes = set()
json_out = None
skip = set()
while args:
    flag, value = args[0], args[1]
    args = args[2:]
    if flag == "--resume-check":
        resume_sizes = {int(s) for s in value.split(",")}
    elif flag == "--json":
        json_out = value
    elif flag == "--skip":
        skip = set(value.split(","))
    else:
        sys.exit(f"soak.py: unknown option {flag}")

os.makedirs(work, exist_ok=True)
port_file = os.path.join(work, "port")
if os.path.exists(port_file):
    os.unlink(port_file)
server = subprocess.Popen([server_binary, port_file])
for _ in range(200):
    if os.path.exists(port_file) and open(port_file).read().strip():
        break
    time.sleep(0.05)
base = f"http://127.0.0.1:{open(port_file).read().strip()}"
failures = []


def get(path):
    with urllib.request.urlopen(base + path) as response:
        return response.read()


def measured(name, cmd, records):
    """Runs cmd; returns its seconds, peak RSS (MiB) and time per record (us)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    if status != 0:
        failures.append(f"{name}: {' '.join(cmd)} exited with status {status}")
    return {"seconds": round(seconds, 2), "rss_mib": round(usage.ru_maxrss / 1024, 1),
            "us_per_record": round(seconds / records * 1e6, 1)}


def write_records(path, n):
    with open(path, "w") as f:
        f.write("[\n")
        for i in range(n):
            sep = ",\n" if i + 1 < n else "\n"
            f.write(f'{{"url": "{base}/img/{i}.png", "description": "class {i % 10}"}}{sep}')
        f.write("]\n")


def committed(manifest):
    """Indices with a whole manifest line (a torn last line is not finished)."""
    done = set()
    with open(manifest, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                continue
            try:
                done.add(json.loads(line)["index"])
            except ValueError:
                pass
    return done


def resume_check(n, records):
    out = os.path.join(work, str(n), "fetched-killed")
    subprocess.run(["rm", "-rf", out], check=True)
    get("/reset")
    proc = subprocess.Popen([ganprep, "fetch", records, "--out", out, "--quiet"], stdout=subprocess.DEVNULL)
    while proc.poll() is None and sum(get("/requests")) < 0.6 * n:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = committed(os.path.join(out, "manifest.jsonl"))
    get("/reset")
    rerun = measured("fetch (resumed)", [ganprep, "fetch", records, "--out", out, "--quiet"], n)
    counts = get("/requests")
    asked = {i for i, c in enumerate(counts) if c}
    repeated = sorted(done & asked)
    missing = sorted(set(range(n)) - done - asked)
    final = committed(os.path.join(out, "summary.json").replace("summary.json", "manifest.jsonl"))
    summary = json.load(open(os.path.join(out, "summary.json")))
    result = {"killed_after": len(done), "rerun": rerun, "fetched_twice": len(repeated), "never_asked": len(missing),
              "asked_more_than_once_in_rerun": sum(1 for c in counts if c > 1), "final_entries": len(final),
              "ok": summary.get("counts", {}).get("ok")}
    if repeated:
        failures.append(f"resume at {n}: {len(repeated)} finished records fetched again, e.g. {repeated[:5]}")
    if missing:
        failures.append(f"resume at {n}: {len(missing)} unfinished records never asked for, e.g. {missing[:5]}")
    if len(final) != n or result["ok"] != n:
        failures.append(f"resume at {n}: {len(final)} manifest entries, {result['ok']} ok, of {n}")
    return result


results = {}
try:
    for n in sizes:
        folder = os.path.join(work, str(n))
        subprocess.run(["rm", "-rf", folder], check=True)
        os.makedirs(folder)
        records = os.path.join(folder, "records.json")
        write_records(records, n)
        fetched, dataset = os.path.join(folder, "fetched"), os.path.join(folder, "dataset.h5")
        pack = ["--size", "32", "--channels", "1", "--quiet"]
        stages = {}
        get("/reset")
        stages["fetch"] = measured("fetch", [ganprep, "fetch", records, "--out", fetched, "--quiet"], n)
        stages["pack"] = measured("pack", [ganprep, "pack", fetched, "--out", dataset] + pack, n)
        epoch = [ganprep, "train", dataset, "--stream", "--epochs", "1", "--recipe", "classic", "--feature-maps", "8",
                 "--sample-every", "1000000", "--out", os.path.join(folder, "run"), "--quiet"]
        if "stream" not in skip:
            stages["stream epoch"] = measured("stream", epoch, n)
        for mode in ("exact", "near"):
            out = os.path.join(folder, f"dedup-{mode}.h5")
            stages[f"dedup {mode}"] = measured(f"dedup {mode}", [ganprep, "pack", fetched, "--dedup", mode, "--out", out] + pack, n)
            for leftover in (out, out + ".pack.jsonl"):
                os.unlink(leftover)  # 4 GB at a million images
        stages["inspect --stats"] = measured("inspect", [ganprep, "inspect", dataset, "--stats"], n)
        entry = {"stages": stages, "records_bytes": os.path.getsize(records)}
        if n in resume_sizes:
            entry["resume"] = resume_check(n, records)
        results[n] = entry
        print(f"{n:>9,} records ({entry['records_bytes'] / 2**20:.0f} MiB of records)")
        for stage, m in stages.items():
            print(f"  {stage:<16} {m['seconds']:>8.1f} s  {m['us_per_record']:>8.1f} us/record  peak RSS {m['rss_mib']:>7.1f} MiB")
        if "resume" in entry:
            r = entry["resume"]
            print(f"  killed at {r['killed_after']:,} finished; re-run {r['rerun']['seconds']:.1f} s, peak RSS "
                  f"{r['rerun']['rss_mib']:.1f} MiB; finished records fetched again: {r['fetched_twice']}; "
                  f"unfinished never asked: {r['never_asked']}; final entries {r['final_entries']:,}")
        sys.stdout.flush()
        subprocess.run(["rm", "-rf", folder], check=True)
    if len(sizes) > 1:
        small, large = sizes[-2], sizes[-1]
        print(f"from {small:,} to {large:,} records (large / small):")
        for stage in results[large]["stages"]:
            a, b = results[small]["stages"][stage], results[large]["stages"][stage]
            print(f"  {stage:<16} peak RSS {b['rss_mib'] / a['rss_mib']:.2f}x   time per record {b['us_per_record'] / a['us_per_record']:.2f}x")
            # Memory must not grow with the records (beyond the manifest index): a check, where time is only printed.
            if stage in ("fetch", "pack", "stream epoch") and b["rss_mib"] > 1.5 * a["rss_mib"]:
                failures.append(f"{stage}: peak RSS {b['rss_mib']} MiB at {large:,} records, more than 1.5x the {a['rss_mib']} MiB at {small:,}")
finally:
    server.kill()
    server.wait()
if json_out:
    json.dump(results, open(json_out, "w"), indent=1)
for failure in failures:
    print("FAILED:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
