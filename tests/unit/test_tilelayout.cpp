/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * vggtiler's geometry on its own: rectangles computed by hand from the
 * rules in the README (grid cells differ by at most one pixel, overlap
 * grows cells into their neighbours by half of it, fixed-size tiles end at
 * the region's edge).
 */
#include "tilelayout.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace vgg;

namespace {

Rect
rect_of (const TileLayout &l, size_t i)
{
  return l.tiles.at (i).rect;
}

} // namespace

TEST (TileLayout, GridOnOddSizes)
{
  TileLayout l = layout_tiles (641, 361, TileSpec ());
  ASSERT_EQ (l.tiles.size (), 4u);
  EXPECT_FALSE (l.reduced);
  EXPECT_EQ (rect_of (l, 0), (Rect{0, 0, 320, 180}));
  EXPECT_EQ (rect_of (l, 1), (Rect{320, 0, 321, 180}));
  EXPECT_EQ (rect_of (l, 2), (Rect{0, 180, 320, 181}));
  EXPECT_EQ (rect_of (l, 3), (Rect{320, 180, 321, 181}));
  EXPECT_EQ (l.tiles[3].row, 1u);
  EXPECT_EQ (l.tiles[3].column, 1u);
  EXPECT_EQ (l.tiles[3].index, 3u);
}

TEST (TileLayout, GridOverlap)
{
  TileSpec s;
  s.rows = 1;
  s.overlap = 0.5;
  /* Cells [0, 200) and [200, 400); each shared edge moves 0.5 * 200 / 2. */
  TileLayout l = layout_tiles (400, 100, s);
  ASSERT_EQ (l.tiles.size (), 2u);
  EXPECT_EQ (rect_of (l, 0), (Rect{0, 0, 250, 100}));
  EXPECT_EQ (rect_of (l, 1), (Rect{150, 0, 250, 100}));
}

TEST (TileLayout, FixedSizeTilesEndAtTheEdge)
{
  TileSpec s;
  s.tile_width = 500;
  s.tile_height = 400;
  /* x: 0, 500, 1000 and 1920 - 500; y: 0, 400 and 1080 - 400. */
  TileLayout l = layout_tiles (1920, 1080, s);
  ASSERT_EQ (l.tiles.size (), 12u);
  EXPECT_EQ (rect_of (l, 2), (Rect{1000, 0, 500, 400}));
  EXPECT_EQ (rect_of (l, 3), (Rect{1420, 0, 500, 400}));
  EXPECT_EQ (rect_of (l, 11), (Rect{1420, 680, 500, 400}));
  EXPECT_EQ (l.tiles[11].row, 2u);
  EXPECT_EQ (l.tiles[11].column, 3u);
}

TEST (TileLayout, OneSizeGivesSquares)
{
  TileSpec s;
  s.tile_width = 300;
  TileLayout l = layout_tiles (600, 300, s);
  ASSERT_EQ (l.tiles.size (), 2u);
  EXPECT_EQ (rect_of (l, 1), (Rect{300, 0, 300, 300}));
}

TEST (TileLayout, Region)
{
  TileSpec s;
  s.rows = s.columns = 1;
  ASSERT_TRUE (parse_region ("0, 0.5 ,1,0.5", s.region));
  /* 0.5 * 101 = 50.5 rounds away from zero to 51. */
  TileLayout l = layout_tiles (100, 101, s);
  ASSERT_EQ (l.tiles.size (), 1u);
  EXPECT_EQ (rect_of (l, 0), (Rect{0, 51, 100, 50}));
}

TEST (TileLayout, SmallFramesGetFewerTiles)
{
  TileSpec s;
  s.rows = s.columns = 4;
  TileLayout l = layout_tiles (3, 2, s);
  EXPECT_TRUE (l.reduced);
  EXPECT_EQ (l.tiles.size (), 6u);
  EXPECT_EQ (l.note, "a 3x2 region is too small for a 4x4 grid: 3x2 tiles");
  EXPECT_EQ (rect_of (l, 5), (Rect{2, 1, 1, 1}));
}

TEST (TileLayout, TooManyTilesThrows)
{
  TileSpec s;
  s.tile_width = 1;
  EXPECT_THROW (layout_tiles (100, 100, s), std::invalid_argument);
  /* 64 x 64 is the limit. */
  EXPECT_EQ (layout_tiles (64, 64, s).tiles.size (), kMaxTiles);
}

TEST (TileLayout, ParseRegion)
{
  double r[4] = {9, 9, 9, 9};
  for (const char *bad : {"", "0,0,1", "0,0,1,1,1", "a,b,c,d", "0,0,0,1",
           "-0.1,0,1,1", "0.5,0,0.6,1", "0,0,1,1x", "nan,0,1,1"}) {
    EXPECT_FALSE (parse_region (bad, r)) << bad;
    EXPECT_EQ (r[0], 9) << bad;
  }
  ASSERT_TRUE (parse_region ("0.25,0,0.75,1", r));
  EXPECT_EQ (r[0], 0.25);
  EXPECT_EQ (r[2], 0.75);
}
