/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: parse_model_config. What it accepts must be usable:
 * sizes within the limit, and a normalisation that stays finite in float
 * for every pixel value.
 */
#include "fuzz.h"
#include "modelconfig.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_run (data, size, [] (const std::string &text) {
    vgg::ModelConfig c = vgg::parse_model_config (text, "fuzz.json", "/m");
    const vgg::InputSpec &in = c.input;
    fuzz_require (in.width >= 1 && in.width <= 2048 && in.height >= 1
            && in.height <= 2048,
        "input size out of range");
    fuzz_require (in.scale > 0 && std::isfinite (in.scale), "bad scale");
    for (int ch = 0; ch < 3; ch++) {
      fuzz_require (in.std[ch] > 0 && std::isfinite (in.std[ch])
              && std::isfinite (in.mean[ch]),
          "bad mean or std");
      /* Every pixel value, as a float tensor would hold it. */
      for (int p = 0; p < 256; p++) {
        volatile float x = (float) p * (in.scale / in.std[ch]);
        volatile float y = x + (-in.mean[ch] / in.std[ch]);
        fuzz_require (std::isfinite (y),
            "normalisation overflows at pixel " + std::to_string (p));
      }
    }
    for (const std::string *s : {&c.name, &c.labels_path, &c.gradcam_layer})
      fuzz_require (vgg::invalid_utf8_at (*s) == std::string::npos,
          "a string that is not UTF-8");
  });
  return 0;
}
