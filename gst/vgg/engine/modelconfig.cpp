/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "modelconfig.h"
#include "error.h"

#include <nlohmann/json.hpp>

#include <cmath>

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

  std::array<float, 3> triple (const json &v, const std::string &key) const
  {
    if (!v.is_array () || v.size () != 3)
      fail (key, "must be an array of 3 numbers");
    std::array<float, 3> out;
    for (int i = 0; i < 3; i++)
      out[i] = (float) number (v[i], key);
    return out;
  }

  int size (const json &v, const std::string &key) const
  {
    if (!v.is_number_integer ())
      fail (key, "must be an integer");
    long long n = v.get<long long> ();
    if (n < 1 || n > 4096)
      fail (key, "must be within 1..4096");
    return (int) n;
  }

private:
  std::string source_;
};

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
    throw Error (
        "model sidecar \"" + source + "\" is not valid JSON: " + e.what ());
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
          double s = r.number (iv, k);
          if (!(s > 0))
            r.fail (k, "must be positive");
          cfg.input.scale = (float) s;
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
    } else {
      cfg.warnings.push_back ("unknown key \"" + key + "\" ignored");
    }
  }
  return cfg;
}

} // namespace vgg
