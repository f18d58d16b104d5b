#!/usr/bin/env python3
"""Write golden vectors: seeded random inputs and LiteRT BUILTIN_REF outputs, as .npy files.

For every small model in models/ (3 vector pairs) and the peer models (2 pairs each):
  vectors/<model>/input_<i>.npy, output_<i>.npy   (output_<i>_<k>.npy when there are several)
Inputs are uniform random int8 over the full range (float32 over 1.5x the calibration range for
float-input models), from a generator seeded by the model's name; the batch is the model's.
Outputs come from `Interpreter(..., experimental_op_resolver_type=OpResolverType.BUILTIN_REF)`,
LiteRT's reference kernels: the normative judge for Curbside.

Also runs the same inputs through LiteRT's default path (XNNPACK delegate) and through its optimized
builtin kernels without delegate, and writes the differences to xnnpack-vs-reference.md, and writes
manifest.json. Needs only ai-edge-litert and numpy (models/covers.json comes from make_models.py).

Usage: python make_vectors.py [--peers DIR]
"""
import argparse
import hashlib
import importlib.metadata
import json
import os
import shutil
import zlib

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

import make_logits
import tflite_info

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
VECTORS = os.path.join(HERE, "vectors")
SEED = 20261123
SMALL_PAIRS = 3
PEER_PAIRS = 2
PEERS = ["vehiclenet-s", "mobilenetv2-035-96"]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_inputs(name, details, count, float_range):
    rng = np.random.default_rng([SEED, zlib.crc32(name.encode())])
    pairs = []
    for _ in range(count):
        inputs = []
        for d in details:
            shape = tuple(int(s) for s in d["shape"])
            if d["dtype"] == np.int8:
                inputs.append(rng.integers(-128, 128, shape, dtype=np.int8))
            elif d["dtype"] == np.float32:
                lo, hi = float_range
                inputs.append(rng.uniform(lo, hi, shape).astype(np.float32))
            else:
                raise SystemExit(f"{name}: input dtype {d['dtype']} not handled")
        pairs.append(inputs)
    return pairs


def run(path, inputs, resolver):
    """Outputs of one invoke, in the subgraph's output order, and the operators left undelegated."""
    if resolver is None:
        interpreter = Interpreter(model_path=path, num_threads=1)
    else:
        interpreter = Interpreter(model_path=path, num_threads=1, experimental_op_resolver_type=resolver)
    interpreter.allocate_tensors()
    for detail, value in zip(interpreter.get_input_details(), inputs):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    outputs = [interpreter.get_tensor(d["index"]).copy() for d in interpreter.get_output_details()]
    return outputs, undelegated_ops(interpreter._get_ops_details())


def undelegated_ops(details):
    """Names of the operators a delegate did not take. LiteRT lists the original nodes and then one
    DELEGATE node per partition; a partition holds the nodes found by walking back from its
    outputs to its inputs."""
    original = [d for d in details if d["op_name"] != "DELEGATE"]
    producer = {int(t): d["index"] for d in original for t in d["outputs"]}
    by_index = {d["index"]: d for d in original}
    delegated = set()
    for partition in (d for d in details if d["op_name"] == "DELEGATE"):
        boundary = {int(t) for t in partition["inputs"]}
        pending = [int(t) for t in partition["outputs"]]
        while pending:
            tensor = pending.pop()
            node = producer.get(tensor)
            if tensor in boundary or node is None or node in delegated:
                continue
            delegated.add(node)
            pending.extend(int(t) for t in by_index[node]["inputs"] if t >= 0)
    return [d["op_name"] for d in original if d["index"] not in delegated]


def dequantize_scale(model, subgraph, tensor_index):
    for op in subgraph.operators:
        if tensor_index in list(op.outputs) and tflite_info.op_name(model, op) == "DEQUANTIZE":
            q = subgraph.tensors[op.inputs[0]].quantization
            return float(q.scale[0])
    return None


def compare(reference, other, scales):
    """Largest absolute difference (int8 units) and count of differing elements over all outputs."""
    largest, differing, total = 0.0, 0, 0
    for ref_list, other_list in zip(reference, other):
        for k, (a, b) in enumerate(zip(ref_list, other_list)):
            if a.dtype == np.float32:
                diff = np.abs(a.astype(np.float64) - b.astype(np.float64)) / scales[k]
            else:
                diff = np.abs(a.astype(np.int32) - b.astype(np.int32)).astype(np.float64)
            largest = max(largest, float(diff.max()) if diff.size else 0.0)
            differing += int(np.count_nonzero(diff > 1e-6))
            total += diff.size
    return {"max_abs_diff": round(largest, 3), "differing": differing, "elements": total}


