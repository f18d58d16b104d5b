"""Read a .tflite flatbuffer and describe its operators, tensors and quantization.

Uses only the flatbuffer schema that ships with ai-edge-litert (no interpreter), so the
operator list is the one in the file, before any delegate rewrites it.
"""
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.tools import flatbuffer_utils

_OP_NAMES = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
_TYPE_NAMES = {v: k.lower() for k, v in vars(schema.TensorType).items() if not k.startswith("_")}
_ACT_NAMES = {v: k for k, v in vars(schema.ActivationFunctionType).items() if not k.startswith("_")}
_PAD_NAMES = {v: k for k, v in vars(schema.Padding).items() if not k.startswith("_")}


def read(path):
    return flatbuffer_utils.read_model(path)


def op_name(model, op):
    code = model.operatorCodes[op.opcodeIndex]
    return _OP_NAMES[flatbuffer_utils.get_builtin_code_from_operator_code(code)]


def type_name(tensor_type):
    return _TYPE_NAMES[tensor_type]


def _detail(name, options):
    """A short, human-readable summary of the options that matter for conformance."""
    if options is None:
        return ""
    parts = []
    if hasattr(options, "strideH"):
        parts.append(f"stride {options.strideH}x{options.strideW}")
    if hasattr(options, "filterHeight"):
        parts.append(f"filter {options.filterHeight}x{options.filterWidth}")
    if getattr(options, "dilationHFactor", 1) != 1 or getattr(options, "dilationWFactor", 1) != 1:
        parts.append(f"dilation {options.dilationHFactor}x{options.dilationWFactor}")
    if hasattr(options, "padding") and name != "PAD":
        parts.append(_PAD_NAMES[options.padding])
    if getattr(options, "depthMultiplier", 0) > 1:
        parts.append(f"depth_multiplier {options.depthMultiplier}")
    if hasattr(options, "axis") and name == "CONCATENATION":
        parts.append(f"axis {options.axis}")
    if hasattr(options, "keepDims") and name == "MEAN":
        parts.append(f"keep_dims {bool(options.keepDims)}")
    if hasattr(options, "beta") and name == "SOFTMAX":
        parts.append(f"beta {options.beta:g}")
    act = getattr(options, "fusedActivationFunction", 0)
    if act:
        parts.append(_ACT_NAMES[act])
    return ", ".join(parts)


def _quant(tensor):
    q = tensor.quantization
    if q is None or q.scale is None or len(q.scale) == 0:
        return None
    scale = [float(s) for s in q.scale]
    zero = [int(z) for z in q.zeroPoint]
    if len(scale) == 1:
        return {"scale": scale[0], "zero_point": zero[0]}
    return {"scale": scale, "zero_point": zero, "axis": int(q.quantizedDimension)}


def _tensor_info(subgraph, index):
    t = subgraph.tensors[index]
    name = t.name.decode() if isinstance(t.name, bytes) else t.name
    return {
        "index": int(index),
        "name": name,
        "shape": [int(d) for d in t.shape],
        "dtype": type_name(t.type),
        "quantization": _quant(t),
    }


def describe(model):
    """Operators (name, options summary, input/output shapes) and graph inputs/outputs."""
    subgraph = model.subgraphs[0]
    ops = []
    for op in subgraph.operators:
        name = op_name(model, op)
        shapes_in = [
            [int(d) for d in subgraph.tensors[i].shape] for i in op.inputs if i >= 0
        ]
        shapes_out = [[int(d) for d in subgraph.tensors[i].shape] for i in op.outputs]
        in_types = [type_name(subgraph.tensors[i].type) for i in op.inputs if i >= 0]
        detail = _detail(name, op.builtinOptions)
        if name == "CONV_2D":
            filt = subgraph.tensors[op.inputs[1]].shape
            channels_in = subgraph.tensors[op.inputs[0]].shape[-1]
            if filt[-1] != channels_in:
                detail += f", groups {channels_in // filt[-1]}"
        ops.append({
            "op": name,
            "detail": detail,
            "inputs": shapes_in,
            "input_types": in_types,
            "outputs": shapes_out,
        })
    return {
        "ops": ops,
        "inputs": [_tensor_info(subgraph, i) for i in subgraph.inputs],
        "outputs": [_tensor_info(subgraph, i) for i in subgraph.outputs],
    }


def op_summary(desc):
    """One line per operator, e.g. `CONV_2D(stride 2x2, VALID, RELU) [1,11,11,3]->[1,5,5,5]`."""
    lines = []
    for op in desc["ops"]:
        shapes = ",".join("x".join(map(str, s)) for s in op["inputs"])
        outs = ",".join("x".join(map(str, s)) for s in op["outputs"])
        detail = f"({op['detail']})" if op["detail"] else ""
        lines.append(f"{op['op']}{detail} {shapes} -> {outs}")
    return lines
