/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The labels, sidecar and class-group parsers: what they accept, the
 * messages they give, and fuzz-style random and truncated input (which must
 * end in a result or a vgg::Error, never a crash or another exception).
 */
#include "classgroups.h"
#include "error.h"
#include "labels.h"
#include "modelconfig.h"
#include "text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace vgg;

namespace {

std::string
imagenet_tsv ()
{
  return read_text_file (VGG_MODELS_DIR "/imagenet-labels.tsv", "labels");
}

std::string
error_of (const std::function<void ()> &f)
{
  try {
    f ();
  } catch (const Error &e) {
    return e.what ();
  }
  return "";
}

} // namespace

TEST (Labels, PlainOnePerLine)
{
  auto l = parse_labels ("cat\ndog\r\n  bird  \n\n", "x.txt");
  ASSERT_EQ (l.size (), 3u);
  EXPECT_EQ (l[0].name, "cat");
  EXPECT_EQ (l[1].name, "dog");
  EXPECT_EQ (l[2].name, "bird");
  EXPECT_EQ (l[2].wnid, "");
}

TEST (Labels, ImageNetTsv)
{
  auto l = parse_labels (imagenet_tsv (), "imagenet-labels.tsv");
  ASSERT_EQ (l.size (), 1000u);
  EXPECT_EQ (l[668].name, "mosque");
  EXPECT_EQ (l[668].wnid, "n03788195");
  EXPECT_EQ (l[864].name, "tow_truck");
  EXPECT_EQ (l[864].display, "tow truck");
  EXPECT_EQ (l[0].name, "tench");
}

TEST (Labels, Errors)
{
  EXPECT_EQ (error_of ([] { parse_labels ("", "e.txt"); }),
      "labels file \"e.txt\" has no labels");
  EXPECT_EQ (error_of ([] { parse_labels ("a\n\nb\n", "g.txt"); }),
      "labels file \"g.txt\" line 2: empty label");
  EXPECT_EQ (
      error_of ([] { parse_labels ("0\tn1\ta\ta\n2\tn2\tb\tb\n", "t.tsv"); }),
      "labels file \"t.tsv\" line 2: expected index 1, found \"2\"");
  EXPECT_EQ (error_of ([] { parse_labels ("0\tn1\n", "t.tsv"); }),
      "labels file \"t.tsv\" line 1: expected index, WordNet id, name and "
      "display name separated by tabs");
  EXPECT_NE (error_of ([] {
    parse_labels (std::string ("a\0b", 3), "b");
  }).find ("is not text"),
      std::string::npos);
}

TEST (Labels, Find)
{
  auto l = parse_labels (imagenet_tsv (), "imagenet-labels.tsv");
  EXPECT_EQ (find_label (l, "tow_truck"), 864);
  EXPECT_EQ (find_label (l, "tow truck"), 864);
  EXPECT_EQ (find_label (l, "n04461696"), 864);
  EXPECT_EQ (find_label (l, "864"), 864);
  EXPECT_EQ (find_label (l, "1000"), -1);
  EXPECT_EQ (find_label (l, "unicorn"), -1);
  /* Keras names "crane" twice (the bird, 134, and the machine, 517). */
  EXPECT_NE (error_of ([&] { find_label (l, "crane"); }).find ("134 and 517"),
      std::string::npos);
  EXPECT_EQ (find_label (l, "n03126707"), 517);
}

TEST (ClassGroups, ShippedVehicleGroup)
{
  auto l = parse_labels (imagenet_tsv (), "imagenet-labels.tsv");
  auto g = parse_class_groups (
      read_text_file (VGG_MODELS_DIR "/imagenet-class-groups.txt", "groups"),
      "imagenet-class-groups.txt", l);
  ASSERT_EQ (g.size (), 1u);
  EXPECT_EQ (g[0].name, "vehicle");
  EXPECT_GE (g[0].class_ids.size (), 25u);
  /* The blog's quadrant predictions: minivan, cab, tow_truck; and other
   * road and rail vehicles: police_van, school_bus, streetcar, trolleybus. */
  for (int id : {656, 468, 864, 829, 874, 779, 734})
    EXPECT_NE (std::find (g[0].class_ids.begin (), g[0].class_ids.end (), id),
        g[0].class_ids.end ())
        << "class " << id << " missing";
  /* Not vehicles: mosque, dome, car_wheel (a part), shopping_cart. */
  for (int id : {668, 538, 479, 791})
    EXPECT_EQ (std::find (g[0].class_ids.begin (), g[0].class_ids.end (), id),
        g[0].class_ids.end ());
}