def process(name, path, file_label, covers, pairs, float_range, extra=None):
    model = tflite_info.read(path)
    desc = tflite_info.describe(model)
    subgraph = model.subgraphs[0]
    scales = []
    for out in desc["outputs"]:
        scales.append(dequantize_scale(model, subgraph, out["index"]) if out["dtype"] == "float32" else 1.0)

    probe = Interpreter(model_path=path)
    inputs = make_inputs(name, probe.get_input_details(), pairs, float_range)
    del probe

    reference, xnnpack, builtin = [], [], []
    for x in inputs:
        ref_out, _ = run(path, x, OpResolverType.BUILTIN_REF)
        reference.append(ref_out)
        out, xnnpack_ops = run(path, x, None)
        xnnpack.append(out)
        out, _ = run(path, x, OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
        builtin.append(out)

    folder = os.path.join(VECTORS, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    input_files, output_files = [], []
    for i, (x, y) in enumerate(zip(inputs, reference)):
        if len(x) != 1:
            raise SystemExit(f"{name}: {len(x)} inputs; the file naming assumes one")
        np.save(os.path.join(folder, f"input_{i}.npy"), np.ascontiguousarray(x[0]))
        input_files.append(f"vectors/{name}/input_{i}.npy")
        names = [f"output_{i}.npy"] if len(y) == 1 else [f"output_{i}_{k}.npy" for k in range(len(y))]
        for file_name, value in zip(names, y):
            np.save(os.path.join(folder, file_name), np.ascontiguousarray(value))
        output_files.append([f"vectors/{name}/{n}" for n in names])

    undelegated = sorted(set(xnnpack_ops))
    entry = {
        "name": name,
        "file": file_label,
        "bytes": os.path.getsize(path),
        "sha256": sha256(path),
        "covers": covers,
        "ops": [op["op"] for op in desc["ops"]],
        "op_details": tflite_info.op_summary(desc),
        "inputs": [{k: v for k, v in t.items() if k != "index"} for t in desc["inputs"]],
        "outputs": [{k: v for k, v in t.items() if k != "index"} for t in desc["outputs"]],
        "vector_pairs": len(inputs),
        "input_files": input_files,
        "output_files": output_files,
        "xnnpack_vs_reference": compare(reference, xnnpack, scales),
        "xnnpack_undelegated_ops": undelegated,
        "builtin_vs_reference": compare(reference, builtin, scales),
    }
    if extra:
        entry.update(extra)
    x = entry["xnnpack_vs_reference"]
    print(f"[{name}] ops={entry['ops']} xnnpack max|diff|={x['max_abs_diff']} differing={x['differing']}/{x['elements']}", flush=True)
    return entry


def write_table(entries):
    lines = [
        "# LiteRT fast paths vs LiteRT reference kernels",
        "",
        "Generated by `make_vectors.py` on the golden inputs (random int8 over the full range; the",
        "float-io model gets float32 inputs). Reference = `OpResolverType.BUILTIN_REF`, the kernels the",
        "golden vectors come from and Curbside matches bit for bit. XNNPACK = LiteRT's default",
        "`Interpreter` (XNNPACK delegate; operators it does not take run on the optimized builtin kernels).",
        "Builtin = `BUILTIN_WITHOUT_DEFAULT_DELEGATES` (optimized builtin kernels, no delegate).",
        "Differences are absolute, in int8 output units (a float output is divided by the scale it was",
        "dequantized from), over every output element of every vector pair; one thread.",
        "",
        f"ai-edge-litert {importlib.metadata.version('ai-edge-litert')}, numpy {importlib.metadata.version('numpy')}.",
        "",
        "| model | elements | XNNPACK max abs diff | XNNPACK differing | not delegated to XNNPACK | builtin max abs diff | builtin differing |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for e in entries:
        x, b = e["xnnpack_vs_reference"], e["builtin_vs_reference"]
        pct = lambda n: f"{n} ({100.0 * n / x['elements']:.1f}%)" if n else "0"
        undelegated = ", ".join(e["xnnpack_undelegated_ops"]) or "—"
        lines.append(
            f"| {e['name']} | {x['elements']} | {x['max_abs_diff']:g} | {pct(x['differing'])} | {undelegated} "
            f"| {b['max_abs_diff']:g} | {pct(b['differing'])} |"
        )
    lines.append("")
    with open(os.path.join(HERE, "xnnpack-vs-reference.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", default=make_logits.default_peers_dir(), help="folder with the peer .tflite models")
    args = parser.parse_args()

    with open(os.path.join(MODELS, "covers.json")) as f:
        covers = json.load(f)
    entries = []
    for name, info in covers.items():
        lo, hi = info["calibration_range"]
        entries.append(process(
            name, os.path.join(MODELS, name + ".tflite"), f"models/{name}.tflite", info["covers"],
            SMALL_PAIRS, (1.5 * lo, 1.5 * hi),
        ))

    if os.path.isdir(args.peers):
        for name in PEERS:
            file_name = f"{name}.int8.tflite"
            entries.append(process(
                name, os.path.join(args.peers, file_name), "peer:" + file_name,
                "peer model (see shared/peers/README.md), full graph", PEER_PAIRS, None,
            ))
        logits_path = os.path.join(make_logits.BUILD, make_logits.NAME + ".tflite")
        cut = make_logits.cut_final_softmax(os.path.join(args.peers, make_logits.SOURCE), logits_path)
        entries.append(process(
            make_logits.NAME, logits_path, f"build/{make_logits.NAME}.tflite",
            "peer mobilenetv2-100-224 without its final SOFTMAX (BUILTIN_REF's int8 softmax aborts on "
            "1000 classes); rebuilt by make_logits.py, not committed",
            PEER_PAIRS, None, extra={"derived_from": cut},
        ))
    else:
        print(f"peer models not found in {args.peers}: peer vectors left as they are")
        old = json.load(open(os.path.join(HERE, "manifest.json")))["models"]
        entries += [e for e in old if e["file"].startswith("peer:") or "derived_from" in e]

    manifest = {
        "generator": {
            "resolver": "BUILTIN_REF",
            "tensorflow-cpu (models)": importlib.metadata.version("tensorflow-cpu"),
            "ai-edge-litert": importlib.metadata.version("ai-edge-litert"),
            "numpy": importlib.metadata.version("numpy"),
            "seed": SEED,
            "peers": "peer:NAME is NAME in shared/peers/models (beside the repository)",
        },
        "models": entries,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    write_table(entries)


if __name__ == "__main__":
    main()
