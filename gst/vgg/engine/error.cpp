/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vgg {

std::string
read_text_file (const std::string &path, const std::string &what)
{
  std::ifstream in (path, std::ios::binary);
  if (!in)
    throw Error (
        "cannot read " + what + " \"" + path + "\": " + std::strerror (errno));
  std::ostringstream text;
  text << in.rdbuf ();
  if (in.bad ())
    throw Error ("cannot read " + what + " \"" + path + "\"");
  return text.str ();
}

} // namespace vgg
