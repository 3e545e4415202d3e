#!/usr/bin/env python3
"""Issue-6/issue-3 measurements with the qcodec binary on a folder of images.

For every image: adaptive allocation at each --bpp target and uniform
iteration counts 1..N (no rate control), each encoded, decoded and scored
with `qcodec metric`. Prints and writes (JSON) per target:
  - mean real bpp, MS-SSIM, PSNR with adaptive allocation;
  - the uniform-allocation MS-SSIM at the same mean rate (linear
    interpolation of the mean uniform curve), i.e. the gain from adaptivity;
  - rate error statistics (real / target - 1) and how many files landed in
    the -5%/+1% window;
  - encode / decode wall time per image;
  - entropy-coding saving per iteration: 1 - model cost / raw code bits
    (from `qcodec info --json`).

usage: measure_codec.py QCODEC DATASET OUT.json [--bpp 0.125,0.25,0.5,1]
       [--uniform 12] [--threads 2] [--limit N] [--model FILE] [--alloc RULE]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time


def run(args):
    start = time.monotonic()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out, time.monotonic() - start


def score(qcodec, image, qc, png, threads, model_flags):
    _, dec_s = run([qcodec, "decode", qc, "-o", png, "-f", "--threads", str(threads), "--quiet"]
                   + model_flags)
    metric = json.loads(run([qcodec, "metric", image, png, "--json"])[0])
    info = json.loads(run([qcodec, "info", qc, "--json"])[0])
    return {"bpp": info["bpp"], "msssim": metric["msssim"], "psnr": metric["psnr"],
            "decode_s": dec_s, "model_bits": info["model_bits_per_iteration"],
            "raw_bits": info["raw_bits_per_iteration"]}


def interpolate(curve, bpp):
    """MS-SSIM of a (bpp, msssim) curve sorted by bpp at `bpp` (None outside)."""
    for (b0, q0), (b1, q1) in zip(curve, curve[1:]):
        if b0 <= bpp <= b1:
            return q0 + (q1 - q0) * (bpp - b0) / (b1 - b0) if b1 > b0 else q0
    return None


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("qcodec")
    p.add_argument("dataset")
    p.add_argument("out")
    p.add_argument("--bpp", default="0.125,0.25,0.5,1")
    p.add_argument("--uniform", type=int, default=12)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--model", default="")
    p.add_argument("--alloc", default="", help="qcodec --alloc rule of the adaptive encodes (default: its own)")
    a = p.parse_args()
    model_flags = ["--model", a.model] if a.model else []
    targets = [float(b) for b in a.bpp.split(",")]
    images = sorted(glob.glob(os.path.join(a.dataset, "*.png")))
    if a.limit:
        images = images[: a.limit]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        qc, png = os.path.join(tmp, "x.qc"), os.path.join(tmp, "x.png")
        for n, image in enumerate(images):
            name = os.path.basename(image)
            alloc = ["--alloc", a.alloc] if a.alloc else []
            settings = [("adaptive", t, ["--bpp", str(t)] + alloc) for t in targets]
            settings += [("uniform", k, ["--iterations", str(k)]) for k in range(1, a.uniform + 1)]
            for mode, setting, flags in settings:
                _, enc_s = run([a.qcodec, "encode", image, "-o", qc, "-f", "--quiet",
                                "--threads", str(a.threads)] + flags + model_flags)
                r = score(a.qcodec, image, qc, png, a.threads, model_flags)
                r.update(image=name, mode=mode, setting=setting, encode_s=enc_s)
                rows.append(r)
            print(f"[{n + 1}/{len(images)}] {name}", file=sys.stderr, flush=True)

    uniform = sorted((mean([r["bpp"] for r in rows if r["mode"] == "uniform" and r["setting"] == k]),
                      mean([r["msssim"] for r in rows if r["mode"] == "uniform" and r["setting"] == k]))
                     for k in range(1, a.uniform + 1))
    summary = {"images": len(images), "targets": []}
    for t in targets:
        sel = [r for r in rows if r["mode"] == "adaptive" and r["setting"] == t]
        errors = [r["bpp"] / t - 1 for r in sel]
        iterations = max(len(r["raw_bits"]) for r in sel)
        saving = []
        for i in range(iterations):
            raw = sum(r["raw_bits"][i] for r in sel if i < len(r["raw_bits"]))
            coded = sum(r["model_bits"][i] for r in sel if i < len(r["model_bits"]))
            saving.append(round(1 - coded / raw, 4) if raw else None)
        entry = {
            "target_bpp": t,
            "mean_bpp": mean([r["bpp"] for r in sel]),
            "msssim": mean([r["msssim"] for r in sel]),
            "psnr": mean([r["psnr"] for r in sel]),
            "uniform_msssim_at_same_rate": interpolate(uniform, mean([r["bpp"] for r in sel])),
            "rate_error_min": min(errors), "rate_error_max": max(errors),
            "rate_error_mean_abs": mean([abs(e) for e in errors]),
            "in_window": sum(-0.05 <= e <= 0.01 for e in errors),
            "encode_s": mean([r["encode_s"] for r in sel]),
            "decode_s": mean([r["decode_s"] for r in sel]),
            "entropy_saving_per_iteration": saving,
        }
        summary["targets"].append(entry)
        print(json.dumps(entry), flush=True)
    summary["uniform_curve"] = [{"bpp": b, "msssim": q} for b, q in uniform]
    with open(a.out, "w") as f:
        json.dump({"summary": summary, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
