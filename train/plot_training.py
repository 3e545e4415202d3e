#!/usr/bin/env python3
"""Training curve: validation MS-SSIM (raw 0.25 and 1 bpp) against steps and
against wall time, from a run's log.csv, as a standalone SVG.

usage: plot_training.py RUN/log.csv OUT.svg
Rows measured with float weights (the float phase) and with the exact binary
weights export ships are drawn as separate series.
"""
import csv
import sys

W, H, PAD = 420, 260, 50
COLOURS = {"0.25": "#1f77b4", "1": "#d62728"}


def phases(rows, binary):
    """Runs of consecutive rows measured with the given kind of weights."""
    segments, current = [], []
    for r in rows:
        if r["val_binary_weights"] == binary:
            current.append(r)
        elif current:
            segments.append(current)
            current = []
    return segments + ([current] if current else [])


def panel(rows, x_key, x_label, x0):
    xs = [float(r[x_key]) for r in rows]
    ys = [float(r[k]) for r in rows for k in ("val_msssim_0.25bpp", "val_msssim_1bpp")]
    xmax = max(xs) * 1.05 or 1
    ymin, ymax = min(ys) - 0.02, max(ys) + 0.02
    sx = lambda v: x0 + PAD + v / xmax * (W - 2 * PAD)
    sy = lambda v: H - PAD - (v - ymin) / (ymax - ymin) * (H - 2 * PAD)
    out = [f'<rect x="{x0 + PAD}" y="{PAD}" width="{W - 2 * PAD}" height="{H - 2 * PAD}" fill="none" stroke="#888"/>',
           f'<text x="{x0 + W / 2}" y="{H - 12}" text-anchor="middle">{x_label}</text>']
    for i in range(5):
        yv = ymin + (ymax - ymin) * i / 4
        out.append(f'<text x="{x0 + PAD - 4}" y="{sy(yv) + 4:.1f}" text-anchor="end" font-size="10">{yv:.3f}</text>')
        xv = xmax * i / 4
        out.append(f'<text x="{sx(xv):.1f}" y="{H - PAD + 14}" text-anchor="middle" font-size="10">{xv:.0f}</text>')
    for rate, key in (("0.25", "val_msssim_0.25bpp"), ("1", "val_msssim_1bpp")):
        for binary, dash in (("0", ""), ("1", ' stroke-dasharray="5,3"')):
            # One line per contiguous phase: a float phase between two
            # binary ones must not be bridged.
            for segment in phases(rows, binary):
                pts = [(sx(float(r[x_key])), sy(float(r[key]))) for r in segment]
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                out.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[rate]}" stroke-width="2"{dash}/>')
                out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOURS[rate]}"/>' for x, y in pts]
    return out


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    for r in rows:
        r["wall_min"] = float(r["wall_s"]) / 60
    body = panel(rows, "step", "training step", 0) + panel(rows, "wall_min", "wall time (minutes)", W)
    legend = [f'<text x="{PAD}" y="20">validation MS-SSIM (held-out crops, raw rate):</text>']
    x = PAD + 300
    for label, colour in (("0.25 bpp", COLOURS["0.25"]), ("1 bpp", COLOURS["1"])):
        legend.append(f'<line x1="{x}" y1="16" x2="{x + 20}" y2="16" stroke="{colour}" stroke-width="2"/>'
                      f'<text x="{x + 24}" y="20">{label}</text>')
        x += 90
    legend.append(f'<text x="{x}" y="20">solid: float weights, dashed: binary weights</text>')
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>'] + legend + body + ["</svg>"]
    open(sys.argv[2], "w").write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
