#!/usr/bin/env python3
"""Curbside side by side with LiteRT (XNNPACK, builtin), ONNX Runtime (U8S8) and OpenVINO, int8 CNN latency.

Run through peers.sh (it makes the venv, builds curbside and imports the models), or directly:
  Benchmarks/.venv/bin/python Benchmarks/peers.py [--rounds 3] [--models a b] [--threads 1 2] [--quick]

One run, interleaved: for every round, model and thread count, each runtime once, each in a FRESH process, the
runtime order rotated by one each round. A row times only the inference call, after a warm-up:
  curbside   `curbside bench --json` (its own timing loop; same input for every invoke)
  litert     Interpreter(num_threads=t).invoke(), default resolver (XNNPACK) or BUILTIN_WITHOUT_DEFAULT_DELEGATES
  ort        <model>.u8s8.onnx, intra_op_num_threads=t, sequential, ORT_ENABLE_ALL, run_with_iobinding()
  openvino   <model>.int8.onnx (QDQ), INFERENCE_NUM_THREADS=t, LATENCY hint, no pinning, infer(share_outputs=True)
The ONNX models take float input: their first QuantizeLinear is timed (the int8 TFLite/.curb models are not).
The other processes' share of the machine during each row is recorded (from /proc/stat minus the row's own CPU
time); the table reports medians over rounds and, per row, the worst background load it saw.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_PEERS = os.path.normpath(os.path.join(ROOT, "..", "shared", "peers", "models"))
MODEL_NAMES = ["vehiclenet-s", "mobilenetv2-035-96", "mobilenetv2-100-224"]
# (label, runtime, file suffix, options). "curbside" is ours; the ratios are ours / each of the others.
RUNTIMES = [
    ("curbside", "curbside", "curb", {}),
    ("litert xnnpack", "litert", "int8.tflite", {"resolver": "AUTO"}),
    ("litert builtin", "litert", "int8.tflite", {"resolver": "BUILTIN_WITHOUT_DEFAULT_DELEGATES"}),
    ("ort u8s8", "ort", "u8s8.onnx", {}),
    ("openvino qdq", "openvino", "int8.onnx", {}),
]
SECTION_BEGIN = "<!-- peers.py: begin (generated, do not edit by hand) -->"
SECTION_END = "<!-- peers.py: end -->"


def cpu_stat():
    """(total jiffies, idle jiffies) of all CPUs."""
    values = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(values[:8]), values[3] + values[4]


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ----------------------------------------------------------------------------------------------- worker side
def worker(spec):
    """Runs one peer configuration in this (fresh) process and prints one RESULT line."""
    import numpy as np

    rng = np.random.default_rng(7)
    path, threads, runtime, options = spec["path"], spec["threads"], spec["runtime"], spec["options"]
    if runtime == "litert":
        from ai_edge_litert.interpreter import Interpreter, OpResolverType

        interpreter = Interpreter(model_path=path, num_threads=threads,
                                  experimental_op_resolver_type=getattr(OpResolverType, options["resolver"]))
        interpreter.allocate_tensors()
        detail = interpreter.get_input_details()[0]
        if detail["dtype"] == np.int8:
            x = rng.integers(-128, 128, detail["shape"], dtype=np.int8)
        else:
            x = rng.uniform(-1, 1, detail["shape"]).astype(detail["dtype"])
        interpreter.set_tensor(detail["index"], x)
        delegated = any(op["op_name"] == "DELEGATE" for op in interpreter._get_ops_details())
        if options["resolver"] == "AUTO" and not delegated:
            raise SystemExit("XNNPACK delegate was not applied")
        run = interpreter.invoke
    elif runtime == "ort":
        import onnxruntime as ort

        session_options = ort.SessionOptions()
        session_options.intra_op_num_threads = threads
        session_options.inter_op_num_threads = 1
        session_options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session_options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(path, session_options, providers=["CPUExecutionProvider"])
        first_input, first_output = session.get_inputs()[0], session.get_outputs()[0]
        x = rng.uniform(-1, 1, first_input.shape).astype(np.float32)
        y = np.empty(first_output.shape, np.float32)
        binding = session.io_binding()
        binding.bind_ortvalue_input(first_input.name, ort.OrtValue.ortvalue_from_numpy(x))
        binding.bind_ortvalue_output(first_output.name, ort.OrtValue.ortvalue_from_numpy(y))

        def run():
            session.run_with_iobinding(binding)
    elif runtime == "openvino":
        import openvino as ov

        core = ov.Core()
        config = {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY",
                  "ENABLE_HYPER_THREADING": False, "ENABLE_CPU_PINNING": False}
        compiled = core.compile_model(core.read_model(path), "CPU", config)
        request = compiled.create_infer_request()
        port = compiled.inputs[0]
        dtype = port.get_element_type().to_dtype()
        shape = list(port.get_shape())
        x = rng.integers(-128, 128, shape, dtype=np.int8) if dtype == np.int8 else rng.uniform(-1, 1, shape).astype(dtype)
        request.set_input_tensor(ov.Tensor(x))

        def run():
            request.infer(share_outputs=True)
    else:
        raise SystemExit(f"unknown runtime {runtime}")

    start = time.perf_counter()
    warm = 0
    while warm < spec["warmup"] or time.perf_counter() - start < spec["warmup_seconds"]:
        run()
        warm += 1
    estimate = (time.perf_counter() - start) / warm
    count = int(min(spec["iterations_max"], max(spec["iterations_min"], spec["seconds"] / max(estimate, 1e-9))))
    clock = time.perf_counter_ns
    latencies = []
    for _ in range(count):
        begin = clock()
        run()
        latencies.append(clock() - begin)
    latencies = np.array(latencies, dtype=np.float64) / 1e6
    print("RESULT " + json.dumps({
        "median_ms": float(np.median(latencies)), "min_ms": float(latencies.min()),
        "p90_ms": float(np.percentile(latencies, 90)), "iterations": count,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}), flush=True)


# ----------------------------------------------------------------------------------------------- driver side
def measured(command, env=None):
    """Runs `command`; returns (stdout, stderr, return code, other processes' share of all CPUs meanwhile)."""
    children_before, (total_before, idle_before), wall_before = children_cpu_seconds(), cpu_stat(), time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    children_after, (total_after, idle_after), wall_after = children_cpu_seconds(), cpu_stat(), time.time()
    tick, cpus = os.sysconf("SC_CLK_TCK"), os.cpu_count()
    busy = ((total_after - total_before) - (idle_after - idle_before)) / tick
    other = max(0.0, busy - (children_after - children_before)) / max((wall_after - wall_before) * cpus, 1e-9)
    return result.stdout, result.stderr, result.returncode, other


def run_row(args, model, label, runtime, suffix, options, threads, estimate_ms):
    seconds = args.seconds
    iterations_min, iterations_max = (20 if estimate_ms > 3 else 100), 5000
    if runtime == "curbside":
        path = os.path.join(args.curb_models, f"{model}.curb")
        iterations = int(min(iterations_max, max(iterations_min, seconds * 1e3 / estimate_ms)))
        warmup = int(max(10, 0.3e3 / estimate_ms)) if not args.quick else 10
        command = [args.curbside, "bench", "--model", path, "--threads", str(threads), "--iterations",
                   str(iterations), "--warmup", str(warmup), "--json"]
        stdout, stderr, code, other = measured(command)
        if code != 0:
            return {"error": (stderr.strip().splitlines() or [f"exit {code}"])[-1][:200], "other_cpu": other}
        report = json.loads(stdout)
        return {"median_ms": report["median_ms"], "min_ms": report["min_ms"], "p90_ms": report["p90_ms"],
                "iterations": report["iterations"], "peak_rss_bytes": report["peak_rss_bytes"],
                "allocations_per_invoke": report["allocations_per_invoke"], "arena_bytes": report["arena_bytes"],
                "other_cpu": other}
    path = os.path.join(args.peers, f"{model}.{suffix}")
    spec = {"path": path, "runtime": runtime, "options": options, "threads": threads, "seconds": seconds,
            "warmup": 10 if args.quick else 30, "warmup_seconds": 0.1 if args.quick else 0.3,
            "iterations_min": iterations_min, "iterations_max": iterations_max}
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    stdout, stderr, code, other = measured([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(spec)],
                                           env)
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[7:]), "other_cpu": other}
    return {"error": (stderr.strip().splitlines() or [f"exit {code}"])[-1][:200], "other_cpu": other}


