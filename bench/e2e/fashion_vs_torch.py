#!/usr/bin/env python3
"""Steps per second of the Fashion-MNIST online model: Anima (compiled, CPU
backend) against the same model written in PyTorch as a user would write it.

    python3 bench/e2e/fashion_vs_torch.py [--build-dir B] [--steps N] [--warmup N]

Both run at batch 1, single-threaded, one image per step: predict, then learn
from the label, over the first training images of Fashion-MNIST (Debian
dataset-fashion-mnist; random images if it is missing). The model is
examples/fashion-online/model.mlir (784 -> 4096 fixed random projection,
k-WTA 128 with duty-cycle boosting, 10-class softmax-delta readout on the
active rows); anima-bench-fashion steps its artifact (built with the
benchmarks). PyTorch (Debian python3-torch) runs the same equations with a
dense forward, torch.topk and index_add_ updates. Prints both rates, the
ratio and the issue-6 target (>= 20x).
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

# The model's constants (examples/fashion-online/model.mlir).
N_IN, N_HID, K, N_OUT = 784, 4096, 128, 10
PROJ_STD, BETA, PERIOD, ETA = 0.0357, 2.0, 1000.0, 0.5


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
    """The model as a PyTorch user writes it: dense tensors, no custom ops."""

    def __init__(self, mean):
        g = torch.Generator().manual_seed(1)
        self.proj = torch.randn(N_HID, N_IN, generator=g) * PROJ_STD
        self.duty = torch.full((N_HID,), K / N_HID)
        self.readout = torch.zeros(N_HID, N_OUT)  # one row per hidden unit
        self.mean = mean
        self.rate = torch.full((K,), 1.0 / PERIOD)

    @torch.no_grad()
    def step(self, pixels, target):
        x = pixels - self.mean
        u = self.proj @ x                                   # dense forward
        boost = torch.exp(BETA * (K / N_HID - self.duty))
        _, idx = torch.topk(u * boost, K)                   # k-WTA
        val = u[idx]
        h = torch.zeros(N_HID)
        h[idx] = val                                        # sparse code, dense
        logits = h @ self.readout                           # dense readout
        err = target - torch.softmax(logits, 0)
        self.readout.index_add_(0, idx, ETA * val[:, None] * err[None, :])
        self.duty.mul_(1.0 - 1.0 / PERIOD)                  # duty cycles
        self.duty.index_add_(0, idx, self.rate)
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
    mean = images[:1000].mean(0)
    model = TorchModel(mean)
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
