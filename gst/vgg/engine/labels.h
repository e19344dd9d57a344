/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string>
#include <vector>

namespace vgg {

struct Label
{
  std::string name;    /* Keras-style name, e.g. "tow_truck" */
  std::string wnid;    /* WordNet id, e.g. "n04461696"; may be empty */
  std::string display; /* e.g. "tow truck"; may equal name */
};

/* Parses a labels file: either one label per line (the GStreamer
 * convention), or the TSV of imagenet-labels.tsv (lines "index<TAB>wnid<TAB>
 * name<TAB>display", '#' comments, indices 0, 1, 2, ... in order). Throws
 * Error naming @source and the line on malformed input. */
std::vector<Label> parse_labels (
    const std::string &text, const std::string &source);

/* "class 0", "class 1", ... for models without labels. */
std::vector<Label> numbered_labels (int count);

/* Index of the label named @key (name, display name, WordNet id or the
 * decimal index); -1 if none; throws Error if the name is ambiguous. */
int find_label (const std::vector<Label> &labels, const std::string &key);

} // namespace vgg
