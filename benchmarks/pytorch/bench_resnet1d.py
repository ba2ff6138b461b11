#!/usr/bin/python3
"""PyTorch peer of `ecgclip bench train|infer`: the same work on the same architecture, for a same-run comparison.

The architecture is read from EcgClip's encoder config JSON (src/EcgClip.Core/Configs/<backbone>.json, or --config):
stem Conv1d(k, stride 2, no bias) + BatchNorm + ReLU (+ MaxPool1d(3, 2, 1) when "stemPool" is true), BasicBlocks of two
k3 convs with a 1x1 conv + BatchNorm shortcut where the shape changes, stages at strides 1/2/2/2, mean pooling over
time, Linear(last width, embeddingDim). Train: MSE against a fixed random target, AdamW(lr 1e-3, weight decay 0.01),
forward + backward + step; bf16 = the forward pass inside torch.cpu.amp.autocast(dtype=torch.bfloat16), float32 loss
and optimiser (PyTorch's CPU mixed precision). Infer: eval mode under no_grad (bf16: inside autocast).
Prints one JSON line like `ecgclip bench --json`. Needs only python3-torch (Debian's PyTorch 1.13); never a runtime
dependency of EcgClip.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride, k):
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.bn1 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, k, stride=1, padding=k // 2, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv1d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        identity = x if self.down is None else self.down(x)
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + identity)


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        widths, layers = cfg["widths"], cfg["layers"]
        k, bk = cfg.get("stemKernel", 7), cfg.get("blockKernel", 3)
        self.conv1 = nn.Conv1d(len(cfg["leads"]), widths[0], k, stride=2, padding=k // 2, bias=False)
        self.bn1 = nn.BatchNorm1d(widths[0])
        self.pool = nn.MaxPool1d(3, stride=2, padding=1) if cfg.get("stemPool", False) else nn.Identity()
        blocks, cur = [], widths[0]
        for s, (n, w) in enumerate(zip(layers, widths)):
            for b in range(n):
                blocks.append(Block(cur, w, 2 if (s > 0 and b == 0) else 1, bk))
                cur = w
        self.blocks = nn.Sequential(*blocks)
        emb = cfg.get("embeddingDim", 256)
        self.proj = nn.Linear(cur, emb) if emb > 0 else nn.Identity()

    def forward(self, x):
        y = self.pool(F.relu(self.bn1(self.conv1(x))))
        return self.proj(self.blocks(y).mean(-1))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["train", "infer"])
    p.add_argument("--backbone", default="resnet18")
    p.add_argument("--config", help="encoder config JSON (default: EcgClip's built-in for --backbone)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--length", type=int, default=2500)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--precision", choices=["float32", "bf16"], default="float32")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    path = a.config or os.path.join(here, "..", "..", "src", "EcgClip.Core", "Configs", a.backbone + ".json")
    with open(path) as f:
        cfg = json.load(f)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Encoder(cfg)
    x = torch.randn(a.batch_size, len(cfg["leads"]), a.length)
    target = torch.randn(a.batch_size, cfg.get("embeddingDim", 256) or cfg["widths"][-1])
    bf16 = a.precision == "bf16"
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01) if a.mode == "train" else None
    model.train(a.mode == "train")
    times, last, cpu0 = [], float("nan"), 0.0
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            cpu0 = time.process_time()  # all threads of the process, user + system, as ecgclip's cpu_seconds_per_step
        t0 = time.perf_counter()
        if a.mode == "train":
            opt.zero_grad(set_to_none=True)
            with torch.cpu.amp.autocast(enabled=bf16, dtype=torch.bfloat16):
                out = model(x)
            loss = F.mse_loss(out.float(), target)
            loss.backward()
            opt.step()
            last = loss.item()
        else:
            with torch.no_grad(), torch.cpu.amp.autocast(enabled=bf16, dtype=torch.bfloat16):
                last = model(x).float().mean().item()
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
    cpu = (time.process_time() - cpu0) / a.steps
    mean = sum(times) / len(times)
    print(json.dumps({"peer": "pytorch", "torch": torch.__version__, "mode": a.mode, "backbone": cfg["name"],
                      "batch_size": a.batch_size, "length": a.length, "threads": torch.get_num_threads(),
                      "precision": a.precision, "steps": a.steps, "warmup": a.warmup,
                      "ecg_per_s": round(a.batch_size / mean, 2), "seconds_per_step": round(mean, 4),
                      "cpu_seconds_per_step": round(cpu, 4),
                      "step_seconds": [round(t, 4) for t in times], "final_value": last}))


if __name__ == "__main__":
    main()
