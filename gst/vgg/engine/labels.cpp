/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "labels.h"
#include "error.h"
#include "text.h"

#include <sstream>

namespace vgg {

std::vector<Label>
parse_labels (const std::string &text, const std::string &source)
{
  std::vector<Label> labels;
  const std::string body = without_bom (text);
  std::istringstream in (body);
  std::string line;
  int lineno = 0;
  bool tsv = body.find ('\t') != std::string::npos;

  if (body.find ('\0') != std::string::npos)
    throw Error ("labels file \"" + source + "\" is not text");

  while (std::getline (in, line)) {
    lineno++;
    if (!line.empty () && line.back () == '\r')
      line.pop_back ();
    auto where = [&] () {
      return "labels file \"" + source + "\" line " + std::to_string (lineno);
    };
    require_utf8 (line, where ());
    if (tsv) {
      std::string t = trim (line);
      if (t.empty () || t[0] == '#')
        continue;
      auto f = split (line, '\t');
      if (f.size () < 3 || f.size () > 4)
        throw Error (where ()
            + ": expected index, WordNet id, name and display name separated "
              "by tabs");
      if (!is_decimal (trim (f[0]))
          || std::stoi (trim (f[0])) != (int) labels.size ())
        throw Error (where () + ": expected index "
            + std::to_string (labels.size ()) + ", found \"" + f[0] + "\"");
      Label l{trim (f[2]), trim (f[1]), trim (f.size () > 3 ? f[3] : f[2])};
      if (l.name.empty ())
        throw Error (where () + ": empty name");
      labels.push_back (l);
    } else {
      /* One label per line; blank lines are labels too would shift every
       * index, so only trailing blank lines are allowed. */
      std::string t = trim (line);
      labels.push_back ({t, "", t});
    }
  }
  if (!tsv) {
    while (!labels.empty () && labels.back ().name.empty ())
      labels.pop_back ();
    for (size_t i = 0; i < labels.size (); i++)
      if (labels[i].name.empty ())
        throw Error ("labels file \"" + source + "\" line "
            + std::to_string (i + 1) + ": empty label");
  }
  if (labels.empty ())
    throw Error ("labels file \"" + source + "\" has no labels");
  return labels;
}

std::vector<Label>
numbered_labels (int count)
{
  std::vector<Label> labels;
  for (int i = 0; i < count; i++) {
    std::string name = "class " + std::to_string (i);
    labels.push_back ({name, "", name});
  }
  return labels;
}

int
find_label (const std::vector<Label> &labels, const std::string &key)
{
  if (is_decimal (key)) {
    int i = std::stoi (key);
    return i < (int) labels.size () ? i : -1;
  }
  int found = -1;
  for (size_t i = 0; i < labels.size (); i++) {
    const Label &l = labels[i];
    if (l.wnid == key)
      return i;
    if (l.name == key || l.display == key) {
      if (found >= 0 && found != (int) i)
        throw Error ("\"" + key + "\" names classes " + std::to_string (found)
            + " and " + std::to_string (i) + "; use the WordNet id or index");
      found = i;
    }
  }
  return found;
}

} // namespace vgg
