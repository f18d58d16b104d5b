#!/bin/bash
# Soak test of `curbside watch`: 1,000 frames (every 10th broken; even ones written in place, odd ones renamed
# in) with a kill -9 in the middle of a backlog, then the record and quarantine counts, RSS and idle CPU.
# Usage: Benchmarks/agent-soak.sh [MODEL]   (default ModelFiles/vehicles6.curb, else the example model)
set -u
cd "$(dirname "$0")/.."
swift build -c release --product curbside >&2
B=$PWD/.build/release/curbside
M=${1:-ModelFiles/vehicles6.curb}; [ -f "$M" ] || M=ModelFiles/example-tiny-cnn.curb
F=$PWD/Tests/CurbImageTests/Fixtures
W=$(mktemp -d); mkdir -p $W/frames $W/staging $W/state
echo "model $M, work folder $W"
good=(baseline_420.jpg baseline_444.jpg progressive.jpg grey.jpg rgb.png palette.png exif6.jpg interlaced.png)
bad=(garbage.bin notes.txt truncated_header.jpg huge.png zero.jpg)
rss() { awk '/VmRSS/{print $2}' /proc/$1/status; }
start() { $B watch --model $M --dir $W/frames --state-dir $W/state --after move --settle-ms 200 --report-interval 5 ${EXTRA:-} 2>>$W/agent.log & PID=$!; }
drop() { # $1 index
  i=$1; if (( i % 10 == 7 )); then f=${bad[$((i % 5))]}; kind=bad; else f=${good[$((i % 8))]}; kind=good; fi
  name=$(printf "f%04d.img" $i); echo "$name $kind" >> $W/manifest
  if (( i % 2 == 0 )); then cat $F/$f > $W/frames/$name; else cp $F/$f $W/staging/$name && mv $W/staging/$name $W/frames/$name; fi
}
start; sleep 1; echo "rss at start: $(rss $PID) KiB"
kill -9 $PID; wait $PID 2>/dev/null; for i in $(seq 0 499); do drop $i; done; sleep 0.3; EXTRA="--max-rate 200"; start; sleep 1.2
sleep 0.3; kill -9 $PID; wait $PID 2>/dev/null
echo "killed -9 after $(cat $W/state/records/*.ndjson | grep -c '"kind":"frame"') frame records"
EXTRA=""; for i in $(seq 500 749); do drop $i; done   # arrive while the agent is down: the backlog
start; sleep 0.5
for i in $(seq 750 999); do drop $i; done   # live again
for t in $(seq 1 60); do n=$(ls $W/frames | grep -v -e '^done$' -e '^failed$' | wc -l); [ $n -eq 0 ] && break; sleep 0.5; done
echo "rss after 1000 frames: $(rss $PID) KiB"
c0=$(awk '{print $14+$15}' /proc/$PID/stat); sleep 30; c1=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "idle CPU over 30 s: $((c1-c0)) ticks ($(getconf CLK_TCK)/s)"
echo "rss after 30 s idle: $(rss $PID) KiB"
kill -TERM $PID; wait $PID; echo "exit after SIGTERM: $?"
python3 - $W <<'PY'
import json,sys,os,collections
W=sys.argv[1]
man=dict(l.split() for l in open(W+'/manifest'))
recs=[]
for f in sorted(os.listdir(W+'/state/records')):
    for line in open(W+'/state/records/'+f):
        recs.append(json.loads(line))
frames=[r for r in recs if r['kind']=='frame']
c=collections.Counter(r['file'] for r in frames)
good=[n for n,k in man.items() if k=='good']; bad=[n for n,k in man.items() if k=='bad']
print("frames:",len(man),"good",len(good),"bad",len(bad))
print("good frames with exactly one record:",sum(1 for n in good if c[n]==1),"; with 0:",sum(1 for n in good if c[n]==0),"; with >1:",sum(1 for n in good if c[n]>1))
print("records for bad frames:",sum(c[n] for n in bad))
failed=os.listdir(W+'/frames/failed')
print("bad frames quarantined exactly once:",sum(1 for n in bad if n in failed and n+'.reason' in failed),"; good in failed:",sum(1 for n in good if n in failed))
print("done/ files:",len(os.listdir(W+'/frames/done')))
keys=[(r['run'],r['seq']) for r in recs]; print("records",len(recs),"unique (run,seq):",len(set(keys)),"runs:",len(set(r['run'] for r in recs)))
h=[r for r in recs if r['kind']=='health']; print("last health:",{k:h[-1][k] for k in ['frames_done','frames_failed','frames_skipped','rss_kb','store_bytes']})
PY
