/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "classgroups.h"
#include "error.h"
#include "text.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace vgg {

namespace {

bool
valid_group_name (const std::string &s)
{
  if (s.empty () || s.size () > 64 || !std::isalpha ((unsigned char) s[0]))
    return false;
  return std::all_of (s.begin (), s.end (), [] (char c) {
    return std::isalnum ((unsigned char) c) || c == '-' || c == '_';
  });
}

} // namespace

std::vector<ClassGroup>
parse_class_groups (const std::string &text, const std::string &source,
    const std::vector<Label> &labels)
{
  std::vector<ClassGroup> groups;
  const std::string body = without_bom (text);
  std::istringstream in (body);
  std::string line;
  int lineno = 0;

  if (body.find ('\0') != std::string::npos)
    throw Error ("class-groups file \"" + source + "\" is not text");

  while (std::getline (in, line)) {
    lineno++;
    std::string where = "class-groups file \"" + source + "\" line "
        + std::to_string (lineno);
    require_utf8 (line, where);
    std::string t = trim (line.substr (0, line.find ('#')));
    if (t.empty ())
      continue;
    if (t.front () == '[') {
      if (t.back () != ']')
        throw Error (where + ": expected \"[group]\"");
      std::string name = t.substr (1, t.size () - 2);
      if (!valid_group_name (name))
        throw Error (where + ": \"" + name
            + "\" is not a valid group name (a letter, then letters, digits, "
              "'-' or '_')");
      for (const ClassGroup &g : groups)
        if (g.name == name)
          throw Error (where + ": group \"" + name + "\" appears twice");
      groups.push_back ({name, {}});
      continue;
    }
    if (groups.empty ())
      throw Error (where + ": \"" + t + "\" comes before any [group]");
    int id;
    try {
      id = find_label (labels, t);
    } catch (const Error &e) {
      throw Error (where + ": " + e.what ());
    }
    if (id < 0)
      throw Error (where + ": \"" + t + "\" is not a class of the model");
    std::vector<int> &ids = groups.back ().class_ids;
    if (std::find (ids.begin (), ids.end (), id) == ids.end ())
      ids.push_back (id);
  }
  for (const ClassGroup &g : groups)
    if (g.class_ids.empty ())
      throw Error ("class-groups file \"" + source + "\": group \"" + g.name
          + "\" has no classes");
  return groups;
}

} // namespace vgg
