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

#include <glib.h>
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

TEST (Labels, NotUtf8)
{
  /* Latin-1 "é" (0xe9) where UTF-8 has 0xc3 0xa9. */
  EXPECT_EQ (error_of ([] { parse_labels ("cat\ncaf\xe9\ndog\n", "l.txt"); }),
      "labels file \"l.txt\" line 2: not valid UTF-8 (byte 4)");
  EXPECT_EQ (error_of ([] {
    parse_labels ("# c\n0\tn1\ta\ta\n1\tn2\tb\tb\xff\n", "t.tsv");
  }),
      "labels file \"t.tsv\" line 3: not valid UTF-8 (byte 9)");
  /* In a comment too: the file is not UTF-8. */
  EXPECT_EQ (error_of ([] { parse_labels ("# \xc0\xaf\n0\tn\ta\n", "t.tsv"); }),
      "labels file \"t.tsv\" line 1: not valid UTF-8 (byte 3)");
  /* UTF-8 is kept as it is; a byte order mark is not part of a label. */
  auto l = parse_labels ("\xef\xbb\xbf"
                         "Stra\xc3\x9f"
                         "enbahn\n\xe7\x94\xb5\xe8\xbd\xa6\n",
      "u.txt");
  ASSERT_EQ (l.size (), 2u);
  EXPECT_EQ (l[0].name,
      "Stra\xc3\x9f"
      "enbahn");
  EXPECT_EQ (l[1].name, "\xe7\x94\xb5\xe8\xbd\xa6");
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

TEST (ClassGroups, NotUtf8)
{
  auto l = numbered_labels (3);
  EXPECT_EQ (
      error_of ([&] { parse_class_groups ("[a]\n1\n2 # z\xfcge\n", "g", l); }),
      "class-groups file \"g\" line 3: not valid UTF-8 (byte 6)");
  EXPECT_EQ (
      parse_class_groups ("\xef\xbb\xbf[a]\n1\n", "g", l).at (0).name, "a");
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
  /* nlohmann_json quotes what it read: not UTF-8 here, U+FFFD in the
   * message (found by tests/fuzz). */
  std::string quoted = err ("{\"a\": 1,\n \xdb\xdb}");
  EXPECT_NE (quoted.find ("\xef\xbf\xbd"), std::string::npos) << quoted;
  EXPECT_EQ (invalid_utf8_at (quoted), std::string::npos);
  EXPECT_EQ (err (R"({"input": {"width": 0}})"),
      "model sidecar \"s.json\": \"input.width\" must be within 1..2048 "
      "(larger inputs need gigabytes per region)");
  EXPECT_EQ (err (R"({"input": {"height": 4096}})"),
      "model sidecar \"s.json\": \"input.height\" must be within 1..2048 "
      "(larger inputs need gigabytes per region)");
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

/* Numbers that overflow float, alone or in (pixel * scale - mean) / std,
 * would make every score NaN. */
TEST (ModelConfig, FloatOverflow)
{
  auto err = [] (const std::string &json) {
    return error_of ([&] { parse_model_config (json, "s.json", "/"); });
  };
  EXPECT_EQ (err (R"({"input": {"mean": [0, 1e39, 0]}})"),
      "model sidecar \"s.json\": \"input.mean\" is beyond the float range "
      "(+-3.4e38)");
  EXPECT_EQ (err (R"({"input": {"scale": 1e300}})"),
      "model sidecar \"s.json\": \"input.scale\" is beyond the float range "
      "(+-3.4e38)");
  /* Beyond double: nlohmann_json refuses it. */
  EXPECT_NE (
      err (R"({"input": {"std": [1, 1, 1e400]}})").find ("number overflow"),
      std::string::npos);
  /* 1e-45 is a float (the smallest denormal, 1.4e-45), but 0.485 / 1.4e-45
   * = 3.5e44 is not. */
  EXPECT_EQ (err (R"({"input": {"std": [1e-45, 1e-45, 1e-45]}})"),
      "model sidecar \"s.json\": (pixel * scale - mean) / std overflows float "
      "for pixel 0 in channel 0 (check \"input.std\")");
  /* 255 * 1e36 / 0.229 = 1.1e39: only the brightest pixel overflows. */
  EXPECT_EQ (err (R"({"input": {"scale": 1e36}})"),
      "model sidecar \"s.json\": (pixel * scale - mean) / std overflows float "
      "for pixel 255 in channel 0 (check \"input.scale\")");
  /* 3e38 / 0.5 = 6e38, in the third channel. */
  EXPECT_EQ (err (R"({"input": {"mean": [1, 2, 3e38], "std": [1, 1, 0.5]}})"),
      "model sidecar \"s.json\": (pixel * scale - mean) / std overflows float "
      "for pixel 0 in channel 2 (check \"input.mean\", \"input.std\")");
  /* Below 1e-45 std rounds to 0 in float, and scale likewise. */
  EXPECT_EQ (err (R"({"input": {"std": [1, 1e-50, 1]}})"),
      "model sidecar \"s.json\": \"input.std\" must hold positive numbers");
  EXPECT_EQ (err (R"({"input": {"scale": 1e-50}})"),
      "model sidecar \"s.json\": \"input.scale\" must be positive");
  /* Large but finite everywhere: channel 0 gives 255 * 1e30 / 1e-5 - 1e33 /
   * 1e-5 = -7.5e37 at most. */
  auto big = parse_model_config (
      R"({"input": {"scale": 1e30, "mean": [1e33, 0, -1e37],
                    "std": [1e-5, 1, 1]}})",
      "s.json", "/");
  EXPECT_FLOAT_EQ (big.input.scale, 1e30f);
  /* The Keras blog's caffe numbers, and 2048x2048, are fine. */
  auto caffe = parse_model_config (
      R"({"input": {"width": 2048, "height": 2048, "order": "BGR", "scale": 1,
                    "mean": [103.939, 116.779, 123.68], "std": [1, 1, 1]}})",
      "s.json", "/");
  EXPECT_EQ (caffe.input.width, 2048);
  EXPECT_FLOAT_EQ (caffe.input.mean[2], 123.68f);
}

