/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "blas.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>

namespace vgg {

bool
is_reference_blas (const std::string &path)
{
  char *real = realpath (path.c_str (), nullptr);
  if (!real)
    return false;
  std::string dir (real);
  std::free (real);
  dir.erase (dir.rfind ('/'));
  return dir.substr (dir.rfind ('/') + 1) == "blas";
}

std::string
loaded_reference_blas ()
{
  /* RTLD_NOLOAD: only a library that is already loaded (by soname). */
  void *handle = dlopen ("libblas.so.3", RTLD_LAZY | RTLD_NOLOAD);
  if (!handle)
    return "";
  struct link_map *map = nullptr;
  std::string path;
  if (dlinfo (handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name)
    path = map->l_name;
  dlclose (handle);
  return is_reference_blas (path) ? path : "";
}

} // namespace vgg
