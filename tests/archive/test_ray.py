#!/usr/bin/python3
"""gst-vgg-archive --ray on a real Ray cluster that this test starts on the
loopback: a head node and a second worker node, one CPU each. The results
must equal the local pool's; the worker node is killed while it runs a
video, which must then be redone on the head, with no interval lost or
duplicated in the index; Ctrl-C cancels the tasks cleanly. Every Ray
process is stopped at the end, by its process group, failure or not.

Needs ray (scripts/setup-python puts it in .venv): run by meson with
Debian's python, the test restarts itself with $VGG_VENV_PYTHON when that
has ray, and is skipped (exit 77) when none has.
"""
import glob
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

if importlib.util.find_spec("ray") is None:
    venv = os.environ.get("VGG_VENV_PYTHON", "")
    if os.path.exists(venv) and not os.environ.get("VGG_RAY_TEST_RESTARTED"):
        os.environ["VGG_RAY_TEST_RESTARTED"] = "1"
        os.execv(venv, [venv, *sys.argv])
    print("skipped: ray not installed, run scripts/setup-python")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(__file__))
from archive_util import (PLANTED, SIZE, archive, clip, expected_intervals,  # noqa: E402
                          intervals_of, key, leftovers, logging_tool, make_clips, runs_of,
                          videos_of)

