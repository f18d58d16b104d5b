#!/usr/bin/env python3
"""Derive `mobilenetv2-100-224-logits` from the peer model by cutting its final SOFTMAX.

LiteRT's reference int8 Softmax aborts on 1000 classes (it supports fewer than 512), so
BUILTIN_REF cannot run the peer `mobilenetv2-100-224.int8.tflite` to the end. This edits the
flatbuffer, nothing else:
  1. the subgraph's only output is produced by a SOFTMAX operator (checked);
  2. the subgraph output becomes that SOFTMAX's input (the FULLY_CONNECTED logits, int8 [1,1000]);
  3. the SOFTMAX operator is removed from the operator list;
  4. its output tensor, now unused, is removed when it is the last tensor (so no index shifts);
     the SOFTMAX operator code is removed when no operator uses it and it is the last code;
  5. signature defs (none in the peer file) are pointed at the new output.
Weights, quantization and every other tensor keep their bytes and indices, so the logits file's
tensors match the peer model's tensors index for index.

The result (about 4 MB) is not committed: `make_vectors.py` rebuilds it into build/ (gitignored).

Usage: python make_logits.py [PEER_TFLITE] [OUT_TFLITE]
"""
import hashlib
import os
import sys

from ai_edge_litert.tools import flatbuffer_utils

import tflite_info

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
NAME = "mobilenetv2-100-224-logits"
SOURCE = "mobilenetv2-100-224.int8.tflite"


def cut_final_softmax(source_path, out_path):
    """Writes the cut model; returns a description of the edit for the manifest."""
    model = flatbuffer_utils.read_model(source_path)
    if len(model.subgraphs) != 1:
        raise SystemExit(f"{source_path}: expected one subgraph, found {len(model.subgraphs)}")
    subgraph = model.subgraphs[0]
    if len(subgraph.outputs) != 1:
        raise SystemExit(f"{source_path}: expected one output, found {len(subgraph.outputs)}")
    old_output = int(subgraph.outputs[0])
    producers = [k for k, op in enumerate(subgraph.operators) if old_output in list(op.outputs)]
    if len(producers) != 1:
        raise SystemExit(f"{source_path}: output tensor {old_output} has {len(producers)} producers")
    op_index = producers[0]
    softmax = subgraph.operators[op_index]
    if tflite_info.op_name(model, softmax) != "SOFTMAX":
        raise SystemExit(f"{source_path}: the output is made by {tflite_info.op_name(model, softmax)}, not SOFTMAX")
    new_output = int(softmax.inputs[0])
    if any(old_output in list(op.inputs) for op in subgraph.operators):
        raise SystemExit(f"{source_path}: the SOFTMAX output is also read by another operator")

    subgraph.outputs[0] = new_output
    del subgraph.operators[op_index]
    removed_tensor = None
    if old_output == len(subgraph.tensors) - 1:
        del subgraph.tensors[old_output]
        removed_tensor = old_output
    removed_code = None
    code = softmax.opcodeIndex
    if code == len(model.operatorCodes) - 1 and all(op.opcodeIndex != code for op in subgraph.operators):
        del model.operatorCodes[code]
        removed_code = int(code)
    for signature in model.signatureDefs or []:
        for output in signature.outputs or []:
            if output.tensorIndex == old_output:
                output.tensorIndex = new_output

    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    flatbuffer_utils.write_model(model, out_path)
    return {
        "source": "peer:" + SOURCE,
        "source_sha256": sha256(source_path),
        "removed_operator_index": op_index,
        "removed_operator": "SOFTMAX",
        "old_output_tensor": old_output,
        "new_output_tensor": new_output,
        "removed_tensor": removed_tensor,
        "removed_operator_code": removed_code,
        "bytes": os.path.getsize(out_path),
        "sha256": sha256(out_path),
    }


def default_peers_dir():
    """$CURB_PEERS_DIR, else shared/peers/models beside the repository (as on CI), else /work/shared."""
    if os.environ.get("CURB_PEERS_DIR"):
        return os.environ["CURB_PEERS_DIR"]
    beside_repo = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "peers", "models"))
    if os.path.isdir(beside_repo):
        return beside_repo
    return "/work/shared/peers/models"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(argv):
    source = argv[0] if argv else os.path.join(default_peers_dir(), SOURCE)
    out = argv[1] if len(argv) > 1 else os.path.join(BUILD, NAME + ".tflite")
    print(cut_final_softmax(source, out))


if __name__ == "__main__":
    main(sys.argv[1:])
