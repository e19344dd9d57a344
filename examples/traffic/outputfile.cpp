/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "outputfile.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

OutputFile &
OutputFile::operator= (OutputFile &&other)
{
  discard ();
  path_ = std::move (other.path_);
  error_ = std::move (other.error_);
  file_ = other.file_;
  created_ = other.created_;
  committed_ = other.committed_;
  other.file_ = nullptr;
  other.created_ = other.committed_ = false;
  return *this;
}

bool
OutputFile::failed (const std::string &why)
{
  if (error_.empty ())
    error_ = "cannot write " + path_ + ": " + why;
  return false;
}

bool
OutputFile::create ()
{
  file_ = std::fopen (temp ().c_str (), "wb");
  if (!file_)
    return failed (std::strerror (errno));
  created_ = true;
  return true;
}

void
OutputFile::hand_over ()
{
  if (file_)
    std::fclose (file_);
  file_ = nullptr;
}

bool
OutputFile::write (const void *data, size_t size)
{
  if (!error_.empty ())
    return false;
  if (!file_)
    return failed ("not open");
  if (size > 0 && std::fwrite (data, 1, size, file_) != size)
    return failed (std::strerror (errno));
  return true;
}

bool
OutputFile::finish ()
{
  if (!error_.empty ())
    return false;
  if (!file_)
    return true;
  /* A full disk may only show when the buffer is written out or the data
   * reaches the disk, or at the close: each is checked. */
  int err = 0;
  if (std::fflush (file_) != 0)
    err = errno;
  else if (fsync (fileno (file_)) != 0 && errno != EINVAL)
    err = errno; /* EINVAL: a special file, which has nothing to sync */
  if (std::fclose (file_) != 0 && err == 0)
    err = errno;
  file_ = nullptr;
  return err == 0 || failed (std::strerror (err));
}

bool
OutputFile::commit ()
{
  if (!created_)
    return true;
  if (!finish ())
    return false;
  if (std::rename (temp ().c_str (), path_.c_str ()) != 0)
    return failed (std::strerror (errno));
  created_ = false;
  committed_ = true;
  return true;
}

void
OutputFile::discard ()
{
  if (file_)
    std::fclose (file_);
  file_ = nullptr;
  if (created_)
    std::remove (temp ().c_str ());
  created_ = false;
}

void
OutputFile::retract ()
{
  if (committed_)
    std::remove (path_.c_str ());
  committed_ = false;
}