RAY = os.path.join(os.path.dirname(sys.executable), "ray")
# Ray replaces 127.0.0.1 by the machine's outward address; any other
# loopback address it keeps, so the cluster never leaves this machine.
HOST = "127.0.0.2"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def parent(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def descends_from(pid, ancestor):
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = parent(pid)
        except OSError:
            return False
    return False


def children(pid, name):
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and parent(int(entry)) == pid:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == name:
                        found.append(int(entry))
        except OSError:
            pass
    return found


def tool_runs(pid):
    """Whether gst-vgg-traffic still runs as pid (which may be reused)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"gst-vgg-traffic" in f.read()
    except OSError:
        return False


class Node:
    """`ray start --block` in a process group of its own: everything the
    node starts stays in it, and is stopped with it."""

    def __init__(self, tmp, name, *args):
        self.log = os.path.join(tmp, name + ".log")
        env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0",
                   # A lost node is noticed in seconds, not the default 30 or so.
                   RAY_health_check_period_ms="1000", RAY_health_check_timeout_ms="3000",
                   RAY_health_check_failure_threshold="5")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [RAY, "start", "--block", "--node-ip-address", HOST, "--num-cpus", "1",
                 "--num-gpus", "0", "--object-store-memory", str(80 << 20),
                 "--dashboard-agent-listen-port", str(free_port()),
                 "--temp-dir", os.path.join(tmp, "ray"), "--disable-usage-stats", *args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True)

    def wait_started(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log) as f:
                if "Ray runtime started" in f.read():
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        with open(self.log) as f:
            raise AssertionError(f"ray start did not start:\n{f.read()[-3000:]}")

    def raylet(self):
        pids = children(self.proc.pid, "raylet")
        assert len(pids) == 1, f"raylets of the node: {pids}"
        return pids[0]

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


class RayCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="vggray")
        cls.nodes = []
        try:
            cls.port = free_port()
            cls.nodes.append(Node(cls.tmp.name, "head", "--head", "--port", str(cls.port),
                                  "--include-dashboard", "false"))
            # The clips and the local pool's run while Ray starts.
            cls.clips = make_clips(os.path.join(cls.tmp.name, "videos"))
            cls.local = os.path.join(cls.tmp.name, "local")
            r = archive("-O", cls.local, *PLANTED, "--workers", "2",
                        os.path.join(cls.tmp.name, "videos"))
            assert r.returncode == 0, r.stderr
            cls.nodes[0].wait_started()
            cls.nodes.append(Node(cls.tmp.name, "worker", "--address", f"{HOST}:{cls.port}"))
            cls.nodes[1].wait_started()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for node in reversed(cls.nodes):
            node.stop()
        cls.tmp.cleanup()

    def test_ctrl_c_cancels_the_tasks(self):
        videos = os.path.join(self.tmp.name, "ctrl-c")
        os.makedirs(videos)
        long = os.path.join(videos, "long.mp4")
        clip.make(long, 300, size=SIZE, spans=[(5, 290)])
        tool, log = logging_tool(videos)
        out = os.path.join(self.tmp.name, "out-ctrl-c")
        p = subprocess.Popen([sys.executable, os.environ["VGG_ARCHIVE"], "--tool", tool,
                              "-O", out, *PLANTED, "--ray", f"{HOST}:{self.port}", long],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            work = os.path.join(out, ".archive", "work")
            deadline = time.time() + 120
            while time.time() < deadline and not glob.glob(work + "/*/summary.json.part"):
                time.sleep(0.05)
            self.assertTrue(glob.glob(work + "/*/summary.json.part"), "the video never started")
            p.send_signal(signal.SIGINT)
            self.assertEqual(p.wait(timeout=120), 130)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.assertEqual(videos_of(out)[long]["status"], "interrupted")
        self.assertEqual(intervals_of(out), [])
        self.assertEqual(leftovers(out), [])
        self.assertFalse(os.path.exists(os.path.join(out, long.lstrip("/"))))
        (pid, _, _), = runs_of(log)
        self.assertFalse(tool_runs(pid), "gst-vgg-traffic was not stopped")

    def test_kill_worker_node_while_it_runs_a_video(self):
        worker = self.nodes[1]
        tool, log = logging_tool(self.tmp.name)
        out = os.path.join(self.tmp.name, "out")
        # Its output: ours, and Ray's own reports of the lost node.
        output = os.path.join(self.tmp.name, "archive.log")
        with open(output, "w") as f:
            p = subprocess.Popen([sys.executable, os.environ["VGG_ARCHIVE"], "--tool", tool,
                                  "-O", out, *PLANTED, "--ray", f"{HOST}:{self.port}",
                                  os.path.join(self.tmp.name, "videos")],
                                 stdout=f, stderr=subprocess.STDOUT)
        try:
            # An attempt on the worker node: a folder under .archive/work named
            # by its Ray worker's pid, where gst-vgg-traffic has started.
            work = os.path.join(out, ".archive", "work")
            victim, deadline = None, time.time() + 240
            while not victim and time.time() < deadline and p.poll() is None:
                try:
                    names = os.listdir(work)
                except FileNotFoundError:  # not yet made
                    names = []
                for name in names:
                    pid = name.split("-")[0]
                    if (pid.isdigit() and descends_from(int(pid), worker.proc.pid)
                            and os.path.exists(os.path.join(work, name, "summary.json.part"))):
                        victim = name
                time.sleep(0.05)
            self.assertTrue(victim, "no video ran on the worker node")
            raylet = worker.raylet()
            lost = [v for pid, _, v in runs_of(log) if descends_from(int(pid), worker.proc.pid)]
            os.kill(raylet, signal.SIGKILL)
            killed_at = len(runs_of(log))
            p.wait(timeout=400)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        with open(output) as f:
            self.assertEqual(p.returncode, 0, f.read())

        # The video of the lost node is the one run twice, the second time
        # on the head; nothing else ran twice.
        runs = runs_of(log)
        videos = [v for _, _, v in runs]
        self.assertEqual(sorted(set(videos)), sorted(self.clips))
        twice = [v for v in set(videos) if videos.count(v) == 2]
        self.assertEqual(twice, lost, runs)
        self.assertEqual(len(videos), len(self.clips) + 1, runs)
        retried = [pid for pid, _, v in runs[killed_at:] if v == twice[0]]
        self.assertEqual(len(retried), 1, runs)
        status = videos_of(out)
        for video, row in status.items():
            self.assertEqual((row["status"], row["attempts"]),
                             ("done", "2" if video == twice[0] else "1"), row)

        # The same index as the local pool's: the planted intervals, each once.
        rows = intervals_of(out)
        self.assertEqual([key(r) for r in rows], expected_intervals(self.clips))
        self.assertEqual(rows, intervals_of(self.local))
        self.assertEqual(leftovers(out), [])
        # No gst-vgg-traffic outlived the lost node.
        for pid, _, _ in runs:
            self.assertFalse(tool_runs(pid), f"gst-vgg-traffic {pid} still runs")


if __name__ == "__main__":
    unittest.main(verbosity=2)
