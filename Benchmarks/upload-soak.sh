#!/bin/bash
# Upload soak: N frames (default 10,000) classified by `curbside watch --upload` through a flaky proxy (Python,
# loopback: 500, 503+Retry-After, 429, hang, reset, dropped answer) to `curbside-collector`, with K random
# kill -9s of the agent (default 50). Then: frames stored, duplicates, losses, spool recovery time.
# Usage: Benchmarks/upload-soak.sh [FRAMES] [KILLS]   (CONFIG=release for a release build; default debug)
set -u
cd "$(dirname "$0")/.."
FRAMES=${1:-10000}; KILLS=${2:-50}; CONFIG=${CONFIG:-debug}
swift build -c $CONFIG --product curbside >&2 && swift build -c $CONFIG --product curbside-collector >&2 || exit 1
B=$PWD/.build/$CONFIG/curbside; C=$PWD/.build/$CONFIG/curbside-collector
M=ModelFiles/example-tiny-cnn.curb; F=$PWD/Tests/CurbImageTests/Fixtures
W=$(mktemp -d); mkdir -p $W/frames $W/state
echo "work folder $W, $FRAMES frames, $KILLS kills"
python3 - "$F" "$W/frames" "$FRAMES" <<'PY'
import shutil, sys
fixtures = ["baseline_420.jpg", "baseline_444.jpg", "progressive.jpg", "grey.jpg", "rgb.png", "palette.png"]
for i in range(int(sys.argv[3])):
    f = fixtures[i % len(fixtures)]
    shutil.copyfile(sys.argv[1] + "/" + f, "%s/f%05d.%s" % (sys.argv[2], i, f.split(".")[-1]))
PY
$C --listen 127.0.0.1:0 --db $W/collector.sqlite --token soak > $W/collector.log 2>&1 & CPID=$!
for t in $(seq 1 100); do grep -q "^listening on" $W/collector.log && break; sleep 0.1; done
CPORT=$(sed -n "s/^listening on 127.0.0.1:\([0-9]*\).*/\1/p" $W/collector.log | head -1)
python3 - "$CPORT" > $W/proxy.log 2>&1 <<'PY' & PPID_=$!
import random, socket, sys, threading, time
upstream = int(sys.argv[1]); rng = random.Random(7)
def read_message(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk: return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"): length = int(line.split(b":")[1])
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk: break
        body += chunk
    return head + b"\r\n\r\n" + body
def forward(request):
    head, _, body = request.partition(b"\r\n\r\n")
    u = socket.create_connection(("127.0.0.1", upstream))
    u.sendall(head + b"\r\nConnection: close\r\n\r\n" + body)
    answer = read_message(u); u.close(); return answer
def handle(c, fault):
    try:
        request = read_message(c)
        if fault == "forward": c.sendall(forward(request))
        elif fault == "drop": forward(request)
        elif fault == "hang": time.sleep(4)
        elif fault == "reset": c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        else:
            extra = b"Retry-After: 1\r\n" if fault == "503" else b""
            c.sendall(b"HTTP/1.1 " + fault.encode() + b" X\r\nContent-Length: 0\r\nConnection: close\r\n" + extra + b"\r\n")
    except Exception as e: pass
    finally: c.close()
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("127.0.0.1", 0)); l.listen(64)
print(l.getsockname()[1], flush=True)
faults = ["forward"] * 6 + ["500", "503", "429", "hang", "reset", "drop"]
counts = {}
while True:
    c, _ = l.accept(); f = rng.choice(faults); counts[f] = counts.get(f, 0) + 1
    print(counts, flush=True)
    threading.Thread(target=handle, args=(c, f), daemon=True).start()
PY
for t in $(seq 1 50); do [ -s $W/proxy.log ] && break; sleep 0.1; done
PPORT=$(head -1 $W/proxy.log)
printf 'upload_batch_records = 50\nupload_max_backoff_s = 2\nupload_timeout_s = 2\nupload_connect_timeout_s = 2\n' > $W/agent.conf
start() { $B watch --model $M --dir $W/frames --state-dir $W/state --after delete --settle-ms 100 --report-interval 5 \
    --config $W/agent.conf --upload http://127.0.0.1:$PPORT --token soak 2>>$W/agent.log & PID=$!; }
frames_stored() { curl -s -H "Authorization: Bearer soak" http://127.0.0.1:$CPORT/v1/summary | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["labels"].values()))'; }
for k in $(seq 1 $KILLS); do
    start; sleep $(python3 -c "import random; print(round(random.uniform(0.3, 1.5), 2))")
    kill -9 $PID; wait $PID 2>/dev/null
done
echo "after $KILLS kills: $(frames_stored) frames stored; frames left $(ls $W/frames | wc -l)"
t0=$(date +%s.%N); start
# Spool recovery: time from the last restart until the agent reports running (store opened and repaired).
for t in $(seq 1 200); do grep -q '"running"' $W/state/agent.json 2>/dev/null && break; sleep 0.05; done
echo "spool recovery (start to running): $(python3 -c "import time; print(round(time.time() - $t0, 2))") s"
for t in $(seq 1 600); do [ "$(frames_stored)" -ge "$FRAMES" ] && break; sleep 1; done
echo "uploaded all in $(python3 -c "import time; print(round(time.time() - $t0, 1))") s after the last restart"
echo "agent RSS: $(awk '/VmRSS/{print $2}' /proc/$PID/status) KiB"
c0=$(awk '{print $14+$15}' /proc/$PID/stat); sleep 10; c1=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "idle CPU over 10 s (pipeline + uploader): $((c1-c0)) ticks ($(getconf CLK_TCK)/s)"
kill -TERM $PID; wait $PID
curl -s -H "Authorization: Bearer soak" "http://127.0.0.1:$CPORT/v1/records?limit=1000000" > $W/records.json
python3 - $W $FRAMES <<'PY'
import json, sys, collections
W, n = sys.argv[1], int(sys.argv[2])
records = json.load(open(W + "/records.json"))
frames = [r for r in records if r["kind"] == "frame"]
c = collections.Counter(r["file"].rsplit("/", 1)[-1] for r in frames)
keys = [(r["device"], r["run"], r["seq"]) for r in records]
print("records stored:", len(records), "frame records:", len(frames), "distinct frames:", len(c))
print("frames stored exactly once:", sum(1 for v in c.values() if v == 1), "; more than once:", sum(1 for v in c.values() if v > 1),
      "; lost:", n - len(c), "; duplicate keys:", len(keys) - len(set(keys)), "; runs:", len(set(r["run"] for r in records)))
PY
echo "proxy faults: $(tail -1 $W/proxy.log)"
kill $PPID_ $CPID 2>/dev/null; wait 2>/dev/null
[ "${KEEP:-0}" = 1 ] || rm -rf "$W"
