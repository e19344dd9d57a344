"""What the gst-vgg-archive tests share: clips with known intervals (the
planted red-square model finds the square exactly where clip.py draws it),
a gst-vgg-traffic wrapper that logs every run, and readers of the index."""
import csv
import json
import os
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "traffic"))
import clip  # noqa: E402

ARCHIVE = os.environ.get("VGG_ARCHIVE", "gst-vgg-archive")
TRAFFIC = os.environ.get("VGG_TRAFFIC", "gst-vgg-traffic")
MODELS = os.environ.get("VGG_TEST_MODELS", "")
PLANTED = ["--model", os.path.join(MODELS, "planted.pt"),
           "--class-groups", os.path.join(MODELS, "planted-groups.txt"), "--threads", "1"]
# Small clips keep the suite quick: the square scales with the frame.
SIZE = (320, 240)
NS_PER_FRAME = 1_000_000_000 // clip.FPS

# name: (frames, spans of frames [first, last) that show the square)
CLIPS = {
    "a.mp4": (40, [(10, 25)]),
    "b.mp4": (30, [(0, 6), (18, 30)]),
    "day2/c.mp4": (30, []),
    "day2/night/d.mp4": (36, [(5, 9)]),
}


def make_clips(directory, clips=CLIPS):
    """Writes the clips under directory; returns {absolute path: (frames, spans)}."""
    made = {}
    for name, (frames, spans) in clips.items():
        path = os.path.join(directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        clip.make(path, frames, size=SIZE, spans=spans)
        made[os.path.abspath(path)] = (frames, spans)
    return made


def expected_intervals(clips):
    """The index rows the planted model must give, by hand from the spans:
    (video, group, first_frame, frames, start_ns, end_ns), sorted as the index."""
    rows = []
    for video, (_, spans) in sorted(clips.items()):
        for first, last in sorted(spans):
            rows.append((video, "vehicle", first, last - first,
                         first * NS_PER_FRAME, last * NS_PER_FRAME))
    return rows


def intervals_of(out):
    with open(os.path.join(out, "intervals.jsonl")) as f:
        return [json.loads(line) for line in f]


def key(row):
    return (row["video"], row["group"], row["first_frame"], row["frames"],
            row["start_ns"], row["end_ns"])


def videos_of(out):
    """videos.csv as {video: row}."""
    with open(os.path.join(out, "videos.csv"), newline="") as f:
        return {row["video"]: row for row in csv.DictReader(f)}


def logging_tool(directory, real=TRAFFIC):
    """A gst-vgg-traffic that appends "PID CUDA_VISIBLE_DEVICES VIDEO" to a
    log, then becomes the real one; returns (tool, log)."""
    tool, log = os.path.join(directory, "traffic-logged"), os.path.join(directory, "runs.log")
    with open(tool, "w") as f:
        f.write('#!/bin/sh\n'
                'for last; do :; done\n'
                f'echo "$$ ${{CUDA_VISIBLE_DEVICES:--}} $last" >> "{log}"\n'
                f'exec "{real}" "$@"\n')
    os.chmod(tool, os.stat(tool).st_mode | stat.S_IXUSR)
    return tool, log


def runs_of(log):
    """[(pid, CUDA_VISIBLE_DEVICES, video)] from the wrapper's log."""
    if not os.path.exists(log):
        return []
    with open(log) as f:
        return [tuple(line.rstrip("\n").split(" ", 2)) for line in f]


def archive(*args, python=sys.executable, env=None, timeout=300):
    return subprocess.run([python, ARCHIVE, *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def leftovers(out):
    """Temporary files or attempt folders left anywhere under out."""
    found = [os.path.join(r, f) for r, _, files in os.walk(out) for f in files
             if f.endswith(".part")]
    work = os.path.join(out, ".archive", "work")
    if os.path.isdir(work):
        found += [os.path.join(work, d) for d in os.listdir(work)]
    return found
