/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Which BLAS LibTorch runs on. Debian's LibTorch takes its matrix products
 * (VGG16's fully-connected layers) from whatever libblas.so.3 the system
 * provides, and a system without an optimised one gets the reference
 * implementation: single-threaded and several times slower.
 */
#pragma once

#include <string>

namespace vgg {

/* The path of the libblas.so.3 loaded into this process if it is Debian's
 * reference (netlib) BLAS; "" for an optimised BLAS, or when LibTorch
 * brought its own (PyPI's LibTorch: MKL inside). */
std::string loaded_reference_blas ();

/* Whether the library at @path (after symbolic links: the alternatives
 * system's libblas.so.3) is Debian's reference BLAS, which lives in the
 * multiarch libdir's blas/ (OpenBLAS in openblas-*, BLIS in blis-*, ATLAS
 * in atlas/). */
bool is_reference_blas (const std::string &path);

} // namespace vgg
