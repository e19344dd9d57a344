/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string>

/* An output written under a temporary name (PATH.part) and renamed to PATH
 * only when complete, so that no half-written file is ever left at PATH. */
class OutputFile
{
public:
  OutputFile () = default;
  explicit OutputFile (const std::string &path) : path_ (path) {}
  ~OutputFile () { discard (); }

  bool wanted () const { return !path_.empty (); }
  const std::string &path () const { return path_; }
  std::string temp () const { return path_ + ".part"; }

  /* Creates the temporary file; false with @error if it cannot be written. */
  bool create (std::string &error);
  /* Renames the temporary file to the final name. */
  bool commit (std::string &error);
  /* Removes the temporary file if it is still there. */
  void discard ();

private:
  std::string path_;
  bool created_ = false;
};
