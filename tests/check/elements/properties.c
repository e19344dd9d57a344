/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every property of the three elements against the README's tables: the
 * table below is written from the README, not from the code. A property
 * added, removed, renamed or changed in type, default, range or when it
 * may change fails here until the table (and so the README) says so.
 */
#include "../testutil.h"

#include <string.h>

/* When a property may change: from the next start (READY) or while
 * PLAYING. */
#define READY GST_PARAM_MUTABLE_READY
#define PLAYING GST_PARAM_MUTABLE_PLAYING

typedef struct
{
  const gchar *element, *name;
  GType type;           /* the value type (G_TYPE_ENUM for any enum) */
  const gchar *deflt;   /* the default, serialized; NULL: none */
  gdouble min, max;     /* numbers only */
  GParamFlags mutable_; /* READY or PLAYING */
} Property;

static const Property properties[] = {
    {"vggtiler", "rows", G_TYPE_UINT, "2", 1, 64, PLAYING},
    {"vggtiler", "columns", G_TYPE_UINT, "2", 1, 64, PLAYING},
    {"vggtiler", "tile-width", G_TYPE_UINT, "0", 0, G_MAXINT, PLAYING},
    {"vggtiler", "tile-height", G_TYPE_UINT, "0", 0, G_MAXINT, PLAYING},
    {"vggtiler", "overlap", G_TYPE_DOUBLE, "0", 0, 0.9, PLAYING},
    {"vggtiler", "region", G_TYPE_STRING, "0,0,1,1", 0, 0, PLAYING},
    {"vggtiler", "include-full-frame", G_TYPE_BOOLEAN, "true", 0, 0, PLAYING},

    {"vggclassify", "model", G_TYPE_STRING, NULL, 0, 0, READY},
    {"vggclassify", "labels", G_TYPE_STRING, NULL, 0, 0, READY},
    {"vggclassify", "device", G_TYPE_STRING, "auto", 0, 0, READY},
    {"vggclassify", "precision", G_TYPE_ENUM, "fp32", 0, 0, READY},
    {"vggclassify", "batch-size", G_TYPE_UINT, "16", 1, 1024, PLAYING},
    {"vggclassify", "top-k", G_TYPE_UINT, "5", 1, 1000, PLAYING},
    {"vggclassify", "preprocess", G_TYPE_ENUM, "auto", 0, 0, READY},
    {"vggclassify", "interpolation", G_TYPE_ENUM, "bilinear", 0, 0, PLAYING},
    {"vggclassify", "roi-types", G_TYPE_STRING, "tile,frame", 0, 0, PLAYING},
    {"vggclassify", "inference-interval", G_TYPE_UINT, "1", 1, G_MAXINT,
        PLAYING},
    {"vggclassify", "class-groups", G_TYPE_STRING, NULL, 0, 0, READY},
    {"vggclassify", "group-threshold", G_TYPE_DOUBLE, "0.25", 0, 1, PLAYING},
    {"vggclassify", "post-messages", G_TYPE_BOOLEAN, "true", 0, 0, PLAYING},
    {"vggclassify", "threads", G_TYPE_UINT, "0", 0, 1024, READY},
    {"vggclassify", "gradcam", G_TYPE_BOOLEAN, "false", 0, 0, READY},
    {"vggclassify", "gradcam-target", G_TYPE_STRING, "top1", 0, 0, READY},
    {"vggclassify", "gradcam-layer", G_TYPE_STRING, NULL, 0, 0, READY},
    {"vggclassify", "gradcam-method", G_TYPE_ENUM, "gradcam", 0, 0, READY},
    {"vggclassify", "gradcam-interval", G_TYPE_UINT, "1", 1, G_MAXINT, PLAYING},
    {"vggclassify", "batch-frames", G_TYPE_UINT, "1", 1, 64, PLAYING},
    {"vggclassify", "max-latency", G_TYPE_UINT64, "0", 0, (gdouble) G_MAXUINT64,
        PLAYING},
    {"vggclassify", "shared-instance", G_TYPE_STRING, NULL, 0, 0, READY},
#ifdef HAVE_GST_ANALYTICS
    {"vggclassify", "meta", G_TYPE_ENUM, "both", 0, 0, READY},
#else
    {"vggclassify", "meta", G_TYPE_ENUM, "roi", 0, 0, READY},
#endif

    {"gradcamoverlay", "alpha", G_TYPE_DOUBLE, "0.40000000000000002", 0, 1,
        PLAYING},
    {"gradcamoverlay", "colormap", G_TYPE_ENUM, "jet", 0, 0, PLAYING},
    {"gradcamoverlay", "blend", G_TYPE_ENUM, "add", 0, 0, PLAYING},
    {"gradcamoverlay", "rois", G_TYPE_ENUM, "all", 0, 0, PLAYING},
    {"gradcamoverlay", "draw-labels", G_TYPE_BOOLEAN, "true", 0, 0, PLAYING},
    {"gradcamoverlay", "draw-boxes", G_TYPE_BOOLEAN, "true", 0, 0, PLAYING},
    {"gradcamoverlay", "min-confidence", G_TYPE_DOUBLE, "0", 0, 1, PLAYING},
    {"gradcamoverlay", "group", G_TYPE_STRING, NULL, 0, 0, PLAYING},
    {"gradcamoverlay", "group-threshold", G_TYPE_DOUBLE, "0.25", 0, 1, PLAYING},
};

