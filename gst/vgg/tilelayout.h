/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tile geometry for vggtiler: plain C++, no GStreamer types, so that the
 * rectangles can be unit-tested on their own.
 */
#pragma once

#include "common/geometry.h"

#include <string>
#include <vector>

namespace vgg {

struct Tile
{
  Rect rect;
  unsigned row = 0, column = 0, index = 0;
};

struct TileSpec
{
  unsigned rows = 2, columns = 2;
  /* Fixed tile size in pixels; 0 for both selects the rows x columns grid. */
  unsigned tile_width = 0, tile_height = 0;
  /* Fraction of a tile's size that neighbouring tiles share. */
  double overlap = 0.0;
  /* x, y, width, height as fractions of the frame. */
  double region[4] = {0.0, 0.0, 1.0, 1.0};
};

struct TileLayout
{
  std::vector<Tile> tiles;
  /* Fewer or smaller tiles than asked for; @note says why. */
  bool reduced = false;
  std::string note;
};

/* Upper bound on tiles per frame (the 64 x 64 grid). */
constexpr unsigned kMaxTiles = 64 * 64;

/* Lays tiles over the region of a @width x @height frame. Throws
 * std::invalid_argument if fixed-size tiles would exceed kMaxTiles. */
TileLayout layout_tiles (int width, int height, const TileSpec &spec);

/* The region in pixels, rounded and clamped to the frame. */
Rect region_rect (int width, int height, const double region[4]);

/* Parses "x,y,width,height" fractions; false if malformed or out of range. */
bool parse_region (const char *str, double region[4]);

} // namespace vgg
