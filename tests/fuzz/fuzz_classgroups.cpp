/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: parse_class_groups against the shipped ImageNet labels
 * (names, display names, WordNet ids, indices, and the ambiguous "crane").
 */
#include "classgroups.h"
#include "fuzz.h"

#include <cstddef>
#include <cstdint>

static const std::vector<vgg::Label> &
imagenet ()
{
  static const std::vector<vgg::Label> labels = vgg::parse_labels (
      vgg::read_text_file (VGG_MODELS_DIR "/imagenet-labels.tsv", "labels"),
      "imagenet-labels.tsv");
  return labels;
}

extern "C" int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const auto &labels = imagenet ();
  fuzz_run (data, size, [&] (const std::string &text) {
    auto groups = vgg::parse_class_groups (text, "fuzz.txt", labels);
    for (const vgg::ClassGroup &g : groups) {
      fuzz_require (!g.name.empty () && !g.class_ids.empty (),
          "an empty group or group name");
      for (int id : g.class_ids)
        fuzz_require (id >= 0 && id < (int) labels.size (),
            "class id out of range: " + std::to_string (id));
    }
  });
  return 0;
}
