#include "curb_jpeg_shim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

struct curb_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int strict;
    int warnings;
    char message[JMSG_LENGTH_MAX];
};

struct curb_jpeg_decoder {
    struct jpeg_decompress_struct info;
    struct curb_error_manager error;
    int header_read;
};

// Fatal error: keep libjpeg's text and jump back to the C function that called into libjpeg.
static void curb_error_exit(j_common_ptr cinfo) {
    struct curb_error_manager *error = (struct curb_error_manager *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

// Warnings (level -1) are counted; the first one's text is kept. Strict mode makes them fatal.
// Trace messages (level >= 0) are ignored; nothing is ever printed.
static void curb_emit_message(j_common_ptr cinfo, int level) {
    struct curb_error_manager *error = (struct curb_error_manager *)cinfo->err;
    if (level >= 0) return;
    if (error->warnings == 0) (*cinfo->err->format_message)(cinfo, error->message);
    error->warnings += 1;
    if (error->strict) longjmp(error->jump, 1);
}

static void curb_output_message(j_common_ptr cinfo) { (void)cinfo; }

curb_jpeg_decoder *curb_jpeg_create(void) {
    curb_jpeg_decoder *decoder = calloc(1, sizeof(curb_jpeg_decoder));
    if (decoder == NULL) return NULL;
    decoder->info.err = jpeg_std_error(&decoder->error.base);
    decoder->error.base.error_exit = curb_error_exit;
    decoder->error.base.emit_message = curb_emit_message;
    decoder->error.base.output_message = curb_output_message;
    if (setjmp(decoder->error.jump)) {
        jpeg_destroy_decompress(&decoder->info);
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->info);
    // Keep APP1 (EXIF) so the orientation can be read; other markers are skipped.
    jpeg_save_markers(&decoder->info, JPEG_APP0 + 1, 0xFFFF);
    return decoder;
}

void curb_jpeg_destroy(curb_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    jpeg_destroy_decompress(&decoder->info);
    free(decoder);
}

void curb_jpeg_abort(curb_jpeg_decoder *decoder) {
    jpeg_abort_decompress(&decoder->info);
    decoder->header_read = 0;
}

static int curb_color_space(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return CURB_JPEG_GRAY;
    case JCS_RGB: return CURB_JPEG_RGB;
    case JCS_YCbCr: return CURB_JPEG_YCBCR;
    case JCS_CMYK: return CURB_JPEG_CMYK;
    case JCS_YCCK: return CURB_JPEG_YCCK;
    default: return CURB_JPEG_OTHER;
    }
}

int curb_jpeg_read_header(curb_jpeg_decoder *decoder, const uint8_t *data, size_t length, int flags,
                          curb_jpeg_info *info) {
    struct jpeg_decompress_struct *cinfo = &decoder->info;
    memset(info, 0, sizeof(*info));
    // A previous image left half-done (the caller dropped it) is abandoned first.
    jpeg_abort_decompress(cinfo);
    decoder->header_read = 0;
    decoder->error.strict = (flags & CURB_JPEG_STRICT) != 0;
    decoder->error.warnings = 0;
    decoder->error.message[0] = 0;
    if (data == NULL || length == 0) {
        snprintf(decoder->error.message, sizeof(decoder->error.message), "empty input");
        return CURB_JPEG_FAILED;
    }
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        return CURB_JPEG_FAILED;
    }
    jpeg_mem_src(cinfo, data, (unsigned long)length);
    jpeg_read_header(cinfo, TRUE);
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->components = cinfo->num_components;
    info->color_space = curb_color_space(cinfo->jpeg_color_space);
    info->adobe_marker = cinfo->saw_Adobe_marker ? 1 : 0;
    info->progressive = cinfo->progressive_mode ? 1 : 0;
    for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1) {
            info->app1 = marker->data;
            info->app1_length = marker->data_length;
            break;
        }
    }
    decoder->header_read = 1;
    return CURB_JPEG_OK;
}

static int curb_valid_scale(int denominator) {
    return denominator == 1 || denominator == 2 || denominator == 4 || denominator == 8;
}

