/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "text.h"
#include "error.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vgg {

std::string
trim (const std::string &s)
{
  size_t a = 0, b = s.size ();
  while (a < b && std::isspace ((unsigned char) s[a]))
    a++;
  while (b > a && std::isspace ((unsigned char) s[b - 1]))
    b--;
  return s.substr (a, b - a);
}

std::vector<std::string>
split (const std::string &s, char sep)
{
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in (s);
  while (std::getline (in, part, sep))
    parts.push_back (part);
  if (!s.empty () && s.back () == sep)
    parts.push_back ("");
  return parts;
}

bool
is_decimal (const std::string &s)
{
  if (s.empty () || s.size () > 9)
    return false;
  for (char c : s)
    if (!std::isdigit ((unsigned char) c))
      return false;
  return true;
}

size_t
invalid_utf8_at (const std::string &s)
{
  const size_t n = s.size ();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t len;
    /* The range of the second byte: narrower than 80..BF after E0 and F0
     * (overlong forms), ED (surrogates) and F4 (above U+10FFFF). */
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0)
        lo = 0xa0;
      else if (c == 0xed)
        hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0)
        lo = 0x90;
      else if (c == 0xf4)
        hi = 0x8f;
    } else {
      return i; /* a continuation byte, C0, C1 or F5..FF */
    }
    if (i + len > n)
      return i;
    for (size_t k = 1; k < len; k++) {
      unsigned char b = s[i + k];
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf))
        return i;
    }
    i += len;
  }
  return std::string::npos;
}

std::string
to_valid_utf8 (const std::string &s)
{
  std::string out;
  size_t from = 0, at;
  while ((at = invalid_utf8_at (s.substr (from))) != std::string::npos) {
    out += s.substr (from, at) + "\xef\xbf\xbd";
    from += at + 1;
  }
  return out + s.substr (from);
}

void
require_utf8 (const std::string &line, const std::string &where)
{
  size_t at = invalid_utf8_at (line);
  if (at != std::string::npos)
    throw Error (
        where + ": not valid UTF-8 (byte " + std::to_string (at + 1) + ")");
}

std::string
without_bom (const std::string &text)
{
  return text.rfind ("\xef\xbb\xbf", 0) == 0 ? text.substr (3) : text;
}

static std::ifstream
open_or_throw (const std::string &path, const std::string &what)
{
  std::ifstream in (path, std::ios::binary);
  if (!in)
    throw Error (
        "cannot read " + what + " \"" + path + "\": " + std::strerror (errno));
  return in;
}

std::string
read_text_file (const std::string &path, const std::string &what)
{
  std::ifstream in = open_or_throw (path, what);
  std::ostringstream text;
  text << in.rdbuf ();
  if (in.bad ())
    throw Error ("cannot read " + what + " \"" + path + "\"");
  return text.str ();
}

void
check_readable (const std::string &path, const std::string &what)
{
  open_or_throw (path, what);
}

} // namespace vgg
