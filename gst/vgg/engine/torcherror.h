/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "error.h"

#include <c10/util/Exception.h>

#include <exception>
#include <sstream>
#include <string>

namespace vgg {

/* An exception from LibTorch (c10::Error, a TorchScript interpreter error,
 * std::bad_alloc...) as an Error: "@context: " and the one line that says
 * what went wrong, the whole text as details. A TorchScript error starts
 * with its traceback and ends with the cause ("RuntimeError: ..."). */
inline Error
torch_error (const std::string &context, const std::exception &e)
{
  const c10::Error *c10e = dynamic_cast<const c10::Error *> (&e);
  const std::string text = c10e ? c10e->what_without_backtrace () : e.what ();
  std::istringstream lines (text);
  std::string line, first, last;
  while (std::getline (lines, line)) {
    if (line.find_first_not_of (" \t") == std::string::npos)
      continue;
    if (first.empty ())
      first = line;
    last = line;
  }
  const bool traceback = first.rfind ("The following operation failed", 0) == 0
      || first.rfind ("Traceback", 0) == 0;
  std::string cause = traceback ? last : first;
  cause.erase (0, cause.find_first_not_of (" \t"));
  return Error (
      context + ": " + (cause.empty () ? "unknown error" : cause), text);
}

} // namespace vgg
