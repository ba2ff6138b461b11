"""Writes tests/EcgClip.Core.Tests/Fixtures/optimization.json: PyTorch 1.13 references for the trainer's
learning-rate schedule (LambdaLR with linear warm-up + cosine) and gradient-norm clipping (clip_grad_norm_).

Run from the repository root with Debian's PyTorch: /usr/bin/python3 scripts/oracles/optimization.py
"""
import json
import math

import torch

torch.manual_seed(0)


def lambda_lr(base_lr, warmup, total, min_ratio, steps):
    """LambdaLR where the factor is a function of the 0-based optimiser step; records the lr used by each step."""
    def factor(s):
        if s < warmup:
            return (s + 1) / warmup
        decay = total - warmup
        p = 1.0 if decay == 0 else min(1.0, (s - warmup) / decay)
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * p))

    w = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.AdamW([w], lr=base_lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()  # once per optimiser step
    return lrs


schedules = []
for base_lr, warmup, total, min_ratio in [(1e-3, 10, 100, 0.0), (3e-4, 5, 40, 0.1), (1e-2, 0, 20, 0.0), (5e-4, 1, 7, 0.5)]:
    steps = total + 5
    schedules.append({"baseLr": base_lr, "warmupSteps": warmup, "totalSteps": total, "minLrRatio": min_ratio,
                      "lr": lambda_lr(base_lr, warmup, total, min_ratio, steps)})

clips = []
for max_norm, scale in [(1.0, 1.0), (0.5, 0.01), (2.0, 3.0)]:
    shapes = [[3, 4], [4], [2, 2, 3]]
    params = [torch.nn.Parameter(torch.zeros(s, dtype=torch.float32)) for s in shapes]
    for p in params:
        p.grad = (torch.randn(p.shape, dtype=torch.float32) * scale)
    before = [p.grad.clone() for p in params]
    total_norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    clips.append({"maxNorm": max_norm, "shapes": shapes,
                  "grads": [g.flatten().tolist() for g in before],
                  "clipped": [p.grad.flatten().tolist() for p in params],
                  "totalNorm": float(total_norm)})

with open("tests/EcgClip.Core.Tests/Fixtures/optimization.json", "w") as f:
    json.dump({"generator": "scripts/oracles/optimization.py", "torch": torch.__version__,
               "schedules": schedules, "clipGradNorm": clips}, f, indent=1)
    f.write("\n")
