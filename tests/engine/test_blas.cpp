/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Which BLAS LibTorch runs on (gst/vgg/engine/blas.cpp): Debian's BLAS
 * libraries on this machine are told apart, and the answer for this process
 * agrees with what the kernel says is mapped into it.
 */
#include "blas.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <glob.h>

#include <cstdlib>
#include <fstream>

using namespace vgg;

namespace {

std::vector<std::string>
files (const char *pattern)
{
  std::vector<std::string> found;
  glob_t g;
  if (glob (pattern, 0, nullptr, &g) == 0)
    found.assign (g.gl_pathv, g.gl_pathv + g.gl_pathc);
  globfree (&g);
  return found;
}

} // namespace

TEST (Blas, DebianLibrariesToldApart)
{
  std::vector<std::string> reference = files ("/usr/lib/*/blas/libblas.so.3");
  std::vector<std::string> optimised
      = files ("/usr/lib/*/openblas-*/libblas.so.3");
  if (reference.empty () && optimised.empty ())
    GTEST_SKIP () << "no Debian BLAS library here";
  for (const std::string &p : reference)
    EXPECT_TRUE (is_reference_blas (p)) << p;
  for (const std::string &p : optimised)
    EXPECT_FALSE (is_reference_blas (p)) << p;
  EXPECT_FALSE (is_reference_blas ("/nonexistent/blas/libblas.so.3"));
}

/* /proc/self/maps names the real files mapped, symbolic links resolved.
 * With VGG_EXPECT_REFERENCE_BLAS set (meson's engine/reference-blas test
 * puts Debian's reference BLAS first), that is the one found. */
TEST (Blas, LoadedOneIsWhatIsMapped)
{
  /* A matrix product, so that LibTorch has surely loaded its BLAS. */
  torch::mm (torch::ones ({2, 2}), torch::ones ({2, 2}));
  bool reference_mapped = false;
  std::ifstream maps ("/proc/self/maps");
  for (std::string line; std::getline (maps, line);)
    if (line.find ("/blas/libblas.so") != std::string::npos)
      reference_mapped = true;
  std::string loaded = loaded_reference_blas ();
  EXPECT_EQ (!loaded.empty (), reference_mapped) << "loaded: " << loaded;
  if (std::getenv ("VGG_EXPECT_REFERENCE_BLAS")) {
    EXPECT_TRUE (is_reference_blas (loaded)) << "loaded: " << loaded;
  }
}
