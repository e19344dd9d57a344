/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace vgg {

/* What went wrong, in words a user can act on; the engine throws nothing
 * else across its API (LibTorch errors are caught and rephrased). */
class Error : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

enum class LogLevel
{
  Error,
  Warning,
  Info,
  Debug
};
using LogFunc = std::function<void (LogLevel, const std::string &)>;

} // namespace vgg