static void
range_of (GParamSpec *p, gdouble *min, gdouble *max)
{
  if (G_IS_PARAM_SPEC_UINT (p)) {
    *min = G_PARAM_SPEC_UINT (p)->minimum;
    *max = G_PARAM_SPEC_UINT (p)->maximum;
  } else if (G_IS_PARAM_SPEC_UINT64 (p)) {
    *min = G_PARAM_SPEC_UINT64 (p)->minimum;
    *max = G_PARAM_SPEC_UINT64 (p)->maximum;
  } else if (G_IS_PARAM_SPEC_DOUBLE (p)) {
    *min = G_PARAM_SPEC_DOUBLE (p)->minimum;
    *max = G_PARAM_SPEC_DOUBLE (p)->maximum;
  } else {
    *min = *max = 0;
  }
}

static void
check_element (const gchar *element)
{
  GstElement *e = gst_element_factory_make (element, NULL);
  GType type;
  GParamSpec **specs;
  guint n, i, own = 0, listed = 0;

  fail_unless (e != NULL, "no element %s", element);
  type = G_OBJECT_TYPE (e);
  for (i = 0; i < G_N_ELEMENTS (properties); i++) {
    const Property *t = &properties[i];
    GParamSpec *p;
    GValue v = G_VALUE_INIT;
    gchar *deflt;
    gdouble min, max;

    if (!g_str_equal (t->element, element))
      continue;
    listed++;
    p = g_object_class_find_property (G_OBJECT_GET_CLASS (e), t->name);
    fail_unless (p != NULL, "%s has no property %s", element, t->name);
    fail_unless (p->owner_type == type, "%s: %s", element, t->name);
    fail_unless (t->type == G_TYPE_ENUM ? G_TYPE_IS_ENUM (p->value_type)
                                        : p->value_type == t->type,
        "%s: %s is a %s", element, t->name, g_type_name (p->value_type));
    fail_unless (strlen (g_param_spec_get_blurb (p)) > 20,
        "%s: %s is not documented", element, t->name);
    fail_unless ((p->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE);
    fail_unless ((p->flags & (READY | PLAYING)) == t->mutable_,
        "%s: %s mutable in the wrong states", element, t->name);

    g_value_init (&v, p->value_type);
    g_param_value_set_default (p, &v);
    deflt = G_VALUE_HOLDS_STRING (&v) ? g_value_dup_string (&v)
                                      : gst_value_serialize (&v);
    fail_unless (g_strcmp0 (deflt, t->deflt) == 0,
        "%s: %s defaults to %s, the README says %s", element, t->name,
        GST_STR_NULL (deflt), GST_STR_NULL (t->deflt));
    g_free (deflt);
    g_value_unset (&v);

    range_of (p, &min, &max);
    fail_unless (min == t->min && max == t->max,
        "%s: %s ranges %g..%g, the README says %g..%g", element, t->name, min,
        max, t->min, t->max);
  }

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (e), &n);
  for (i = 0; i < n; i++)
    own += specs[i]->owner_type == type;
  g_free (specs);
  fail_unless_equals_int (own, listed);
  gst_object_unref (e);
}

GST_START_TEST (test_vggtiler_properties)
{
  check_element ("vggtiler");
}

GST_END_TEST;

GST_START_TEST (test_vggclassify_properties)
{
  check_element ("vggclassify");
}

GST_END_TEST;

GST_START_TEST (test_gradcamoverlay_properties)
{
  check_element ("gradcamoverlay");
}

GST_END_TEST;

static Suite *
properties_suite (void)
{
  Suite *s = suite_create ("properties");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_vggtiler_properties);
  tcase_add_test (tc, test_vggclassify_properties);
  tcase_add_test (tc, test_gradcamoverlay_properties);
  return s;
}

GST_CHECK_MAIN (properties);
