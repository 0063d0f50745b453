#!/usr/bin/env python3
"""Steps per second of the Fashion-MNIST online model: Anima (compiled, CPU
backend) against the same model written in PyTorch as a user would write it.

    python3 bench/e2e/fashion_vs_torch.py [--build-dir B] [--steps N] [--warmup N]

Both run at batch 1, single-threaded, one image per step: predict, then learn
from the label, over the first training images of Fashion-MNIST (Debian
dataset-fashion-mnist; random images if it is missing). The model is
examples/fashion-online/model.mlir (36 patch populations, each a fixed random
projection 64 -> 512, k-WTA 25 with duty-cycle boosting and a 10-class
softmax-delta readout on the active rows; a learned pixel mean and a decaying
rate); anima-bench-fashion steps its artifact (built with the benchmarks).
PyTorch (Debian python3-torch) runs the same equations with a dense forward
(bmm), torch.topk and index_add_ updates. Prints both rates, both
prequential accuracies (close: same model, different random projections),
the ratio and the issue-6 target (>= 20x).
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"

# Single-threaded, like the Anima step: torch's OpenMP pool and the BLAS it
# calls (OpenBLAS reads this when it loads, so before `import torch`).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

try:
    import torch
except ImportError:
    # Debian's python3-torch lives in the system interpreter; a pyenv or venv
    # python3 may not see it.
    if os.path.exists("/usr/bin/python3") \
            and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and os.environ.get("ANIMA_TORCH_REEXEC") != "1":
        os.environ["ANIMA_TORCH_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    torch = None

# The model's constants (examples/fashion-online/gen_model.py, which writes
# model.mlir): 36 populations, one per 8x8 patch (stride 4) of the centred
# image, each a fixed random projection 64 -> 512, a boosted k-WTA keeping 25
# winners (binary code) and a softmax-delta readout of one 10-float row per
# unit; a running pixel mean and a 1/sqrt(1 + n/10000) rate schedule.
N_IN, N_OUT = 784, 10
SIZE, STRIDE, GRID = 8, 4, 6
POPS, PATCH, UNITS, K = GRID * GRID, SIZE * SIZE, 512, 25
BOOST, PERIOD, ETA, DECAY = 30.0, 1000.0, 0.11, 10000.0
CODE = K ** -0.5  # kwta's binary code: every winner's value is 1/sqrt(k)


def load_fashion(limit):
    """(images as floats in [0, 1], labels), and the raw IDX bytes."""
    img_path = os.path.join(DATA, "train-images-idx3-ubyte.gz")
    lab_path = os.path.join(DATA, "train-labels-idx1-ubyte.gz")
    if not (os.path.exists(img_path) and os.path.exists(lab_path)):
        return None
    with gzip.open(img_path) as f:
        img = f.read()
    with gzip.open(lab_path) as f:
        lab = f.read()
    return img, lab


def run_anima(build_dir, raw, steps, warmup):
    exe = None
    for sub in ("bin", "bench", os.path.join("anima", "bin")):
        p = os.path.join(build_dir, sub, "anima-bench-fashion")
        if os.access(p, os.X_OK):
            exe = p
            break
    if not exe:
        sys.exit(f"anima-bench-fashion not found under {build_dir}")
    cmd = [exe, "--steps", str(steps), "--warmup", str(warmup)]
    with tempfile.TemporaryDirectory() as tmp:
        if raw:
            ip, lp = os.path.join(tmp, "images"), os.path.join(tmp, "labels")
            with open(ip, "wb") as f:
                f.write(raw[0])
            with open(lp, "wb") as f:
                f.write(raw[1])
            cmd += ["--images", ip, "--labels", lp]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(out.stdout)


class TorchModel:
    """The model as a PyTorch user writes it: dense tensors, no custom ops,
    the 36 populations batched (bmm, topk along a dimension, one index_add_
    over all winners)."""

    def __init__(self):
        g = torch.Generator().manual_seed(1)
        self.proj = torch.randn(POPS, UNITS, PATCH, generator=g) * PATCH ** -0.5
        self.duty = torch.full((POPS, UNITS), K / UNITS)
        self.readout = torch.zeros(POPS, UNITS, N_OUT)  # one row per unit
        self.mean = torch.zeros(N_IN)
        self.n = 0.0
        # Row of every population's unit 0 in the flattened readout / duty.
        self.base = (torch.arange(POPS) * UNITS)[:, None]

    @torch.no_grad()
    def step(self, pixels, target):
        x = (pixels - self.mean).view(28, 28)
        patches = x.unfold(0, SIZE, STRIDE).unfold(1, SIZE, STRIDE)
        patches = patches.reshape(POPS, PATCH, 1)
        u = torch.bmm(self.proj, patches).squeeze(2)            # dense forward
        boost = torch.exp(BOOST * (K / UNITS - self.duty))
        _, idx = torch.topk(u * boost, K, dim=1)                 # k-WTA
        rows = (idx + self.base).view(-1)                        # winners' rows
        readout = self.readout.view(-1, N_OUT)
        logits = CODE * readout[rows].sum(0)                     # binary code
        # Learn (test-then-train): running mean, rate schedule, readout,
        # duty cycles.
        self.mean.add_((pixels - self.mean) / (self.n + 1.0))
        rate = 1.0 / (1.0 + self.n / DECAY) ** 0.5
        err = target - torch.softmax(logits, 0)
        readout.index_add_(0, rows, (ETA * rate * CODE * err).expand(rows.numel(), N_OUT))
        self.duty.mul_(1.0 - 1.0 / PERIOD)
        self.duty.view(-1).index_add_(0, rows, torch.full((rows.numel(),), 1.0 / PERIOD))
        self.n += 1.0
        return logits


def run_torch(raw, steps, warmup):
    torch.set_num_threads(1)
    total = steps + warmup
    if raw:
        import numpy as np
        img = np.frombuffer(raw[0], dtype=np.uint8, offset=16).reshape(-1, N_IN)
        lab = np.frombuffer(raw[1], dtype=np.uint8, offset=8)
        images = torch.from_numpy(img.astype(np.float32) / 255.0)
        labels = torch.from_numpy(lab.astype(np.int64))
        data = "fashion-mnist"
    else:
        g = torch.Generator().manual_seed(1)
        images = torch.rand(total, N_IN, generator=g)
        labels = torch.randint(0, N_OUT, (total,), generator=g)
        data = "random"
    model = TorchModel()
    onehots = torch.nn.functional.one_hot(labels, N_OUT).float()
    correct = 0
    times = []
    start = None
    for s in range(total):
        if s == warmup:
            start = time.perf_counter()
        i = s % images.shape[0]
        t0 = time.perf_counter()
        logits = model.step(images[i], onehots[i])
        if s >= warmup:
            times.append(time.perf_counter() - t0)
        correct += int(torch.argmax(logits)) == int(labels[i])
    seconds = time.perf_counter() - start
    times.sort()
    return {"backend": f"pytorch {torch.__version__}", "data": data, "steps": steps,
            "steps_per_second": steps / seconds,
            "median_step_us": 1e6 * times[len(times) // 2],
            "accuracy": correct / total}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", default=os.environ.get("ANIMA_BUILD_DIR",
                                                         os.path.join(ROOT, "build")))
    p.add_argument("--steps", type=int, default=5000)
    p.add_argument("--warmup", type=int, default=500)
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args()
    if torch is None:
        sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch)")
    raw = load_fashion(args.steps + args.warmup)
    anima = run_anima(os.path.abspath(args.build_dir), raw, args.steps, args.warmup)
    torch_result = run_torch(raw, args.steps, args.warmup)
    ratio = anima["steps_per_second"] / torch_result["steps_per_second"]
    print(f"Fashion-MNIST online step, batch 1, single thread, {args.steps} timed steps "
          f"({anima['data']})")
    print(f"{'backend':28} {'steps/s':>10} {'median us':>10} {'accuracy':>9}")
    for r in (anima, torch_result):
        print(f"{r['backend']:28} {r['steps_per_second']:10.1f} {r['median_step_us']:10.1f} "
              f"{r['accuracy']:9.3f}")
    print(f"anima / pytorch: {ratio:.2f}x  (issue-6 target: >= 20x: "
          f"{'MET' if ratio >= 20 else 'MISSED'})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"anima": anima, "pytorch": torch_result, "ratio": ratio}, f, indent=1)


if __name__ == "__main__":
    main()
