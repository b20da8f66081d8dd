"""Fetch benchmark where the client is the bottleneck: CPU per image.

10,000 small real images (Fashion-MNIST test images as gray PNG) served by
nginx (Debian's nginx-light, started here on a free port, stopped after) on
127.0.0.1 with no added latency. Three clients, one after the other, each
writing the same files into an empty folder:

- ganprep fetch (which also hashes, sniffs and writes a manifest),
- `curl -Z --parallel-max N --remote-name-all --output-dir DIR` (libcurl's
  own multi loop: the same library, nothing but the transfer and the file),
- a plain Python thread pool of N workers (benchmarks/fetch/reference_downloader.py).

Two widths: 64 in flight against 127.0.0.1, and 256 in flight spread over 16
host names (127.0.0.2 ... 127.0.0.17, each a `listen` of the same server).
CPU is the client's user + system time (getrusage of the child), so the
server's share is not counted. Median of ROUNDS alternating rounds (5 in
`make bench`); the CPU ratio to curl is the median of the rounds' ratios
(each round runs the clients back to back), the ratio of the medians beside it.

The files are written to a tmpfs (/dev/shm, where it has room), each run's
removed after it: what is measured is then the client, not the disk. On this
machine's ext4 (no journal) the cost of creating a file swings by 5x with the
file system's state (within 30 s of deleting thousands of files, ext4 looks
at each recently freed inode before it hands one out, and a large buffer
cache makes every such look slow), which buried the clients' own CPU.
Usage: client_bound.py GANPREP_BINARY [ROUNDS]
"""
import json, os, resource, shutil, socket, statistics, subprocess, sys, tempfile, time

ganprep = sys.argv[1]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
COUNT = 10000
HOSTS = [f"127.0.0.{n}" for n in range(2, 18)]
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
from fashion_png import write_pngs

work = tempfile.mkdtemp(prefix="ganprep-fetch-cpu-")
os.chmod(work, 0o755)
served = os.path.join(work, "served")
write_pngs("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", served, COUNT)
names = sorted(os.listdir(served))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(port):
    conf = os.path.join(work, "nginx.conf")
    listens = "\n".join(f"        listen {host}:{port};" for host in ["127.0.0.1"] + HOSTS)
    user = "user root root;" if os.getuid() == 0 else ""
    with open(conf, "w") as f:
        f.write(f"""{user}
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    types {{ image/png png; }}
    server {{
{listens}
        root {served};
    }}
}}
""")
    server = subprocess.Popen(["nginx", "-c", conf, "-p", work], stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"nginx did not start: {server.stderr.read().decode()}")
            time.sleep(0.05)
    sys.exit("nginx did not answer on its port within 10 s")


def records(port, hosts):
    path = os.path.join(work, f"records-{len(hosts)}.json")
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/{name}" for i, name in enumerate(names)]
    json.dump([{"url": u, "description": "Fashion-MNIST test image"} for u in urls], open(path, "w"))
    config = os.path.join(work, f"curl-{len(hosts)}.conf")
    with open(config, "w") as f:
        f.writelines(f'url = "{u}"\n' for u in urls)
    return path, config


def output_root():
    """A tmpfs with room for a run's files, else the work folder (whose runs are kept until the end)."""
    try:
        st = os.statvfs("/dev/shm")
        if st.f_bavail * st.f_frsize >= 512 << 20:
            return tempfile.mkdtemp(prefix="ganprep-fetch-cpu-", dir="/dev/shm"), True
    except OSError:
        pass
    return work, False


outputs, on_tmpfs = output_root()


def measure(cmd, out, images):
    os.makedirs(images)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = len([f for f in os.listdir(images) if not f.startswith(".")])
    if on_tmpfs:
        shutil.rmtree(out)
    return wall, cpu, ok


port = free_port()
server = start_nginx(port)
results = {}
try:
    runs = 0
    for width, hosts in ((64, ["127.0.0.1"]), (256, HOSTS)):
        records_path, curl_config = records(port, hosts)
        per_host = width // len(hosts)
        runs += 1
        out = os.path.join(outputs, f"out-{runs}")
        clients = {
            "ganprep": ([ganprep, "fetch", records_path, "--parallel", str(width), "--per-host", str(per_host),
                         "--quiet", "--out", out], os.path.join(out, "images")),
            "curl": (["curl", "--no-progress-meter", "-sS", "-Z", "--parallel-max", str(width), "--remote-name-all", "--fail",
                      "--output-dir", out, "-K", curl_config], out),
            "python": ([sys.executable, os.path.join(here, "reference_downloader.py"), records_path, out, str(width)],
                       os.path.join(out, "images")),
        }
        for name in clients:
            results[(width, name)] = []
        for round in range(ROUNDS):
            for name, (cmd, images) in clients.items():
                folder = f"{out}-{name}-{round}"
                cmd = [folder if part == out else part for part in cmd]
                images = images.replace(out, folder, 1)
                results[(width, name)].append(measure(cmd, folder, images))
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(outputs, ignore_errors=True)

print(f"fetch, client-bound: {COUNT} PNGs from nginx on 127.0.0.1, no added latency, median of {ROUNDS} rounds, "
      f"files written to {'a tmpfs' if on_tmpfs else 'the disk'}")
print(f"{'width':>16} {'client':8} {'images/s':>9} {'CPU s':>7} {'CPU ms/image':>13} {'ok':>6}")
rows = {}
for (width, name), runs in results.items():
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    ok = min(r[2] for r in runs)
    rows[(width, name)] = (COUNT / wall, cpu, 1000 * cpu / COUNT, ok)
    label = f"{width} on 1 host" if width == 64 else f"{width} on 16 hosts"
    print(f"{label:>16} {name:8} {COUNT / wall:9.0f} {cpu:7.2f} {1000 * cpu / COUNT:13.3f} {ok:6d}")
for width in (64, 256):
    g, c, p = rows[(width, "ganprep")], rows[(width, "curl")], rows[(width, "python")]
    # Each round runs the clients back to back: its ratio is free of the machine's drift between rounds.
    rounds = [a[1] / b[1] for a, b in zip(results[(width, "ganprep")], results[(width, "curl")])]
    print(f"{width} in flight: ganprep CPU/image {statistics.median(rounds):.2f}x curl's, median of the rounds' ratios "
          f"({', '.join(f'{r:.2f}' for r in rounds)}; target <= 1.3x), {g[2] / c[2]:.2f}x as the ratio of the medians; "
          f"{g[2] / p[2]:.2f}x the Python pool's (target <= 0.5x); images/s {g[0] / c[0]:.2f}x curl's")
