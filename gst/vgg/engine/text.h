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

/* Offset of the first byte of @s that does not belong to well-formed UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or
 * std::string::npos when all of @s is valid. */
size_t invalid_utf8_at (const std::string &s);

/* @s with every byte that is not part of UTF-8 replaced by U+FFFD. */
std::string to_valid_utf8 (const std::string &s);

/* Throws Error "@where: not valid UTF-8 (byte N)" unless @line is UTF-8:
 * labels end up in GStreamer strings and JSON, which must be UTF-8. */
void require_utf8 (const std::string &line, const std::string &where);

/* @text without a leading UTF-8 byte order mark (as Windows editors write). */
std::string without_bom (const std::string &text);

/* Reads a whole text file; throws Error "cannot read @what \"@path\": why". */
std::string read_text_file (const std::string &path, const std::string &what);

/* Throws the same Error as read_text_file if @path cannot be opened. */
void check_readable (const std::string &path, const std::string &what);

} // namespace vgg