TEST (ClassGroups, Parse)
{
  auto l = numbered_labels (5);
  auto g = parse_class_groups (
      "# c\n[odd]\n1\n3 # three\n3\n\n[even-2_x]\n0\n2\n4\n", "g", l);
  ASSERT_EQ (g.size (), 2u);
  EXPECT_EQ (g[0].name, "odd");
  EXPECT_EQ (g[0].class_ids, (std::vector<int>{1, 3}));
  EXPECT_EQ (g[1].name, "even-2_x");
  EXPECT_EQ (g[1].class_ids, (std::vector<int>{0, 2, 4}));
}

TEST (ClassGroups, Errors)
{
  auto l = numbered_labels (3);
  EXPECT_EQ (error_of ([&] { parse_class_groups ("1\n", "g", l); }),
      "class-groups file \"g\" line 1: \"1\" comes before any [group]");
  EXPECT_EQ (error_of ([&] { parse_class_groups ("[a]\n7\n", "g", l); }),
      "class-groups file \"g\" line 2: \"7\" is not a class of the model");
  EXPECT_EQ (error_of ([&] { parse_class_groups ("[a]\n[b]\n1\n", "g", l); }),
      "class-groups file \"g\": group \"a\" has no classes");
  EXPECT_EQ (
      error_of ([&] { parse_class_groups ("[a]\n1\n[a]\n2\n", "g", l); }),
      "class-groups file \"g\" line 3: group \"a\" appears twice");
  EXPECT_NE (error_of ([&] {
    parse_class_groups ("[9a]\n1\n", "g", l);
  }).find ("not a valid group name"),
      std::string::npos);
  /* Group scores have their own fields: a group may be called "label". */
  EXPECT_EQ (parse_class_groups ("[label]\n1\n", "g", l).at (0).name, "label");
  EXPECT_EQ (error_of ([&] { parse_class_groups ("[a\n", "g", l); }),
      "class-groups file \"g\" line 1: expected \"[group]\"");
}

TEST (ModelConfig, Full)
{
  auto c = parse_model_config (R"({"name": "m", "labels": "l.tsv",
      "gradcam_layer": "features.29", "extra": 1,
      "input": {"width": 64, "height": 48, "order": "BGR", "scale": 1,
                "mean": [1, 2, 3], "std": [4, 5, 6]}})",
      "m.json", "/models");
  EXPECT_EQ (c.name, "m");
  EXPECT_EQ (c.labels_path, "/models/l.tsv");
  EXPECT_EQ (c.gradcam_layer, "features.29");
  EXPECT_EQ (c.input.width, 64);
  EXPECT_EQ (c.input.height, 48);
  EXPECT_EQ (c.input.order, ChannelOrder::BGR);
  EXPECT_FLOAT_EQ (c.input.scale, 1.0f);
  EXPECT_FLOAT_EQ (c.input.mean[2], 3.0f);
  EXPECT_FLOAT_EQ (c.input.std[0], 4.0f);
  ASSERT_EQ (c.warnings.size (), 1u);
  EXPECT_EQ (c.warnings[0], "unknown key \"extra\" ignored");
}

TEST (ModelConfig, DefaultsAndPresets)
{
  auto c = parse_model_config ("{}", "m.json", "/m");
  EXPECT_EQ (c.input.width, 224);
  EXPECT_EQ (c.input.order, ChannelOrder::RGB);
  EXPECT_FLOAT_EQ (c.input.mean[0], 0.485f);
  auto caffe = apply_preset (c.input, Preset::Caffe);
  EXPECT_EQ (caffe.order, ChannelOrder::BGR);
  EXPECT_FLOAT_EQ (caffe.scale, 1.0f);
  EXPECT_FLOAT_EQ (caffe.mean[0], 103.939f);
  EXPECT_FLOAT_EQ (caffe.std[1], 1.0f);
  auto abs = parse_model_config (R"({"labels": "/abs/l.txt"})", "m", "/m");
  EXPECT_EQ (abs.labels_path, "/abs/l.txt");
  EXPECT_EQ (sidecar_path ("/a/b.c/vgg16.pt"), "/a/b.c/vgg16.json");
  EXPECT_EQ (sidecar_path ("/a/b.c/model"), "/a/b.c/model.json");
}

