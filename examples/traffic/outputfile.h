/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

/* An output written under a temporary name (PATH.part) and renamed to PATH
 * only when complete, so that no half-written file is ever left at PATH.
 * Every write, the final flush and close, and the rename are checked: the
 * first failure is kept as "cannot write PATH: why". */
class OutputFile
{
public:
  OutputFile () = default;
  explicit OutputFile (const std::string &path) : path_ (path) {}
  OutputFile (const OutputFile &) = delete;
  OutputFile &operator= (const OutputFile &) = delete;
  OutputFile &operator= (OutputFile &&other);
  ~OutputFile () { discard (); }

  bool wanted () const { return !path_.empty (); }
  const std::string &path () const { return path_; }
  std::string temp () const { return path_ + ".part"; }
  const std::string &error () const { return error_; }

  /* Creates the temporary file, open for write (). */
  bool create ();
  /* Closes the temporary file for another writer (a filesink). */
  void hand_over ();
  /* Appends @size bytes; false once any write has failed. */
  bool write (const void *data, size_t size);
  bool write (const std::string &text)
  {
    return write (text.data (), text.size ());
  }
  /* Flushes the temporary file to disk and closes it. */
  bool finish ();
  /* Renames the finished temporary file to the final name. */
  bool commit ();
  /* Removes the temporary file if it is still there. */
  void discard ();
  /* Removes the committed file (a later output failed). */
  void retract ();

private:
  bool failed (const std::string &why);

  std::string path_, error_;
  std::FILE *file_ = nullptr;
  bool created_ = false, committed_ = false;
};
