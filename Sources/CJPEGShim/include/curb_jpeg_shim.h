#ifndef CURB_JPEG_SHIM_H
#define CURB_JPEG_SHIM_H
// A reusable libjpeg decompressor whose errors come back as return codes.
// libjpeg reports fatal errors through error_exit, which must not return; the shim catches them with
// setjmp/longjmp entirely inside C (never across Swift frames), aborts the decompression and keeps the
// decoder usable for the next image.
#include <stddef.h>
#include <stdint.h>

typedef struct curb_jpeg_decoder curb_jpeg_decoder;

/// Colour spaces of the source file (after libjpeg's header analysis).
enum {
    CURB_JPEG_GRAY = 1,
    CURB_JPEG_RGB = 2,
    CURB_JPEG_YCBCR = 3,
    CURB_JPEG_CMYK = 4,
    CURB_JPEG_YCCK = 5,
    CURB_JPEG_OTHER = 6,
};

/// Return codes.
enum {
    CURB_JPEG_OK = 0,
    /// libjpeg refused the data; curb_jpeg_message says why.
    CURB_JPEG_FAILED = -1,
    /// The caller broke the protocol (no header read, buffer too small, bad scale).
    CURB_JPEG_MISUSE = -2,
};

/// Decoding options (bit flags).
enum {
    /// Treat libjpeg warnings (e.g. "Premature end of JPEG file") as errors.
    CURB_JPEG_STRICT = 1,
};

/// What the header says, filled by curb_jpeg_read_header.
typedef struct curb_jpeg_info {
    uint32_t width;
    uint32_t height;
    int32_t components;
    int32_t color_space;
    /// 1 when an Adobe APP14 marker was seen: CMYK/YCCK samples are then stored inverted.
    int32_t adobe_marker;
    int32_t progressive;
    /// The first APP1 segment's payload (starts with "Exif\0\0" when it is EXIF), or NULL. Valid until the
    /// next call on the decoder.
    const uint8_t *app1;
    size_t app1_length;
} curb_jpeg_info;

curb_jpeg_decoder *curb_jpeg_create(void);
void curb_jpeg_destroy(curb_jpeg_decoder *decoder);

/// Reads the header only (no pixel memory is allocated). `data` must stay valid until curb_jpeg_decode
/// or curb_jpeg_abort returns.
int curb_jpeg_read_header(curb_jpeg_decoder *decoder, const uint8_t *data, size_t length, int flags,
                          curb_jpeg_info *info);

/// The output size at 1/scale_denominator (1, 2, 4 or 8) after a successful curb_jpeg_read_header.
int curb_jpeg_scaled_size(curb_jpeg_decoder *decoder, int scale_denominator, uint32_t *width, uint32_t *height);

/// Decodes the image whose header was read, at 1/scale_denominator, as packed 8-bit RGB rows
/// (width * 3 bytes each) into `rgb` (capacity bytes). CMYK and YCCK files are converted to RGB here.
/// Always ends the decompression (finished or aborted), so the decoder is ready for the next header.
int curb_jpeg_decode(curb_jpeg_decoder *decoder, int scale_denominator, uint8_t *rgb, size_t capacity,
                     uint32_t *width, uint32_t *height);

/// Abandons a decompression after curb_jpeg_read_header (e.g. when the image exceeds a limit).
void curb_jpeg_abort(curb_jpeg_decoder *decoder);

/// libjpeg's message for the last failure (or the first warning), NUL-terminated.
const char *curb_jpeg_message(const curb_jpeg_decoder *decoder);

/// Warnings libjpeg emitted during the last header read and decode (e.g. corrupt or truncated data).
int curb_jpeg_warning_count(const curb_jpeg_decoder *decoder);

/// Pillow-compatible CMYK to RGB for one row: r = (255 - k) - round((255 - k) * c / 255), likewise g
/// and b. `inverted` first inverts every sample (Adobe files store 255 - ink).
void curb_cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, size_t pixels, int inverted);

#endif