// Chooses the output colour space: libjpeg converts grey/YCbCr/RGB to RGB itself, but refuses
// CMYK/YCCK -> RGB, so those are decoded as CMYK (libjpeg does YCCK -> CMYK) and converted here.
static int curb_prepare_output(struct jpeg_decompress_struct *cinfo, int denominator) {
    int cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    cinfo->scale_num = 1;
    cinfo->scale_denom = (unsigned int)denominator;
    return cmyk;
}

int curb_jpeg_scaled_size(curb_jpeg_decoder *decoder, int scale_denominator, uint32_t *width, uint32_t *height) {
    struct jpeg_decompress_struct *cinfo = &decoder->info;
    if (!decoder->header_read || !curb_valid_scale(scale_denominator)) return CURB_JPEG_MISUSE;
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        decoder->header_read = 0;
        return CURB_JPEG_FAILED;
    }
    curb_prepare_output(cinfo, scale_denominator);
    jpeg_calc_output_dimensions(cinfo);
    *width = cinfo->output_width;
    *height = cinfo->output_height;
    return CURB_JPEG_OK;
}

void curb_cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, size_t pixels, int inverted) {
    unsigned int flip = inverted ? 255u : 0u;
    for (size_t i = 0; i < pixels; i++) {
        unsigned int k = (unsigned int)cmyk[4 * i + 3] ^ flip;
        unsigned int white = 255u - k;
        for (int channel = 0; channel < 3; channel++) {
            unsigned int ink = (unsigned int)cmyk[4 * i + channel] ^ flip;
            // white * ink / 255 rounded to nearest, the exact integer form Pillow uses.
            unsigned int product = ink * white + 128u;
            unsigned int scaled = ((product >> 8) + product) >> 8;
            rgb[3 * i + channel] = (uint8_t)(white - scaled);
        }
    }
}

int curb_jpeg_decode(curb_jpeg_decoder *decoder, int scale_denominator, uint8_t *rgb, size_t capacity,
                     uint32_t *width, uint32_t *height) {
    struct jpeg_decompress_struct *cinfo = &decoder->info;
    if (!decoder->header_read || !curb_valid_scale(scale_denominator)) {
        curb_jpeg_abort(decoder);
        return CURB_JPEG_MISUSE;
    }
    decoder->header_read = 0;
    if (setjmp(decoder->error.jump)) {
        jpeg_abort_decompress(cinfo);
        return CURB_JPEG_FAILED;
    }
    int cmyk = curb_prepare_output(cinfo, scale_denominator);
    jpeg_calc_output_dimensions(cinfo);
    size_t row_bytes = (size_t)cinfo->output_width * 3;
    if (row_bytes * cinfo->output_height > capacity) {
        jpeg_abort_decompress(cinfo);
        return CURB_JPEG_MISUSE;
    }
    jpeg_start_decompress(cinfo);
    JSAMPARRAY cmyk_row = NULL;
    if (cmyk) {
        // Freed by libjpeg with the image pool when the decompression ends.
        cmyk_row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE, cinfo->output_width * 4, 1);
    }
    int inverted = cinfo->saw_Adobe_marker ? 1 : 0;
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *out = rgb + row_bytes * cinfo->output_scanline;
        if (cmyk) {
            if (jpeg_read_scanlines(cinfo, cmyk_row, 1) != 1) break;
            curb_cmyk_row_to_rgb(cmyk_row[0], out, cinfo->output_width, inverted);
        } else {
            JSAMPROW row = out;
            if (jpeg_read_scanlines(cinfo, &row, 1) != 1) break;
        }
    }
    *width = cinfo->output_width;
    *height = cinfo->output_height;
    jpeg_finish_decompress(cinfo);
    return CURB_JPEG_OK;
}

const char *curb_jpeg_message(const curb_jpeg_decoder *decoder) { return decoder->error.message; }

int curb_jpeg_warning_count(const curb_jpeg_decoder *decoder) { return decoder->error.warnings; }
