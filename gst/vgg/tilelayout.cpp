/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tilelayout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace vgg {

namespace {

/* One axis of the grid: @n cells covering [start, start + len) exactly, sizes
 * differing by at most one pixel; with @overlap, each edge shared with a
 * neighbour moves into it by @overlap / 2 of the cell's size, so that the
 * tiles still cover exactly the region. */
struct Span
{
  int start, size;
};

std::vector<Span>
grid_axis (int start, int len, unsigned n, double overlap)
{
  std::vector<Span> spans;
  for (unsigned i = 0; i < n; i++) {
    long a = start + (long) len * i / n;
    long b = start + (long) len * (i + 1) / n;
    long pad = std::lround (overlap * (b - a) / 2.0);
    if (i > 0)
      a = std::max ((long) start, a - pad);
    if (i + 1 < n)
      b = std::min ((long) start + len, b + pad);
    spans.push_back ({(int) a, (int) (b - a)});
  }
  return spans;
}

/* One axis of fixed-size tiles: left to right with a stride that makes
 * neighbours share @overlap of a tile, the last one shifted inward so that
 * it ends at the region's edge. */
std::vector<Span>
fixed_axis (int start, int len, int tile, double overlap)
{
  std::vector<Span> spans;
  int stride = std::max (1, (int) std::lround (tile * (1.0 - overlap)));
  long n = 1 + (len - tile + stride - 1) / stride;
  if (n > (long) kMaxTiles)
    throw std::invalid_argument ("too many tiles");
  for (long i = 0; i < n; i++)
    spans.push_back (
        {start + (int) std::min ((long) len - tile, i * stride), tile});
  return spans;
}

} // namespace

Rect
region_rect (int width, int height, const double region[4])
{
  auto edge = [] (double f, int size) {
    return (int) std::clamp (std::lround (f * size), 0L, (long) size);
  };
  int x0 = edge (region[0], width), x1 = edge (region[0] + region[2], width);
  int y0 = edge (region[1], height), y1 = edge (region[1] + region[3], height);
  return {x0, y0, std::max (0, x1 - x0), std::max (0, y1 - y0)};
}

TileLayout
layout_tiles (int width, int height, const TileSpec &spec)
{
  TileLayout layout;
  Rect r = region_rect (width, height, spec.region);
  if (r.width <= 0 || r.height <= 0) {
    layout.reduced = true;
    layout.note = "the region is empty at this frame size";
    return layout;
  }

  std::vector<Span> xs, ys;
  char note[160];
  if (spec.tile_width == 0 && spec.tile_height == 0) {
    unsigned cols = std::min<unsigned> (spec.columns, r.width);
    unsigned rows = std::min<unsigned> (spec.rows, r.height);
    if (cols < spec.columns || rows < spec.rows) {
      std::snprintf (note, sizeof note,
          "a %dx%d region is too small for a %ux%u grid: %ux%u tiles", r.width,
          r.height, spec.columns, spec.rows, cols, rows);
      layout.reduced = true;
      layout.note = note;
    }
    xs = grid_axis (r.x, r.width, cols, spec.overlap);
    ys = grid_axis (r.y, r.height, rows, spec.overlap);
  } else {
    /* One size given: square tiles. */
    int tw = spec.tile_width ? spec.tile_width : spec.tile_height;
    int th = spec.tile_height ? spec.tile_height : spec.tile_width;
    if (tw > r.width || th > r.height) {
      std::snprintf (note, sizeof note,
          "%dx%d tiles do not fit a %dx%d region: shrunk to %dx%d", tw, th,
          r.width, r.height, std::min (tw, r.width), std::min (th, r.height));
      layout.reduced = true;
      layout.note = note;
    }
    tw = std::min (tw, r.width);
    th = std::min (th, r.height);
    xs = fixed_axis (r.x, r.width, tw, spec.overlap);
    ys = fixed_axis (r.y, r.height, th, spec.overlap);
    if (xs.size () * ys.size () > kMaxTiles)
      throw std::invalid_argument ("too many tiles");
  }

  layout.tiles.reserve (xs.size () * ys.size ());
  for (unsigned row = 0; row < ys.size (); row++) {
    for (unsigned col = 0; col < xs.size (); col++) {
      Tile t;
      t.rect = {xs[col].start, ys[row].start, xs[col].size, ys[row].size};
      t.row = row;
      t.column = col;
      t.index = row * xs.size () + col;
      layout.tiles.push_back (t);
    }
  }
  return layout;
}

bool
parse_region (const char *str, double region[4])
{
  double v[4];
  const char *p = str;
  for (int i = 0; i < 4; i++) {
    char *end;
    v[i] = std::strtod (p, &end);
    if (end == p || !std::isfinite (v[i]))
      return false;
    while (*end == ' ')
      end++;
    if (i < 3 && *end++ != ',')
      return false;
    if (i == 3 && *end != '\0')
      return false;
    p = end;
  }
  const double eps = 1e-9;
  if (v[0] < 0 || v[1] < 0 || v[2] <= 0 || v[3] <= 0 || v[0] + v[2] > 1 + eps
      || v[1] + v[3] > 1 + eps)
    return false;
  std::copy (v, v + 4, region);
  return true;
}

} // namespace vgg