def python_baseline_rss():
    code = "import numpy, resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip())


def versions():
    from importlib.metadata import version
    found = {"python": platform.python_version()}
    for package in ("ai-edge-litert", "onnxruntime", "openvino", "numpy"):
        try:
            found[package] = version(package)
        except Exception:  # noqa: BLE001 - a missing peer is reported, not fatal
            found[package] = "missing"
    return found


def machine():
    model = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return model, os.cpu_count()


def verify(args):
    """`curbside bench --verify` on each model at each thread count: fast kernels == reference, bit for bit."""
    results = {}
    for model in args.models:
        for threads in args.threads:
            path = os.path.join(args.curb_models, f"{model}.curb")
            command = [args.curbside, "bench", "--model", path, "--threads", str(threads), "--iterations", "1",
                       "--warmup", "0", "--verify", "--json"]
            stdout, stderr, code, _ = measured(command)
            results[(model, threads)] = code == 0 and json.loads(stdout).get("identical_to_reference") is True
    return results


def render(data):
    """The markdown section: environment, one table per thread count, the memory table, the method."""
    rows = data["rows"]
    lines = [SECTION_BEGIN, "", f"### Side by side (`Benchmarks/peers.sh{data['arguments']}`)", ""]
    lines.append(f"- Date (UTC): {data['start']} to {data['end']}; {data['rounds']} interleaved round(s)"
                 f"{' (quick mode)' if data['quick'] else ''}.")
    lines.append(f"- CPU: `{data['cpu']}`, {data['cpus']} logical CPUs; load average at start / end: "
                 f"{data['load_start']} / {data['load_end']}; other processes' share of all CPUs during the rows: "
                 f"median {data['other_cpu_median']:.0f}%, max {data['other_cpu_max']:.0f}%.")
    lines.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in data["versions"].items())
                 + f"; curbside {data['curbside_kernels']} kernels, release build.")
    exact = data["verified"]
    if exact:
        lines.append("- `curbside bench --verify` (fast kernels vs the reference kernels, every output byte): "
                     + ", ".join(f"{m} {t}t {'identical' if ok else 'DIFFERENT'}" for (m, t), ok in exact.items())
                     + ".")
    lines.append("")
    labels = [r[0] for r in RUNTIMES]
    peers = labels[1:]

    def cell(model, label, threads):
        values = [r["median_ms"] for r in rows if r["model"] == model and r["label"] == label
                  and r["threads"] == threads and "median_ms" in r]
        return statistics.median(values) if values else None

    for threads in data["threads"]:
        lines.append(f"**{threads} thread{'s' if threads > 1 else ''}**: median over rounds of each row's median "
                     "latency, ms; ratio = curbside / peer (below 1: curbside is faster).")
        lines.append("")
        lines.append("| model | " + " | ".join(labels) + " | " + " | ".join(f"÷ {p}" for p in peers) + " |")
        lines.append("|---|" + "--:|" * (len(labels) + len(peers)))
        for model in data["models"]:
            ours = cell(model, "curbside", threads)
            values = [cell(model, label, threads) for label in labels]
            ratios = [(f"{ours / v:.2f}" if ours and v else "–") for v in values[1:]]
            lines.append(f"| {model} | " + " | ".join(f"{v:.3f}" if v else "failed" for v in values) + " | "
                         + " | ".join(ratios) + " |")
        lines.append("")
    lines.append("**Memory** (peak RSS of the whole process, MB, 1 thread, median over rounds; the Python peers "
                 f"include the interpreter and numpy, {data['python_baseline_rss'] / 1e6:.1f} MB alone here) and "
                 "curbside's heap allocations per invoke (at every thread count measured):")
    lines.append("")
    lines.append("| model | " + " | ".join(labels) + " | curbside arena bytes | curbside allocations per invoke |")
    lines.append("|---|" + "--:|" * (len(labels) + 2))
    for model in data["models"]:
        cells = []
        for label in labels:
            values = [r["peak_rss_bytes"] for r in rows if r["model"] == model and r["label"] == label
                      and r["threads"] == min(data["threads"]) and "peak_rss_bytes" in r]
            cells.append(f"{statistics.median(values) / 1e6:.1f}" if values else "–")
        ours = [r for r in rows if r["model"] == model and r["label"] == "curbside" and "arena_bytes" in r]
        arena = ours[0]["arena_bytes"] if ours else "–"
        allocations = max((r["allocations_per_invoke"] for r in ours), default=None)
        lines.append(f"| {model} | " + " | ".join(cells) + f" | {arena} | "
                     + (f"{allocations:g}" if allocations is not None else "–") + " |")
    lines.append("")
    lines.append("Every row is a fresh process; within a round, for each model and thread count, the runtimes run "
                 "one after another (order rotated each round). Only the inference call is timed, after a warm-up. "
                 "The ONNX models take float input, so ORT and OpenVINO also time their first QuantizeLinear; "
                 "LiteRT and curbside take int8 input. The worst background load a table cell saw is in "
                 "`Benchmarks/.results/peers.json` with every row.")
    lines.append("")
    lines.append(SECTION_END)
    return "\n".join(lines)


