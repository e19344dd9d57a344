/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Small text helpers for the parsers and the elements' list properties.
 */
#pragma once

#include <string>
#include <vector>

namespace vgg {

/* @s without leading and trailing white space. */
std::string trim (const std::string &s);

/* @s cut at every @sep ("a,,b," gives "a", "", "b", ""). */
std::vector<std::string> split (const std::string &s, char sep);

/* True for 1 to 9 decimal digits (an index that fits an int). */
bool is_decimal (const std::string &s);

/* Reads a whole text file; throws Error "cannot read @what \"@path\": why". */
std::string read_text_file (const std::string &path, const std::string &what);

/* Throws the same Error as read_text_file if @path cannot be opened. */
void check_readable (const std::string &path, const std::string &what);

} // namespace vgg
