"""Starts the fetch benchmark's server (benchmarks/fetch/server) and writes a records file for it."""
import json, os, subprocess, time

def start(server_binary, folder, latency_ms, work, description="Fashion-MNIST test image"):
    """Serves every file of `folder` from 127.0.0.1 with `latency_ms` added;
    returns (the server process, a JSON records file of its URLs)."""
    port_file = os.path.join(work, f"port-{latency_ms}")
    server = subprocess.Popen([server_binary, folder, str(latency_ms), port_file])
    for _ in range(100):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.05)
    port = int(open(port_file).read())
    records = os.path.join(work, f"records-{latency_ms}.json")
    json.dump([{"url": f"http://127.0.0.1:{port}/{n}", "description": description} for n in sorted(os.listdir(folder))], open(records, "w"))
    return server, records