/* The validator against GLib's g_utf8_validate (RFC 3629 as well): every
 * string of one or two bytes and every three-byte string that starts with
 * a lead byte, then random four- and five-byte strings biased towards the
 * bytes where the rules change. */
TEST (Text, Utf8AgainstGLib)
{
  auto check = [] (const std::string &s) {
    const gchar *end = nullptr;
    gboolean valid = g_utf8_validate (s.data (), (gssize) s.size (), &end);
    size_t at = invalid_utf8_at (s);
    if (valid)
      ASSERT_EQ (at, std::string::npos) << testing::PrintToString (s);
    else
      ASSERT_EQ (at, (size_t) (end - s.data ())) << testing::PrintToString (s);
  };
  for (int a = 1; a < 256; a++) {
    check (std::string (1, (char) a));
    for (int b = 1; b < 256; b++) {
      check (std::string ({(char) a, (char) b}));
      /* NUL is the end for GLib: left out. */
      for (int c = 1; a >= 0xc0 && c < 256; c++)
        check (std::string ({(char) a, (char) b, (char) c}));
    }
  }
  static const unsigned char edges[] = {0x01, 0x41, 0x7f, 0x80, 0x8f, 0x90,
      0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
      0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff};
  std::mt19937 rng (7);
  for (int i = 0; i < 2000000; i++) {
    std::string r (4 + i % 2, ' ');
    for (char &ch : r)
      ch = (char) (rng () % 2 ? edges[rng () % sizeof edges]
                              : 1 + rng () % 255);
    check (r);
  }
  EXPECT_EQ (invalid_utf8_at (""), std::string::npos);
  EXPECT_EQ (to_valid_utf8 ("a\xff\xc3\xa9\xe2\x82"),
      "a\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ (invalid_utf8_at ("ok \xf0\x9f\x9a\x97 \xe2\x82"), 8u);
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