TEST (ModelConfig, Errors)
{
  auto err = [] (const std::string &json) {
    return error_of ([&] { parse_model_config (json, "s.json", "/"); });
  };
  EXPECT_NE (err ("{").find ("model sidecar \"s.json\" is not valid JSON"),
      std::string::npos);
  EXPECT_EQ (err ("[1]"), "model sidecar \"s.json\" must hold a JSON object");
  EXPECT_EQ (err (R"({"input": {"width": 0}})"),
      "model sidecar \"s.json\": \"input.width\" must be within 1..4096");
  EXPECT_EQ (err (R"({"input": {"width": 2.5}})"),
      "model sidecar \"s.json\": \"input.width\" must be an integer");
  EXPECT_EQ (err (R"({"input": {"order": "RBG"}})"),
      "model sidecar \"s.json\": \"input.order\" must be \"RGB\" or \"BGR\"");
  EXPECT_EQ (err (R"({"input": {"mean": [1, 2]}})"),
      "model sidecar \"s.json\": \"input.mean\" must be an array of 3 numbers");
  EXPECT_EQ (err (R"({"input": {"std": [1, 0, 1]}})"),
      "model sidecar \"s.json\": \"input.std\" must hold positive numbers");
  EXPECT_EQ (err (R"({"input": {"scale": -1}})"),
      "model sidecar \"s.json\": \"input.scale\" must be positive");
  EXPECT_EQ (err (R"({"labels": 3})"),
      "model sidecar \"s.json\": \"labels\" must be a string");
  EXPECT_EQ (err (R"({"input": 3})"),
      "model sidecar \"s.json\": \"input\" must be an object");
}

/* Fuzz-style: random bytes, random mutations and every truncation of valid
 * files. Each call must return or throw vgg::Error. */
class ParserFuzz : public ::testing::Test
{
protected:
  std::mt19937 rng{12345};

  std::string random_bytes (size_t n, const std::string &alphabet)
  {
    std::string s (n, ' ');
    for (char &c : s)
      c = alphabet.empty () ? (char) (rng () & 0xff)
                            : alphabet[rng () % alphabet.size ()];
    return s;
  }

  std::string mutate (std::string s)
  {
    int edits = 1 + rng () % 4;
    for (int i = 0; i < edits && !s.empty (); i++) {
      size_t at = rng () % s.size ();
      switch (rng () % 3) {
        case 0:
          s[at] = (char) (rng () & 0xff);
          break;
        case 1:
          s.erase (at, 1 + rng () % 8);
          break;
        default:
          s.insert (at, 1, "\t\n[]#{}\",:0"[rng () % 11]);
          break;
      }
    }
    return s;
  }

  template <typename F> void survives (const std::string &input, F parse)
  {
    try {
      parse (input);
    } catch (const Error &) {
    } catch (const std::exception &e) {
      FAIL () << "unexpected " << typeid (e).name () << ": " << e.what ()
              << " on input of " << input.size () << " bytes";
    }
  }
};

TEST_F (ParserFuzz, Labels)
{
  const std::string tsv = imagenet_tsv ().substr (0, 4000);
  auto parse = [] (const std::string &s) { parse_labels (s, "fuzz"); };
  for (int i = 0; i < 500; i++) {
    survives (random_bytes (rng () % 200, ""), parse);
    survives (random_bytes (rng () % 200, "0123\t\n#ab "), parse);
    survives (mutate (tsv), parse);
  }
  for (size_t n = 0; n < tsv.size (); n += 7)
    survives (tsv.substr (0, n), parse);
}

TEST_F (ParserFuzz, ModelConfig)
{
  const std::string good = R"({"name": "m", "labels": "l.tsv",
      "gradcam_layer": "features.29",
      "input": {"width": 224, "height": 224, "order": "RGB", "scale": 0.5,
                "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}})";
  auto parse
      = [] (const std::string &s) { parse_model_config (s, "fuzz", "/"); };
  for (int i = 0; i < 2000; i++) {
    survives (random_bytes (rng () % 100, ""), parse);
    survives (random_bytes (rng () % 100, "{}[]\":,0123e.-tnul "), parse);
    survives (mutate (good), parse);
  }
  for (size_t n = 0; n <= good.size (); n++)
    survives (good.substr (0, n), parse);
}

TEST_F (ParserFuzz, ClassGroups)
{
  const auto labels = parse_labels (imagenet_tsv (), "imagenet-labels.tsv");
  const std::string good
      = read_text_file (VGG_MODELS_DIR "/imagenet-class-groups.txt", "groups");
  auto parse
      = [&] (const std::string &s) { parse_class_groups (s, "fuzz", labels); };
  for (int i = 0; i < 1000; i++) {
    survives (random_bytes (rng () % 200, ""), parse);
    survives (random_bytes (rng () % 200, "[]#\n 0123abn_-"), parse);
    survives (mutate (good), parse);
  }
  for (size_t n = 0; n <= good.size (); n++)
    survives (good.substr (0, n), parse);
}
