/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared by the libFuzzer targets: a parser may return or throw vgg::Error
 * with a UTF-8 message (it becomes a GStreamer error text); anything else
 * (another exception, a crash, a sanitizer report) is a finding.
 */
#pragma once

#include "error.h"
#include "text.h"

#include <cstdio>
#include <cstdlib>
#include <string>

/* Aborts with @what: libFuzzer keeps the input as a crash. */
[[noreturn]] inline void
fuzz_finding (const std::string &what)
{
  std::fprintf (stderr, "fuzz finding: %s\n", what.c_str ());
  std::abort ();
}

inline void
fuzz_require (bool condition, const std::string &what)
{
  if (!condition)
    fuzz_finding (what);
}

/* Runs @parse on the input; a vgg::Error must have a UTF-8 message. */
template <typename F>
void
fuzz_run (const uint8_t *data, size_t size, F parse)
{
  const std::string text ((const char *) data, size);
  try {
    parse (text);
  } catch (const vgg::Error &e) {
    fuzz_require (vgg::invalid_utf8_at (e.what ()) == std::string::npos,
        std::string ("error message not UTF-8: ") + e.what ());
  }
}
