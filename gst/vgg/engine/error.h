/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace vgg {

/* What went wrong, in one line a user can act on; the engine throws nothing
 * else across its API (LibTorch errors are caught and rephrased). Long
 * details (a TorchScript traceback) go apart, for debug output. */
class Error : public std::runtime_error
{
public:
  explicit Error (const std::string &what, std::string details = {})
      : std::runtime_error (what), details_ (std::move (details))
  {}

  const std::string &details () const { return details_; }

private:
  std::string details_;
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
