/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "inference.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace vgg {

namespace {

using Clock = std::chrono::steady_clock;

class PrivateInference : public Inference
{
public:
  explicit PrivateInference (const ClassifierOptions &options)
      : engine_ (options)
  {}

  const Classifier &classifier () const override { return engine_; }

  bool classify (const std::vector<FrameRois> &frames, const RunOptions &run,
      uint64_t, std::vector<std::vector<RoiResult>> &results) override
  {
    results = engine_.classify (frames, run);
    return true;
  }

private:
  Classifier engine_;
};

/* One user's frames, from classify() until the worker has run them. */
struct Request
{
  const void *user;
  const std::vector<FrameRois> *frames;
  RunOptions run;
  Clock::time_point deadline; /* the latest the worker may wait for more */
  size_t regions = 0;
  bool running = false, done = false, cancelled = false;
  std::vector<std::vector<RoiResult>> results;
  std::exception_ptr error;
};

/* The settings that make two users' models the same model, as the
 * elements' property names. */
std::string
mismatch (const ClassifierOptions &a, const ClassifierOptions &b)
{
  auto quoted = [] (const std::string &s) { return "\"" + s + "\""; };
  auto flag = [] (bool v) { return std::string (v ? "true" : "false"); };
  const struct
  {
    const char *name;
    std::string a, b;
  } fields[] = {
      {"model", quoted (a.model_path), quoted (b.model_path)},
      {"labels", quoted (a.labels_path), quoted (b.labels_path)},
      {"class-groups", quoted (a.class_groups_path),
          quoted (b.class_groups_path)},
      {"device", a.device, b.device},
      {"precision", std::to_string ((int) a.precision),
          std::to_string ((int) b.precision)},
      {"preprocess", std::to_string ((int) a.preset),
          std::to_string ((int) b.preset)},
      {"threads", std::to_string (a.threads), std::to_string (b.threads)},
      {"gradcam", flag (a.gradcam), flag (b.gradcam)},
      {"gradcam-target", a.gradcam_target, b.gradcam_target},
      {"gradcam-layer", quoted (a.gradcam_layer), quoted (b.gradcam_layer)},
      {"gradcam-method", cam_method_name (a.gradcam_method),
          cam_method_name (b.gradcam_method)},
  };
  for (const auto &f : fields)
    if (f.a != f.b)
      return f.name;
  return "";
}

/* A log callback that can be let go: the engine keeps its loading user's
 * callback, and that user may stop before the others. */
struct LogSink
{
  std::mutex lock;
  LogFunc log;
};

std::shared_ptr<LogSink>
sink_for (const LogFunc &log)
{
  auto sink = std::make_shared<LogSink> ();
  sink->log = log;
  return sink;
}

ClassifierOptions
logging_to (ClassifierOptions options, std::shared_ptr<LogSink> sink)
{
  options.log = [sink] (LogLevel level, const std::string &msg) {
    std::lock_guard<std::mutex> guard (sink->lock);
    if (sink->log)
      sink->log (level, msg);
  };
  return options;
}

/* A model and the one thread that runs it for all its users. */
class SharedModel
{
public:
  SharedModel (const std::string &name, const std::string &owner,
      const ClassifierOptions &options)
      : name_ (name), owner_ (owner), options_ (options),
        sink_ (sink_for (options.log)), engine_ (logging_to (options, sink_))
  {
    {
      std::lock_guard<std::mutex> guard (sink_->lock);
      sink_->log = nullptr;
    }
    options_.log = nullptr;
    worker_ = std::thread (&SharedModel::loop, this);
  }

  ~SharedModel ()
  {
    {
      std::lock_guard<std::mutex> guard (lock_);
      quit_ = true;
    }
    wake_.notify_all ();
    worker_.join ();
  }

  const Classifier &classifier () const { return engine_; }
  const std::string &owner () const { return owner_; }
  const ClassifierOptions &options () const { return options_; }

  bool run (Request &r)
  {
    std::unique_lock<std::mutex> lk (lock_);
    if (cancelled_.count (r.user))
      return false;
    queue_.push_back (&r);
    wake_.notify_all ();
    done_.wait (lk, [&] { return r.done || r.cancelled; });
    if (r.cancelled)
      return false;
    if (r.error)
      std::rethrow_exception (r.error);
    return true;
  }

  void cancel (const void *user)
  {
    {
      std::lock_guard<std::mutex> guard (lock_);
      cancelled_.insert (user);
      for (auto it = queue_.begin (); it != queue_.end ();) {
        if ((*it)->user == user && !(*it)->running) {
          (*it)->cancelled = true;
          it = queue_.erase (it);
        } else {
          ++it;
        }
      }
    }
    done_.notify_all ();
    wake_.notify_all ();
  }

