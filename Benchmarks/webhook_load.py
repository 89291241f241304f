#!/usr/bin/env python3
"""Load benchmark for the generic webhook of `gcr-intake serve` (not a test).

Starts the real service on 127.0.0.1 with a fresh SQLite file, then, at a fixed concurrency,
sends signed generic-hook messages from many contacts and, as a baseline measured in the same run
and under the same load, GET /healthz (the same server, no database write). Prints requests/s and
p50/p99 latency for both, and their ratios.

    Benchmarks/webhook_load.py [--binary .build/release/gcr-intake] [--messages 4000] [--concurrency 16]
"""
import argparse, hashlib, hmac, http.client, json, os, re, shutil, signal, subprocess, sys, tempfile, threading, time

SECRET = "bench-secret"


def start_service(binary, folder):
    env = dict(os.environ, GCR_INTAKE_DB=os.path.join(folder, "bench.sqlite"), GCR_INTAKE_HTTP_PORT="0",
               GCR_INTAKE_WEBHOOK_SECRET=SECRET, GCR_INTAKE_LOG_LEVEL="warning",
               GCR_INTAKE_PROMPTS=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "prompts"))
    for key in [k for k in env if k.startswith("GCR_INTAKE_") and ("IMAP" in k or "SMTP" in k or "MAIL_FROM" in k)]:
        del env[key]
    log = open(os.path.join(folder, "serve.log"), "w+")
    # Log level info for the one line that gives the port, then the service keeps quiet under load.
    env["GCR_INTAKE_LOG_LEVEL"] = "info"
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        log.seek(0)
        m = re.search(r"HTTP listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.1)
    proc.kill()
    sys.exit("serve did not start; see " + log.name)


def run(port, count, concurrency, make_request):
    latencies, errors, lock = [], [0], threading.Lock()
    counter = iter(range(count))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            method, path, body, headers = make_request(i)
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    return {"rate": count / elapsed, "p50": pick(0.50), "p99": pick(0.99), "errors": errors[0]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/gcr-intake")
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} not found: build it with `swift build -c release`")
    folder = tempfile.mkdtemp(prefix="gcr-bench-")
    proc, port = start_service(args.binary, folder)
    run_id = str(int(time.time()))

    def message(i):
        body = json.dumps({"id": f"bench-{run_id}-{i}", "from": f"+1555{i:07d}", "text": "hello"}).encode()
        sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return "POST", "/webhooks/generic", body, {"Content-Type": "application/json", "X-Intake-Signature": sig}

    def health(_):
        return "GET", "/healthz", None, {}

    try:
        run(port, min(500, args.messages), args.concurrency, health)  # warm-up
        baseline = run(port, args.messages, args.concurrency, health)
        webhook = run(port, args.messages, args.concurrency, message)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{args.messages} requests each, concurrency {args.concurrency}, 127.0.0.1, SQLite WAL synchronous=FULL, {os.cpu_count()} cores")
    print(f"{'':22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in (("baseline GET /healthz", baseline), ("signed generic hook", webhook)):
        print(f"{name:22}{r['rate']:10.0f}{r['p50']:10.2f}{r['p99']:10.2f}{r['errors']:8d}")
    print(f"webhook / baseline: throughput x{webhook['rate'] / baseline['rate']:.2f}, "
          f"p50 x{webhook['p50'] / baseline['p50']:.1f}, p99 x{webhook['p99'] / baseline['p99']:.1f}")


if __name__ == "__main__":
    main()
