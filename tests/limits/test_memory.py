#!/usr/bin/python3
"""vggclassify's memory is bounded by batch-size, not by the number of
regions: the peak resident memory of a gst-launch-1.0 process classifying
a 4K frame's 647 regions (vggtiler tile-width=224 overlap=0.5 plus the
frame) in batches of 16 is measured and compared with the same process
classifying 5 regions, under a fixed malloc mmap threshold (see peak_rss).
"""
import os
import resource
import subprocess
import unittest

MODELS = os.environ["VGG_TEST_MODELS"]
MB = 1024 * 1024


def peak_rss(tiler):
    """Peak resident memory (bytes) of one gst-launch-1.0 run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cmd = ["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=2", "pattern=ball", "!",
           "video/x-raw,format=RGB,width=3840,height=2160", "!",
           "vggtiler", *tiler, "!",
           "vggclassify", f"model={os.path.join(MODELS, 'tiny-vgg.pt')}", "batch-size=16",
           "threads=1", "!", "fakesink"]
    # A fixed mmap threshold: with glibc's dynamic one, the batch tensors
    # that LibTorch 2.x frees and allocates again come back from a heap
    # that fragments, and the resident size grows with the number of
    # batches (0.3 MB a region with torch 2.11) although nothing is held.
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(64 * 1024))
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)}: {r.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of any child so far: run the
    # bigger case last.
    assert peak >= before
    return peak * 1024


class Memory(unittest.TestCase):
    def test_647_regions_cost_no_more_than_5(self):
        few = peak_rss(["rows=2", "columns=2"])
        many = peak_rss(["tile-width=224", "overlap=0.5"])
        print(f"peak resident memory: 5 regions {few / MB:.0f} MB, "
              f"647 regions {many / MB:.0f} MB")
        # Before the chunking, 647 regions took 7.3 GB; each region's
        # preprocessing alone was about 11 MB. Allow a few batches' worth.
        self.assertLess(many - few, 300 * MB)
        self.assertLess(many, 1500 * MB)


if __name__ == "__main__":
    unittest.main(verbosity=2)
