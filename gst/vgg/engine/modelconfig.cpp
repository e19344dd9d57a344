/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "modelconfig.h"
#include "error.h"
#include "text.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace vgg {

using json = nlohmann::json;

InputSpec
apply_preset (InputSpec spec, Preset preset)
{
  switch (preset) {
    case Preset::Auto:
      break;
    case Preset::Torchvision:
      spec.order = ChannelOrder::RGB;
      spec.scale = 1.0f / 255.0f;
      spec.mean = {0.485f, 0.456f, 0.406f};
      spec.std = {0.229f, 0.224f, 0.225f};
      break;
    case Preset::Caffe:
      /* Keras' VGG16 preprocess_input: BGR, mean subtracted, no scaling. */
      spec.order = ChannelOrder::BGR;
      spec.scale = 1.0f;
      spec.mean = {103.939f, 116.779f, 123.68f};
      spec.std = {1.0f, 1.0f, 1.0f};
      break;
  }
  return spec;
}

std::string
sidecar_path (const std::string &model_path)
{
  size_t slash = model_path.find_last_of ('/');
  size_t dot = model_path.find_last_of ('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return model_path + ".json";
  return model_path.substr (0, dot) + ".json";
}

namespace {

class Reader
{
public:
  explicit Reader (const std::string &source) : source_ (source) {}

  [[noreturn]] void fail (const std::string &key, const std::string &msg) const
  {
    throw Error ("model sidecar \"" + source_ + "\": \"" + key + "\" " + msg);
  }

  double number (const json &v, const std::string &key) const
  {
    if (!v.is_number ())
      fail (key, "must be a number");
    double d = v.get<double> ();
    if (!std::isfinite (d))
      fail (key, "must be finite");
    return d;
  }

  std::string string (const json &v, const std::string &key) const
  {
    if (!v.is_string ())
      fail (key, "must be a string");
    return v.get<std::string> ();
  }

  /* The engine computes in float: beyond its range a number becomes inf
   * and every score NaN. */
  float single (const json &v, const std::string &key) const
  {
    double d = number (v, key);
    if (std::fabs (d) > std::numeric_limits<float>::max ())
      fail (key, "is beyond the float range (+-3.4e38)");
    return (float) d;
  }

  std::array<float, 3> triple (const json &v, const std::string &key) const
  {
    if (!v.is_array () || v.size () != 3)
      fail (key, "must be an array of 3 numbers");
    std::array<float, 3> out;
    for (int i = 0; i < 3; i++)
      out[i] = single (v[i], key);
    return out;
  }

  /* The largest input side. Each region is resized to the input, and that
   * tensor and the network's activations grow with its area: VGG16's first
   * block alone holds 64 float32 channels of it (4 GiB for one 4096x4096
   * region, 1 GiB at 2048). Published ImageNet classifiers take 224 to
   * 600 px (EfficientNet-B7) and detection backbones up to about 1333:
   * 2048 leaves room for those and refuses inputs where every region of a
   * batch takes gigabytes. */
  static constexpr int kMaxInputSide = 2048;

  int size (const json &v, const std::string &key) const
  {
    if (!v.is_number_integer ())
      fail (key, "must be an integer");
    long long n = v.get<long long> ();
    if (n < 1 || n > kMaxInputSide)
      fail (key,
          "must be within 1.." + std::to_string (kMaxInputSide)
              + " (larger inputs need gigabytes per region)");
    return (int) n;
  }

private:
  std::string source_;
};

/* Each input channel is (pixel * scale - mean) / std, which preprocess.cpp
 * computes in float as pixel * (scale / std) + (-mean / std). Numbers within
 * float's range can still overflow there (std 1e-45 makes 1 / std inf) and
 * turn every score into NaN: both forms are evaluated in float, as the
 * engine does, at the extreme pixels (both are monotonic in the pixel).
 * @given names the sidecar's keys among scale, mean and std. */
void
check_normalisation (
    const InputSpec &in, const std::string &given, const std::string &source)
{
  for (int c = 0; c < 3; c++) {
    const float scale = in.scale, mean = in.mean[c], sd = in.std[c];
    const float factor = scale / sd, shift = -mean / sd;
    for (float pixel : {0.0f, 255.0f}) {
      /* One operation a statement: no fused multiply-add. */
      const float scaled = pixel * factor;
      const float fused = scaled + shift;
      const float centred = pixel * scale - mean;
      const float stepwise = centred / sd;
      if (!std::isfinite (factor) || !std::isfinite (shift)
          || !std::isfinite (fused) || !std::isfinite (centred)
          || !std::isfinite (stepwise))
        throw Error ("model sidecar \"" + source
            + "\": (pixel * scale - mean) / std overflows float for pixel "
            + std::to_string ((int) pixel) + " in channel " + std::to_string (c)
            + " (check " + given + ")");
    }
  }
}

} // namespace

ModelConfig
parse_model_config (const std::string &text, const std::string &source,
    const std::string &base_dir)
{
  ModelConfig cfg;
  Reader r (source);
  json doc;

  try {
    doc = json::parse (text);
  } catch (const json::exception &e) {
    /* The message quotes the bytes it read, which need not be UTF-8. */
    throw Error ("model sidecar \"" + source
        + "\" is not valid JSON: " + to_valid_utf8 (e.what ()));
  }
  if (!doc.is_object ())
    throw Error ("model sidecar \"" + source + "\" must hold a JSON object");

  for (auto it = doc.begin (); it != doc.end (); ++it) {
    const std::string &key = it.key ();
    const json &v = it.value ();
    if (key == "name") {
      cfg.name = r.string (v, key);
    } else if (key == "labels") {
      std::string p = r.string (v, key);
      if (p.empty ())
        r.fail (key, "must not be empty");
      cfg.labels_path
          = (p[0] == '/' || base_dir.empty ()) ? p : base_dir + "/" + p;
    } else if (key == "gradcam_layer") {
      cfg.gradcam_layer = r.string (v, key);
    } else if (key == "input") {
      if (!v.is_object ())
        r.fail (key, "must be an object");
      for (auto in = v.begin (); in != v.end (); ++in) {
        const std::string k = "input." + in.key ();
        const json &iv = in.value ();
        if (in.key () == "width") {
          cfg.input.width = r.size (iv, k);
        } else if (in.key () == "height") {
          cfg.input.height = r.size (iv, k);
        } else if (in.key () == "order") {
          std::string o = r.string (iv, k);
          if (o == "RGB")
            cfg.input.order = ChannelOrder::RGB;
          else if (o == "BGR")
            cfg.input.order = ChannelOrder::BGR;
          else
            r.fail (k, "must be \"RGB\" or \"BGR\"");
        } else if (in.key () == "scale") {
          float s = r.single (iv, k);
          if (!(s > 0))
            r.fail (k, "must be positive");
          cfg.input.scale = s;
        } else if (in.key () == "mean") {
          cfg.input.mean = r.triple (iv, k);
        } else if (in.key () == "std") {
          cfg.input.std = r.triple (iv, k);
          for (float s : cfg.input.std)
            if (!(s > 0))
              r.fail (k, "must hold positive numbers");
        } else {
          cfg.warnings.push_back ("unknown key \"" + k + "\" ignored");
        }
      }
      std::string given;
      for (const char *key : {"scale", "mean", "std"})
        if (v.contains (key))
          given += std::string (given.empty () ? "" : ", ") + "\"input." + key
              + "\"";
      if (!given.empty ())
        check_normalisation (cfg.input, given, source);
    } else {
      cfg.warnings.push_back ("unknown key \"" + key + "\" ignored");
    }
  }
  return cfg;
}

} // namespace vgg
