/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: parse_labels, then find_label on what it returned.
 */
#include "fuzz.h"
#include "labels.h"

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_run (data, size, [] (const std::string &text) {
    auto labels = vgg::parse_labels (text, "fuzz.txt");
    fuzz_require (!labels.empty (), "no labels and no error");
    for (const vgg::Label &l : labels) {
      fuzz_require (!l.name.empty (), "an empty label");
      for (const std::string *s : {&l.name, &l.wnid, &l.display})
        fuzz_require (vgg::invalid_utf8_at (*s) == std::string::npos,
            "a label that is not UTF-8: " + *s);
    }
    /* A label is found by its name (a decimal name is an index instead;
     * an ambiguous name is an Error). */
    const std::string &key = labels.back ().name;
    int id = vgg::find_label (labels, key);
    if (!vgg::is_decimal (key))
      fuzz_require (id >= 0 && id < (int) labels.size ()
              && (labels[id].name == key || labels[id].display == key
                  || labels[id].wnid == key),
          "label not found: " + key);
  });
  return 0;
}
