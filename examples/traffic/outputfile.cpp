/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "outputfile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

bool
OutputFile::create (std::string &error)
{
  FILE *f = std::fopen (temp ().c_str (), "wb");
  if (!f) {
    error = "cannot write " + path_ + ": " + std::strerror (errno);
    return false;
  }
  std::fclose (f);
  created_ = true;
  return true;
}

bool
OutputFile::commit (std::string &error)
{
  if (!created_)
    return true;
  if (std::rename (temp ().c_str (), path_.c_str ()) != 0) {
    error = "cannot write " + path_ + ": " + std::strerror (errno);
    return false;
  }
  created_ = false;
  return true;
}

void
OutputFile::discard ()
{
  if (created_)
    std::remove (temp ().c_str ());
  created_ = false;
}
