#!/usr/bin/env python3
"""Build the small int8 conformance models under models/ (fixed seeds, random weights).

Each model is a tiny Keras model (or a tf.function where Keras cannot express the case),
post-training quantized to full int8 with a seeded random representative dataset:
  optimizations = [Optimize.DEFAULT], supported_ops = [TFLITE_BUILTINS_INT8],
  int8 input and output (float32 in/out for the QUANTIZE/DEQUANTIZE case).
The weights carry no meaning; the models exist to exercise every operator and the awkward
shapes (odd sizes with stride 2, uneven SAME padding, dilation, depth multiplier 2, channel
counts 3/5/7/13, batch 2, ...). Prints each model's operator list.

Usage: python make_models.py [name ...]
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
import keras
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

import tflite_info

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "models")
SEED = 20261123
N_CALIB = 32

layers = keras.layers


def randomize_biases(model, rng):
    """Keras starts biases at zero; give them fixed-seed random values so the int32 bias
    path of every kernel is exercised."""
    for layer in model.layers:
        for variable in layer.weights:
            if variable.path.endswith("bias"):
                variable.assign(rng.uniform(-0.3, 0.3, variable.shape).astype("float32"))


def keras_model(inputs, outputs):
    model = keras.Model(inputs, outputs)
    randomize_biases(model, np.random.default_rng(SEED + 7))
    return model


# --- the models --------------------------------------------------------------------------
# Each builder returns a callable from the float input tensor to the output tensor(s)
# (a tuple for several outputs; the order of the .tflite outputs is recorded in the manifest).


def conv_stride_pad():
    x_in = keras.Input((11, 11, 3), batch_size=1)
    # stride 2 on an odd size, VALID: 11 -> 5 (the last row/column is never read)
    x = layers.Conv2D(5, 3, strides=2, padding="valid", activation="relu")(x_in)
    # 5x5 kernel, SAME (2/2), fused ReLU6
    x = layers.Conv2D(7, 5, padding="same", activation="relu6")(x)
    # 1x1 kernel, 13 output channels, no activation
    x = layers.Conv2D(13, 1)(x)
    # 2x2 kernel, stride 2, SAME on an odd size: 5 -> 3, padding 0 before / 1 after
    x = layers.Conv2D(6, 2, strides=2, padding="same", activation="relu")(x)
    # 4x4 kernel, SAME: padding 1 before / 2 after
    x = layers.Conv2D(5, 4, padding="same")(x)
    return keras_model(x_in, x)


def conv_same_uneven():
    x_in = keras.Input((10, 10, 3), batch_size=1)
    # 3x3 stride 2 SAME on an even size: 10 -> 5, padding 0 before / 1 after
    x = layers.Conv2D(7, 3, strides=2, padding="same", activation="relu6")(x_in)
    # 3x3 stride 2 SAME on an odd size: 5 -> 3, padding 1 / 1
    x = layers.Conv2D(5, 3, strides=2, padding="same", activation="relu")(x)
    # 3x3 stride 1 VALID down to 1x1
    x = layers.Conv2D(3, 3, padding="valid")(x)
    return keras_model(x_in, x)


def depthwise():
    x_in = keras.Input((9, 9, 5), batch_size=1)
    # depth multiplier 2, stride 2 on odd size, SAME: 9 -> 5, 5 -> 10 channels, ReLU6
    x = layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, activation="relu6")(x_in)
    # 5x5 kernel SAME, ReLU
    x = layers.DepthwiseConv2D(5, padding="same", activation="relu")(x)
    # 3x3 stride 2 VALID: 5 -> 2
    x = layers.DepthwiseConv2D(3, strides=2, padding="valid")(x)
    return keras_model(x_in, x)


def dilated():
    x_in = keras.Input((9, 9, 5), batch_size=1)
    # Keras dilation_rate=2: the converter emits CONV_2D / DEPTHWISE_CONV_2D with dilation factors
    x = layers.Conv2D(7, 3, dilation_rate=2, padding="same", activation="relu")(x_in)
    x = layers.DepthwiseConv2D(3, dilation_rate=2, padding="same", depth_multiplier=2)(x)
    x = layers.DepthwiseConv2D(3, dilation_rate=2, padding="valid", activation="relu6")(x)
    return keras_model(x_in, x)


def dilated_space_to_batch():
    """tf.nn.atrous_conv2d lowers to SpaceToBatchND -> Conv2D -> BatchToSpaceND, which the
    converter folds back into a dilated CONV_2D. A ReLU between SpaceToBatchND and the
    convolution (harmless: ReLU commutes with the re-arrangement and relu(0) = 0 on the padding)
    stops that fold, so this model keeps SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND."""
    rng = np.random.default_rng(SEED + 11)
    w = tf.constant(rng.normal(0.0, 0.3, (3, 3, 5, 6)).astype("float32"))
    b = tf.constant(rng.uniform(-0.3, 0.3, (6,)).astype("float32"))

    def f(x):
        # 9x9, rate 2, SAME: pad to a multiple of the rate plus the dilated kernel's halo
        y = tf.space_to_batch_nd(x, [2, 2], [[2, 3], [2, 3]])
        y = tf.nn.relu(y)
        y = tf.nn.conv2d(y, w, strides=1, padding="VALID")
        y = tf.nn.bias_add(y, b)
        return tf.batch_to_space(y, [2, 2], [[0, 1], [0, 1]])

    return f


def grouped_conv():
    x_in = keras.Input((7, 7, 6), batch_size=1)
    # groups=2: the converter keeps one CONV_2D whose filter has 3 input channels
    x = layers.Conv2D(10, 3, groups=2, padding="same", activation="relu")(x_in)
    x = layers.Conv2D(4, 3, strides=2, groups=2, padding="valid")(x)
    return keras_model(x_in, x)


def fully_connected_batch2():
    x_in = keras.Input((13,), batch_size=2)
    x = layers.Dense(7, activation="relu")(x_in)
    x = layers.Dense(5)(x)
    return keras_model(x_in, x)


def cnn_batch2():
    x_in = keras.Input((7, 7, 3), batch_size=2)
    x = layers.Conv2D(5, 3, strides=2, padding="same", activation="relu6")(x_in)
    x = layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(2, strides=1)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(7)(x)
    x = layers.Softmax()(x)
    return keras_model(x_in, x)


def add_broadcast():
    rng = np.random.default_rng(SEED + 21)
    per_channel = rng.uniform(-1.0, 1.0, (5,)).astype("float32")
    scalar_like = rng.uniform(0.2, 0.8, (1,)).astype("float32")
    x_in = keras.Input((6, 6, 5), batch_size=1)
    a = x_in + per_channel                      # [1,6,6,5] + [5] constant
    b = layers.ReLU()(a)
    c = b + scalar_like                         # [1,6,6,5] + [1] constant
    d = layers.Activation("relu")(layers.Add()([c, x_in]))    # two activations, fused ReLU
    m = keras.ops.mean(x_in, axis=(1, 2), keepdims=True)     # [1,1,1,5]
    e = layers.Add()([d, m])                     # activation broadcast over H, W
    f = layers.ReLU(max_value=6.0)(layers.Add()([e, b]))     # fused ReLU6
    return keras_model(x_in, (e, f))


def mul_broadcast():
    rng = np.random.default_rng(SEED + 22)
    per_channel = rng.uniform(-1.5, 1.5, (7,)).astype("float32")
    scalar_like = rng.uniform(0.5, 1.5, (1,)).astype("float32")
    x_in = keras.Input((5, 5, 7), batch_size=1)
    a = x_in * per_channel                      # [1,5,5,7] * [7] constant
    b = layers.ReLU()(a)
    c = b * scalar_like                         # [1,5,5,7] * [1] constant
    d = layers.Activation("relu")(layers.Multiply()([c, x_in]))   # fused ReLU
    m = keras.ops.mean(x_in, axis=3, keepdims=True)             # [1,5,5,1]
    e = layers.Multiply()([d, m])               # broadcast over channels
    f = layers.ReLU(max_value=6.0)(layers.Multiply()([e, c]))      # fused ReLU6
    return keras_model(x_in, (e, f))


def pooling():
    x_in = keras.Input((11, 11, 7), batch_size=1)
    # SAME average pooling: the border averages count only the real cells
    a = layers.AveragePooling2D(3, strides=2, padding="same")(x_in)
    # stride 2 VALID on odd size: the last row/column is dropped
    b = layers.MaxPooling2D(2, strides=2, padding="valid")(x_in)
    c = layers.MaxPooling2D(3, strides=2, padding="same")(x_in)
    d = layers.AveragePooling2D(2, strides=1, padding="valid")(x_in)
    return keras_model(x_in, (a, b, c, d))


def mean_softmax():
    x_in = keras.Input((5, 5, 13), batch_size=1)
    a = layers.Softmax()(layers.GlobalAveragePooling2D()(x_in))   # MEAN over H, W; SOFTMAX 13
    b = layers.Softmax()(x_in)                                     # SOFTMAX on a 4-D tensor
    c = keras.ops.mean(x_in, axis=3, keepdims=True)               # MEAN over channels
    return keras_model(x_in, (a, b, c))


def activations():
    x_in = keras.Input((6, 6, 5), batch_size=1)
    logistic = layers.Activation("sigmoid")(x_in)
    hard_swish = layers.Activation("hard_swish")(x_in)
    padded = layers.ZeroPadding2D(((1, 0), (0, 2)))(hard_swish)
    relu = layers.ReLU()(padded)                                   # standalone RELU after PAD
    flipped = x_in[:, ::-1, 1:, :]                                 # STRIDED_SLICE, negative stride
    joined = layers.Concatenate(axis=2)([x_in, flipped])
    relu6 = layers.ReLU(max_value=6.0)(joined)                     # standalone RELU6 after CONCAT
    return keras_model(x_in, (logistic, hard_swish, relu, relu6))


def shapes():
    x_in = keras.Input((6, 6, 5), batch_size=1)
    padded = keras.ops.pad(x_in, ((0, 0), (1, 2), (0, 1), (0, 0)))          # PAD, uneven
    sliced = x_in[:, 1:6:2, ::2, 1:4]                                        # STRIDED_SLICE, static
    head = keras.ops.pad(sliced, ((0, 0), (0, 0), (1, 2), (0, 2)))          # [1,3,3,3] -> [1,3,6,5]
    joined = layers.Concatenate(axis=1)([x_in, head])                        # CONCATENATION on H
    # LOGISTIC's fixed output scale (1/256) is not the concatenation's: the converter inserts an
    # int8 -> int8 QUANTIZE (a requantization) in front of CONCATENATION
    chans = layers.Concatenate(axis=3)([x_in, layers.Activation("sigmoid")(x_in)])
    reshaped = layers.Reshape((9, 40))(chans)                                # RESHAPE, static batch
    return keras_model(x_in, (padded, joined, reshaped))


def keras_flatten_dynamic():
    """Converted with batch None in the signature: Keras 3 Flatten and Reshape then compute the
    batch at run time, SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE, as in models exported by
    `TFLiteConverter.from_keras_model`."""
    x_in = keras.Input((6, 6, 3))
    x = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(x_in)
    x = layers.Flatten()(x)
    x = layers.Dense(6)(x)
    x = layers.Reshape((2, 3))(x)
    return keras_model(x_in, x)


def float_io():
    x_in = keras.Input((6, 6, 3), batch_size=1)
    x = layers.Conv2D(5, 3, strides=2, padding="same", activation="relu")(x_in)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(3)(x)
    return keras_model(x_in, x)


# name -> (builder, input shape, calibration range, options, what it covers)
SPECS = {
    "conv-stride-pad": (conv_stride_pad, (1, 11, 11, 3), (-1, 1), {},
        "CONV_2D: stride 2 VALID on odd size, 5x5 SAME, 1x1 to 13 channels, 2x2 stride 2 and 4x4 SAME with uneven padding; fused ReLU/ReLU6"),
    "conv-same-uneven": (conv_same_uneven, (1, 10, 10, 3), (-1, 1), {},
        "CONV_2D: 3x3 stride 2 SAME on even size (padding 0/1) and on odd size, VALID to 1x1"),
    "depthwise": (depthwise, (1, 9, 9, 5), (-1, 1), {},
        "DEPTHWISE_CONV_2D: depth multiplier 2, stride 2 SAME on odd size, 5x5, stride 2 VALID; fused ReLU/ReLU6"),
    "dilated": (dilated, (1, 9, 9, 5), (-1, 1), {},
        "CONV_2D and DEPTHWISE_CONV_2D with dilation 2 (SAME and VALID), depth multiplier 2"),
    "dilated-space-to-batch": (dilated_space_to_batch, (1, 9, 9, 5), (-1, 1), {},
        "dilated convolution in its unfused form: SPACE_TO_BATCH_ND -> RELU -> CONV_2D -> BATCH_TO_SPACE_ND"),
    "grouped-conv": (grouped_conv, (1, 7, 7, 6), (-1, 1), {},
        "CONV_2D with groups=2 (filter input channels = input channels / 2)"),
    "fully-connected-batch2": (fully_connected_batch2, (2, 13), (-1, 1), {},
        "FULLY_CONNECTED with batch 2, 13 -> 7 (ReLU) -> 5"),
    "cnn-batch2": (cnn_batch2, (2, 7, 7, 3), (-1, 1), {},
        "batch 2 through CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D, MEAN, FULLY_CONNECTED, SOFTMAX"),
    "add-broadcast": (add_broadcast, (1, 6, 6, 5), (-2, 2), {},
        "ADD with per-channel [5] and scalar-like [1] constants, two activations with fused ReLU/ReLU6, [1,1,1,5] broadcast; RELU, MEAN keep_dims"),
    "mul-broadcast": (mul_broadcast, (1, 5, 5, 7), (-2, 2), {},
        "MUL with per-channel [7] and scalar-like [1] constants, two activations with fused ReLU/ReLU6, [1,5,5,1] broadcast; RELU, MEAN over channels"),
    "pooling": (pooling, (1, 11, 11, 7), (-1, 1), {},
        "AVERAGE_POOL_2D 3x3/2 SAME and 2x2/1 VALID, MAX_POOL_2D 2x2/2 VALID on odd size and 3x3/2 SAME; four outputs"),
    "mean-softmax": (mean_softmax, (1, 5, 5, 13), (-3, 3), {},
        "MEAN over H,W and over channels (keep_dims), SOFTMAX on 13 classes and on a 4-D tensor"),
    "activations": (activations, (1, 6, 6, 5), (-6, 6), {},
        "standalone LOGISTIC, HARD_SWISH, RELU (after PAD), RELU6 (after CONCATENATION); STRIDED_SLICE with a negative stride"),
    "shapes": (shapes, (1, 6, 6, 5), (-1, 1), {},
        "PAD (uneven), STRIDED_SLICE (static, strides 2), CONCATENATION on H and on C, int8->int8 QUANTIZE (requantize), RESHAPE"),
    "keras-flatten-dynamic": (keras_flatten_dynamic, (1, 6, 6, 3), (-1, 1), {"batch_none": True},
        "Keras 3 Flatten and Reshape with a dynamic batch: SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE"),
    "float-io": (float_io, (1, 6, 6, 3), (-1, 1), {"float_io": True},
        "float32 input and output: QUANTIZE -> CONV_2D -> MEAN -> FULLY_CONNECTED -> DEQUANTIZE"),
}


def convert(fn, shape, lo, hi, batch_none=False, float_io=False):
    signature = [None, *shape[1:]] if batch_none else list(shape)

    @tf.function(input_signature=[tf.TensorSpec(signature, tf.float32, name="input")])
    def serve(x):
        out = fn(x)
        if not isinstance(out, (tuple, list)):
            out = (out,)
        # keys sort in this order, so the .tflite outputs follow the builder's order
        return {f"output_{k}": y for k, y in enumerate(out)}

    # Keras 3 weights are resource variables: freeze them, or the converter emits variable ops.
    frozen = convert_variables_to_constants_v2(serve.get_concrete_function())
    converter = tf.lite.TFLiteConverter.from_concrete_functions([frozen])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    rng = np.random.default_rng(SEED)
    calib = [rng.uniform(lo, hi, shape).astype("float32") for _ in range(N_CALIB)]
    converter.representative_dataset = lambda: ([c] for c in calib)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if not float_io:
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def build(name):
    builder, shape, (lo, hi), options, _ = SPECS[name]
    # fresh layer-name counters: the tensor names (and so the bytes) do not depend on which
    # models were built before in this process
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    fn = builder()
    data = convert(fn, shape, lo, hi, **options)
    path = os.path.join(MODELS, name + ".tflite")
    with open(path, "wb") as f:
        f.write(data)
    desc = tflite_info.describe(tflite_info.read(path))
    print(f"[{name}] {len(data)} bytes", flush=True)
    for line in tflite_info.op_summary(desc):
        print("   ", line)
    return path


def write_covers(names):
    """models/covers.json: what each model is for, read by make_vectors.py (which needs no TF)."""
    path = os.path.join(MODELS, "covers.json")
    covers = json.load(open(path)) if os.path.exists(path) else {}
    for name in names:
        _, shape, (lo, hi), options, text = SPECS[name]
        covers[name] = {
            "covers": text,
            "calibration_range": [lo, hi],
            "float_io": bool(options.get("float_io", False)),
            "dynamic_batch": bool(options.get("batch_none", False)),
        }
    covers = {name: covers[name] for name in SPECS if name in covers}
    with open(path, "w") as f:
        json.dump(covers, f, indent=1)
        f.write("\n")


def main(names):
    names = names or list(SPECS)
    os.makedirs(MODELS, exist_ok=True)
    for name in names:
        build(name)
    write_covers(names)


if __name__ == "__main__":
    main(sys.argv[1:])
