"""Builds the CurbTFLiteTests fixtures. Run with /work/venv-golden/bin/python (tensorflow, numpy, flatbuffers).

tiny.int8.tflite       a small int8 model exercising many builtin options (float in/out: QUANTIZE/DEQUANTIZE)
tiny.expected.txt      every operator's code and options, every tensor's type/shape/buffer/quantization, as TF's
                       own Python flatbuffer reader (schema_py_generated) sees them: the Swift reader must agree
labeled.tflite         tiny + a TFLITE_METADATA entry naming vehicle_labels.txt + an appended ZIP (absolute
                       offsets, as Python's zipfile writes when appending) holding readme.txt then the labels
unlabeled-zip.tflite   tiny + a concatenated ZIP (offsets relative to the archive) with labels.txt, no metadata
deflated.tflite        tiny + a ZIP whose labels.txt is deflate-compressed
"""
import io, os, struct, zipfile
import numpy as np
import flatbuffers
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = "car\nbus\r\ntruck\nbicycle\n"

def build_model():
    tf.keras.utils.set_random_seed(7)
    L = tf.keras.layers
    x_in = L.Input((16, 16, 3), batch_size=1)
    x = L.ZeroPadding2D(1)(x_in)
    x = L.Conv2D(8, 3, strides=2, padding="valid", activation="relu6")(x)
    d = L.DepthwiseConv2D(3, padding="same", dilation_rate=1)(x)
    x = L.Add()([x, d])
    x = L.Multiply()([x, L.Activation("sigmoid")(x)])
    a = L.AveragePooling2D(2)(x)
    m = L.MaxPooling2D(2, padding="same")(x)
    x = L.Concatenate(axis=-1)([a, m])
    x = L.Activation("hard_swish")(x)
    x = L.Reshape((4, 4, 16))(x)
    x = tf.keras.layers.Lambda(lambda t: tf.reduce_mean(t, axis=[1, 2], keepdims=False))(x)
    x = L.Dense(4)(x)
    x = L.Softmax()(x)
    model = tf.keras.Model(x_in, x)
    rng = np.random.default_rng(3)
    def data():
        for _ in range(16):
            yield [rng.uniform(0, 1, (1, 16, 16, 3)).astype(np.float32)]
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = data
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return conv.convert()

def bits(f):
    return "%08x" % struct.unpack("<I", struct.pack("<f", float(f)))[0]

def describe(tflite):
    m = schema.ModelT.InitFromPackedBuf(tflite, 0)
    sg = m.subgraphs[0]
    codes = [max(c.deprecatedBuiltinCode, c.builtinCode) for c in m.operatorCodes]
    lines = ["subgraph tensors=%d operators=%d inputs=%s outputs=%s buffers=%d" % (
        len(sg.tensors), len(sg.operators), ",".join(map(str, sg.inputs)), ",".join(map(str, sg.outputs)),
        len(m.buffers))]
    for i, t in enumerate(sg.tensors):
        q = t.quantization
        scales = ",".join(bits(s) for s in q.scale) if q is not None and q.scale is not None else "-"
        zps = ",".join(str(int(z)) for z in q.zeroPoint) if q is not None and q.zeroPoint is not None else "-"
        qd = q.quantizedDimension if q is not None else 0
        data = len(m.buffers[t.buffer].data) if m.buffers[t.buffer].data is not None else 0
        shape = ",".join(str(int(s)) for s in t.shape) if t.shape is not None else ""
        lines.append("tensor %d type=%d shape=%s buffer=%d bytes=%d scale=%s zero_point=%s dimension=%d" % (
            i, t.type, shape, t.buffer, data, scales, zps, qd))
    for i, op in enumerate(sg.operators):
        o = op.builtinOptions
        fields = ""
        if o is not None:
            items = []
            for k, v in sorted(vars(o).items()):
                if isinstance(v, (bool, np.bool_)): v = int(v)
                elif isinstance(v, float): v = bits(v)
                elif v is None: v = "-"
                elif hasattr(v, "__len__"): v = ",".join(str(int(e)) for e in v)
                items.append("%s=%s" % (k, v))
            fields = " " + " ".join(items)
        lines.append("operator %d code=%d inputs=%s outputs=%s options=%d%s" % (
            i, codes[op.opcodeIndex], ",".join(str(int(e)) for e in op.inputs),
            ",".join(str(int(e)) for e in op.outputs), op.builtinOptionsType, fields))
    return "\n".join(lines) + "\n"

def metadata_flatbuffer(label_name):
    """ModelMetadata (identifier M001) whose first output tensor names `label_name` as TENSOR_AXIS_LABELS."""
    b = flatbuffers.Builder(256)
    def string(s): return b.CreateString(s)
    def table(fields):  # fields: list of (id, kind, value), kind in "offset", "int8"
        b.StartObject(max(f[0] for f in fields) + 1)
        for fid, kind, value in fields:
            if kind == "offset": b.PrependUOffsetTRelativeSlot(fid, value, 0)
            else: b.PrependInt8Slot(fid, value, 0)
        return b.EndObject()
    def vector(offsets):
        b.StartVector(4, len(offsets), 4)
        for o in reversed(offsets): b.PrependUOffsetTRelative(o)
        return b.EndVector()
    readme = table([(0, "offset", string("readme.txt")), (2, "int8", 1)])  # DESCRIPTIONS
    labels = table([(0, "offset", string(label_name)), (1, "offset", string("vehicle classes")), (2, "int8", 2)])
    tensor = table([(0, "offset", string("probabilities")), (6, "offset", vector([readme, labels]))])
    subgraph = table([(0, "offset", string("main")), (3, "offset", vector([tensor]))])
    model = table([(0, "offset", string("tiny")), (3, "offset", vector([subgraph])), (7, "offset", string("1.0.0"))])
    b.Finish(model, file_identifier=b"M001")
    return bytes(b.Output())

def with_metadata(tflite, metadata):
    m = schema.ModelT.InitFromPackedBuf(tflite, 0)
    buf = schema.BufferT(); buf.data = np.frombuffer(metadata, dtype=np.uint8)
    m.buffers.append(buf)
    md = schema.MetadataT(); md.name = "TFLITE_METADATA"; md.buffer = len(m.buffers) - 1
    m.metadata.append(md)
    b = flatbuffers.Builder(len(tflite) + len(metadata) + 1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())

def zip_bytes(entries, compression):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as z:
        for name, text in entries: z.writestr(name, text)
    return out.getvalue()

def main():
    tiny = build_model()
    write("tiny.int8.tflite", tiny)
    write("tiny.expected.txt", describe(tiny).encode())
    labeled = with_metadata(tiny, metadata_flatbuffer("vehicle_labels.txt"))
    path = os.path.join(HERE, "labeled.tflite")
    write("labeled.tflite", labeled)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as z:  # absolute offsets
        z.writestr("readme.txt", "a tiny test model\n")
        z.writestr("vehicle_labels.txt", LABELS)
    write("unlabeled-zip.tflite", tiny + zip_bytes([("labels.txt", LABELS)], zipfile.ZIP_STORED))
    write("deflated.tflite", tiny + zip_bytes([("labels.txt", LABELS * 4)], zipfile.ZIP_DEFLATED))
    for name in ["tiny.int8.tflite", "labeled.tflite", "unlabeled-zip.tflite", "deflated.tflite"]:
        print(name, os.path.getsize(os.path.join(HERE, name)))

def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f: f.write(data)

if __name__ == "__main__":
    main()