  void resume (const void *user)
  {
    std::lock_guard<std::mutex> guard (lock_);
    cancelled_.erase (user);
  }

private:
  /* Runs the oldest request with every waiting one that can share its
   * engine call (same top-k and interpolation), once they hold batch-size
   * regions or the oldest has waited max-latency. */
  void loop ()
  {
    std::unique_lock<std::mutex> lk (lock_);
    while (true) {
      wake_.wait (lk, [&] { return quit_ || !queue_.empty (); });
      if (queue_.empty ())
        return; /* quit, and no user is left to wait */
      Request *first = queue_.front ();
      auto fits = [&] (const Request *r) {
        return r->run.top_k == first->run.top_k
            && r->run.interpolation == first->run.interpolation;
      };
      auto waiting = [&] () {
        size_t n = 0;
        for (const Request *r : queue_)
          if (fits (r))
            n += r->regions;
        return n;
      };
      while (!quit_ && !queue_.empty () && queue_.front () == first
          && waiting () < (size_t) std::max (1, first->run.batch_size)
          && Clock::now () < first->deadline)
        wake_.wait_until (lk, first->deadline);
      if (queue_.empty () || queue_.front () != first)
        continue; /* cancelled meanwhile */

      std::vector<Request *> batch;
      for (auto it = queue_.begin (); it != queue_.end ();) {
        if (fits (*it)) {
          (*it)->running = true;
          batch.push_back (*it);
          it = queue_.erase (it);
        } else {
          ++it;
        }
      }
      lk.unlock ();
      execute (batch);
      lk.lock ();
      for (Request *r : batch)
        r->done = true;
      done_.notify_all ();
    }
  }

  /* One engine call for the whole batch; if it fails, each request alone,
   * so that one stream's failure is not the others'. */
  void execute (const std::vector<Request *> &batch)
  {
    std::vector<FrameRois> frames;
    for (const Request *r : batch)
      frames.insert (frames.end (), r->frames->begin (), r->frames->end ());
    try {
      std::vector<std::vector<RoiResult>> all
          = engine_.classify (frames, batch.front ()->run);
      size_t next = 0;
      for (Request *r : batch)
        for (size_t i = 0; i < r->frames->size (); i++)
          r->results.push_back (std::move (all[next++]));
      return;
    } catch (const std::exception &) {
      if (batch.size () == 1) {
        batch.front ()->error = std::current_exception ();
        return;
      }
    }
    for (Request *r : batch) {
      try {
        r->results.clear ();
        r->results = engine_.classify (*r->frames, r->run);
      } catch (const std::exception &) {
        r->error = std::current_exception ();
      }
    }
  }

  const std::string name_, owner_;
  ClassifierOptions options_;
  std::shared_ptr<LogSink> sink_;
  Classifier engine_;
  std::mutex lock_;
  std::condition_variable wake_, done_;
  std::deque<Request *> queue_;
  std::set<const void *> cancelled_;
  bool quit_ = false;
  std::thread worker_;
};

class SharedInference : public Inference
{
public:
  explicit SharedInference (std::shared_ptr<SharedModel> model)
      : model_ (std::move (model))
  {}

  ~SharedInference () override
  {
    /* Nothing of ours may wait in the queue once we are gone. */
    model_->cancel (this);
    model_->resume (this);
  }

  const Classifier &classifier () const override
  {
    return model_->classifier ();
  }

  bool classify (const std::vector<FrameRois> &frames, const RunOptions &run,
      uint64_t max_wait_ns,
      std::vector<std::vector<RoiResult>> &results) override
  {
    Request r;
    r.user = this;
    r.frames = &frames;
    r.run = run;
    r.deadline = Clock::now () + std::chrono::nanoseconds (max_wait_ns);
    for (const FrameRois &f : frames)
      r.regions += f.rois.size ();
    if (!model_->run (r))
      return false;
    results = std::move (r.results);
    return true;
  }

  void cancel () override { model_->cancel (this); }
  void resume () override { model_->resume (this); }

private:
  std::shared_ptr<SharedModel> model_;
};

std::mutex registry_lock;
std::map<std::string, std::weak_ptr<SharedModel>> registry;

} // namespace

std::unique_ptr<Inference>
make_private_inference (const ClassifierOptions &options)
{
  return std::make_unique<PrivateInference> (options);
}

std::unique_ptr<Inference>
make_shared_inference (const std::string &name, const std::string &user,
    const ClassifierOptions &options)
{
  /* Held while a model loads: its other users wait for it, not load it. */
  std::lock_guard<std::mutex> guard (registry_lock);
  std::shared_ptr<SharedModel> model = registry[name].lock ();
  if (model) {
    std::string field = mismatch (model->options (), options);
    if (!field.empty ())
      throw Error ("shared-instance \"" + name + "\" was loaded by "
          + model->owner () + " with other settings: " + user + " differs in "
          + field + " (the users of a shared instance must agree on model, "
          + "labels, class-groups, device, precision, preprocess, threads "
          + "and the gradcam settings)");
    if (options.log)
      options.log (LogLevel::Info,
          "shared-instance \"" + name + "\": using the model loaded by "
              + model->owner ());
  } else {
    if (options.log)
      options.log (LogLevel::Info,
          "shared-instance \"" + name + "\": loading the model for " + user);
    model = std::make_shared<SharedModel> (name, user, options);
    registry[name] = model;
  }
  return std::make_unique<SharedInference> (model);
}

} // namespace vgg