def write_section(path, section):
    """Replaces the generated section of `path` (or appends it; creates the file with a title if absent)."""
    text = open(path).read() if os.path.exists(path) else "# Performance\n\n"
    if SECTION_BEGIN in text and SECTION_END in text:
        head, rest = text.split(SECTION_BEGIN, 1)
        tail = rest.split(SECTION_END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as file:
        file.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--models", nargs="+", default=MODEL_NAMES)
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--quick", action="store_true", help="one round unless --rounds is given, 0.5 s per row")
    parser.add_argument("--seconds", type=float, help="timed seconds per row (default 2, quick 0.5)")
    parser.add_argument("--peers", default=DEFAULT_PEERS, help="folder of the peer models")
    parser.add_argument("--curb-models", default=os.path.join(HERE, ".models"), help="folder of the .curb files")
    parser.add_argument("--curbside", default=os.path.join(ROOT, ".build", "release", "curbside"))
    parser.add_argument("--output", default=os.path.join(ROOT, "docs", "performance.md"),
                        help="markdown file whose generated section is replaced ('-' only prints)")
    parser.add_argument("--no-verify", action="store_true", help="skip the bit-exactness check of the fast kernels")
    args = parser.parse_args()
    if args.worker:
        return worker(json.loads(args.worker))
    explicit_rounds = "--rounds" in sys.argv
    if args.quick and not explicit_rounds:
        args.rounds = 1
    if args.seconds is None:
        args.seconds = 0.5 if args.quick else 2.0

    start = datetime.datetime.now(datetime.timezone.utc)
    load_start = " ".join(open("/proc/loadavg").read().split()[:3])
    verified = {} if args.no_verify else verify(args)
    # First guesses of the latency (ms) size the timed loops until a row of the same model has been measured.
    estimate = {"vehiclenet-s": 0.15, "mobilenetv2-035-96": 0.6, "mobilenetv2-100-224": 10.0}
    rows = []
    for round_index in range(args.rounds):
        for model in args.models:
            for threads in args.threads:
                rotation = round_index % len(RUNTIMES)
                order = RUNTIMES[rotation:] + RUNTIMES[:rotation]
                for label, runtime, suffix, options in order:
                    began = time.time()
                    guess = estimate.get((model, threads), estimate.get(model, 5.0))
                    result = run_row(args, model, label, runtime, suffix, options, threads, guess)
                    if "median_ms" in result:
                        estimate[(model, threads)] = result["median_ms"]
                    rows.append({"round": round_index + 1, "model": model, "label": label, "threads": threads,
                                 **result})
                    message = result.get("error") or (f"median {result['median_ms']:.3f} ms  min "
                                                      f"{result['min_ms']:.3f}  n={result['iterations']}")
                    print(f"[round {round_index + 1}] {model:20s} {threads}t {label:15s} {message}  other CPU "
                          f"{100 * result['other_cpu']:.0f}%  ({time.time() - began:.1f} s)", flush=True)
    end = datetime.datetime.now(datetime.timezone.utc)
    other = [100 * r["other_cpu"] for r in rows]
    cpu, cpus = machine()
    kernels = "?"
    try:
        probe = subprocess.run([args.curbside, "bench", "--model", os.path.join(args.curb_models, f"{args.models[0]}.curb"),
                                "--iterations", "1", "--warmup", "0", "--json"], capture_output=True, text=True)
        kernels = json.loads(probe.stdout)["kernels"]
    except Exception:  # noqa: BLE001 - only a label
        pass
    # peers.sh passes the caller's own arguments on (its folders and binary are not worth printing).
    arguments = os.environ.get("PEERS_ARGUMENTS", "".join(f" {a}" for a in sys.argv[1:]))
    data = {"start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%H:%M}", "rounds": args.rounds, "quick": args.quick,
            "arguments": arguments, "cpu": cpu, "cpus": cpus, "load_start": load_start,
            "load_end": " ".join(open("/proc/loadavg").read().split()[:3]),
            "other_cpu_median": statistics.median(other) if other else 0, "other_cpu_max": max(other, default=0),
            "versions": versions(), "curbside_kernels": kernels, "python_baseline_rss": python_baseline_rss(),
            "models": args.models, "threads": args.threads, "verified": verified, "rows": rows}
    section = render(data)
    print()
    print(section)
    results = os.path.join(HERE, ".results")
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "peers.json"), "w") as file:
        json.dump({**data, "verified": [[m, t, ok] for (m, t), ok in verified.items()]}, file, indent=1)
    if args.output != "-":
        write_section(args.output, section)
        print(f"wrote {args.output}")
    if verified and not all(verified.values()):
        print("error: the fast kernels differ from the reference kernels", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
