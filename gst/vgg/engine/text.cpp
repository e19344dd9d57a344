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
