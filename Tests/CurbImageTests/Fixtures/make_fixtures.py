#!/usr/bin/env python3
"""Writes the CurbImage test fixtures: small images and the pixels an independent decoder (Pillow)
gets from them (`.rgb` = raw packed 8-bit RGB, row after row, sizes in the test file).

Run with the golden venv (Pillow 13, numpy): /work/venv-golden/bin/python make_fixtures.py
Deterministic: a fixed seed; rerunning rewrites identical files (given the same Pillow version).
`--benchmark PATH` instead writes the 1920x1080 camera-like JPEG (quality 85) used for timings.
"""
import io
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(20261123)


def camera_like(width, height, noise=6.0, seed=None):
    """Smooth gradients, a few soft shapes and sensor noise: compresses like a camera frame."""
    g = np.random.default_rng(seed) if seed is not None else rng
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 128 + 100 * np.sin(x / width * 3.1 + 0.5) * np.cos(y / height * 2.3)
    gch = 90 + 120 * (x / width) * (y / height) + 30 * np.sin((x + y) / 17.0)
    b = 200 - 150 * (y / height) + 25 * np.cos(x / 9.0)
    img = np.stack([r, gch, b], axis=-1)
    cx, cy = width * 0.6, height * 0.4
    blob = np.exp(-(((x - cx) / (width * 0.15)) ** 2 + ((y - cy) / (height * 0.2)) ** 2))
    img += blob[..., None] * np.array([60.0, -40.0, -80.0])
    img += g.normal(0, noise, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def write(name, data):
    (HERE / name).write_bytes(data)


def save(image, name, **options):
    buffer = io.BytesIO()
    image.save(buffer, **options)
    write(name, buffer.getvalue())
    return buffer.getvalue()


def expected(image, name):
    """Pillow's RGB pixels for a fixture."""
    rgb = image.convert("RGB")
    write(name, rgb.tobytes())
    return rgb


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_by_hand(pixels, bit_depth, color_type, interlace):
    """A PNG written without Pillow (Pillow writes neither interlaced nor 16-bit RGB files).
    pixels: uint8 or uint16 array (h, w, channels). Filter type 0 (None) on every row."""
    height, width = pixels.shape[:2]
    big_endian = pixels.astype(">u2") if bit_depth == 16 else pixels.astype(np.uint8)

    def scanlines(block):
        return b"".join(b"\x00" + block[row].tobytes() for row in range(block.shape[0]))

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            block = big_endian[y0::dy, x0::dx]
            if block.shape[0] and block.shape[1]:
                raw += scanlines(block)
    else:
        raw = scanlines(big_endian)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")


def strip_app14(data):
    """The JPEG without its Adobe APP14 segment (so CMYK samples count as not inverted)."""
    out, i = bytearray(data[:2]), 2
    while i < len(data):
        marker = data[i + 1]
        if marker == 0xDA:  # SOS: the rest is entropy-coded data
            out += data[i:]
            break
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker != 0xEE:
            out += data[i:i + 2 + length]
        i += 2 + length
    return bytes(out)


def cmyk_to_rgb_reference(cmyk):
    """Pillow's cmyk2rgb written out: r = (255 - k) - round((255 - k) * c / 255)."""
    c = cmyk.astype(np.int64)
    white = 255 - c[..., 3:4]
    product = c[..., :3] * white + 128
    return (white - (((product >> 8) + product) >> 8)).astype(np.uint8)


def main():
    source = camera_like(67, 45)  # odd sizes: partial MCUs on both edges
    image = Image.fromarray(source, "RGB")

    # --- JPEG ---
    for name, options in {
        "baseline_420": dict(quality=85, subsampling=2),
        "baseline_444": dict(quality=90, subsampling=0),
        "progressive": dict(quality=85, progressive=True),
    }.items():
        save(image, name + ".jpg", format="JPEG", **options)
        expected(Image.open(HERE / (name + ".jpg")), name + ".jpg.rgb")

    grey = image.convert("L")
    save(grey, "grey.jpg", format="JPEG", quality=85)
    expected(Image.open(HERE / "grey.jpg"), "grey.jpg.rgb")

    # Pillow writes CMYK JPEGs Adobe-style: samples inverted, with an APP14 marker.
    cmyk = image.convert("CMYK")
    adobe = save(cmyk, "cmyk_adobe.jpg", format="JPEG", quality=90)
    expected(Image.open(HERE / "cmyk_adobe.jpg"), "cmyk_adobe.jpg.rgb")
    # Without APP14 the stored samples are read as plain (not inverted) CMYK. Pillow still inverts
    # ("CMYK;I"), so undo that to get the stored samples, then apply the reference formula.
    plain = strip_app14(adobe)
    assert b"Adobe" not in plain
    write("cmyk_plain.jpg", plain)
    stored = 255 - np.asarray(Image.open(io.BytesIO(plain)))
    write("cmyk_plain.jpg.rgb", cmyk_to_rgb_reference(stored).tobytes())

    for orientation in (3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(image, f"exif{orientation}.jpg", format="JPEG", quality=85, exif=exif)
        expected(ImageOps.exif_transpose(Image.open(HERE / f"exif{orientation}.jpg")), f"exif{orientation}.jpg.rgb")

    # DCT-scaled decodes (Pillow's draft uses libjpeg's scale_denom the same way).
    large = Image.fromarray(camera_like(165, 123), "RGB")
    save(large, "scaled.jpg", format="JPEG", quality=85)
    for denominator in (2, 4, 8):
        decoded = Image.open(HERE / "scaled.jpg")
        decoded.draft("RGB", (165 // denominator, 123 // denominator))
        assert decoded.size == (-(-165 // denominator), -(-123 // denominator)), decoded.size
        expected(decoded, f"scaled_{denominator}.rgb")
    expected(Image.open(HERE / "scaled.jpg"), "scaled_1.rgb")

    # --- PNG ---
    alpha = np.clip(rng.normal(128, 80, source.shape[:2]), 0, 255).astype(np.uint8)
    alpha[:, :8] = 0  # fully transparent columns keep their colour (alpha is dropped)
    rgba = Image.fromarray(np.dstack([source, alpha]), "RGBA")
    save(image, "rgb.png", format="PNG")
    save(rgba, "rgba.png", format="PNG")
    save(grey, "grey.png", format="PNG")
    save(Image.fromarray(np.dstack([np.asarray(grey), alpha]), "LA"), "grey_alpha.png", format="PNG")
    palette = image.quantize(colors=37)
    save(palette, "palette.png", format="PNG", transparency=5)
    for name in ("rgb", "rgba", "grey", "grey_alpha", "palette"):
        expected(Image.open(HERE / (name + ".png")), name + ".png.rgb")

    # A PNG named .jpg must decode as PNG.
    write("png_named.jpg", (HERE / "rgb.png").read_bytes())

    # Interlaced (Adam7) 8-bit RGB, checked against Pillow's reading of it.
    write("interlaced.png", png_by_hand(source, 8, 2, interlace=True))
    expected(Image.open(HERE / "interlaced.png"), "interlaced.png.rgb")

    # 16-bit RGB (no gAMA chunk) and interlaced 16-bit grey+alpha. Pillow truncates 16-bit samples to
    # their high byte; Curbside rounds (libpng: round(v / 257)), so the expectation is that formula.
    wide = rng.integers(0, 65536, size=source.shape, dtype=np.uint32)
    wide[0, :3] = [[0, 128, 32895], [32896, 65407, 65535], [257 * 7 + 128, 257 * 7 + 129, 65280]]
    write("rgb16.png", png_by_hand(wide.astype(np.uint16), 16, 2, interlace=False))
    write("rgb16.png.rgb", ((2 * wide + 257) // 514).astype(np.uint8).tobytes())
    # 16-bit with alpha: libpng's simplified API composites onto black in linear light (see PNGDecoder);
    # fully opaque pixels keep round(v / 257), fully transparent ones become 0.
    grey16 = rng.integers(0, 65536, size=source.shape[:2] + (2,), dtype=np.uint32)
    grey16[..., 1] = 65535
    grey16[:, :5, 1] = 0
    write("grey_alpha16.png", png_by_hand(grey16.astype(np.uint16), 16, 4, interlace=False))
    value = ((2 * grey16[..., 0] + 257) // 514).astype(np.uint8)
    value[:, :5] = 0
    write("grey_alpha16.png.rgb", np.dstack([value, value, value]).tobytes())

    # --- resize references: Pillow's resize of a PNG source (so decoding plays no part) ---
    resize_source = Image.fromarray(camera_like(97, 71, noise=25.0), "RGB")
    save(resize_source, "resize_source.png", format="PNG")
    filters = {"bilinear": Image.Resampling.BILINEAR, "area": Image.Resampling.BOX}
    for label, method in filters.items():
        write(f"stretch_{label}_32x24.rgb", resize_source.resize((32, 24), method).tobytes())
        write(f"stretch_{label}_150x110.rgb", resize_source.resize((150, 110), method).tobytes())
        write(f"crop_{label}_24x24.rgb", ImageOps.fit(resize_source, (24, 24), method).tobytes())
        write(f"crop_{label}_40x16.rgb", ImageOps.fit(resize_source, (40, 16), method).tobytes())
        for size in ((24, 24), (20, 40)):
            # Letterbox: ImageOps.pad's geometry, always resizing (see Preprocessor).
            ratio = resize_source.width / resize_source.height
            if ratio > size[0] / size[1]:
                inner = (size[0], round(size[0] / ratio))
                offset = (0, round((size[1] - inner[1]) * 0.5))
            else:
                inner = (round(size[1] * ratio), size[1])
                offset = (round((size[0] - inner[0]) * 0.5), 0)
            canvas = Image.new("RGB", size)
            canvas.paste(resize_source.resize(inner, method), offset)
            write(f"letterbox_{label}_{size[0]}x{size[1]}.rgb", canvas.tobytes())
        # A region of interest is cropped first, then treated as the whole image.
        roi = resize_source.crop((10, 5, 10 + 60, 5 + 50))
        write(f"roi_crop_{label}_16x16.rgb", ImageOps.fit(roi, (16, 16), method).tobytes())

    # --- bad inputs ---
    write("zero.jpg", b"")
    write("garbage.bin", rng.integers(0, 256, 2048, dtype=np.uint8).tobytes())
    write("notes.txt", b"camera 12 offline since 04:00\nreplace SD card\n")
    good = (HERE / "baseline_420.jpg").read_bytes()
    sof = good.index(b"\xff\xc0")  # baseline SOF0: FF C0, length, precision, height, width
    huge = bytearray(good)
    huge[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    write("huge.jpg", bytes(huge))
    png = bytearray((HERE / "rgb.png").read_bytes())
    png[16:24] = struct.pack(">II", 65000, 65000)
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    write("huge.png", bytes(png))
    start_of_scan = good.index(b"\xff\xda")
    write("truncated.jpg", good[: start_of_scan + (len(good) - start_of_scan) // 2])  # half the scan data
    write("truncated_header.jpg", good[: start_of_scan // 2])  # stops inside the tables
    write("truncated.png", (HERE / "rgb.png").read_bytes()[:1500])
    flipped = bytearray(good)
    for position in range(len(good) // 2, len(good) - 2, 97):
        flipped[position] ^= 0x10
    write("bitflip.jpg", bytes(flipped))
    flipped = bytearray((HERE / "rgb.png").read_bytes())
    for position in range(200, len(flipped) - 20, 131):
        flipped[position] ^= 0x04
    write("bitflip.png", bytes(flipped))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--benchmark":
        Image.fromarray(camera_like(1920, 1080, noise=3.0, seed=7), "RGB").save(sys.argv[2], quality=85)
    else:
        main()
