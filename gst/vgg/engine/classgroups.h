/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "labels.h"

#include <string>
#include <vector>

namespace vgg {

struct ClassGroup
{
  std::string name;
  std::vector<int> class_ids;
};

/* Parses a class-group file against the model's labels:
 *
 *     # comment
 *     [vehicle]
 *     minivan          # a name, display name, WordNet id or class index
 *     n04461696
 *
 * Group names start with a letter and hold letters, digits, '-' and '_'.
 * Throws Error naming @source and the line on anything malformed, on an
 * entry that is not one of @labels, and on an empty or repeated group. */
std::vector<ClassGroup> parse_class_groups (const std::string &text,
    const std::string &source, const std::vector<Label> &labels);

} // namespace vgg
