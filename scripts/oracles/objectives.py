"""Oracle for EcgClip's contrastive objectives (clip, siglip, merl).

Writes tests/EcgClip.Core.Tests/Fixtures/objectives.json: random float64 embeddings for a few batch sizes (with and
without duplicate report groups), the loss, its terms, and the gradients with respect to both embeddings (and the
second ECG view) and to the learnable log-scale / bias, computed by PyTorch autograd from the formulas below.

Formulas (rows L2-normalised; CE(L, Q) = mean_i -sum_j Q_ij log softmax(L_i)_j, as torch's soft-target cross_entropy):
  clip   : 0.5 * [CE(s E T^T, Q) + CE(s T E^T, Q)], s = exp(logit_scale)            (Radford et al. 2021)
  siglip : -1/B sum_ij logsigmoid(z_ij (t E_i.T_j + b)), t = exp(logit_scale)         (Zhai et al. 2023)
  merl   : [CE(s E T^T, Q) + CE(s T E^T, Q)] + [CE(s E V^T, I) + CE(s V E^T, I)], s = 1/0.07 fixed
           (MERL utils_loss.clip_loss sums both directions; utils_trainer adds cma + uma)
Q = I without groups (hard-label cross_entropy is used then), else uniform over same-group rows (shared positives).

Run with Debian's PyTorch (python3-torch 1.13):  /usr/bin/python3 scripts/oracles/objectives.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "EcgClip.Core.Tests", "Fixtures", "objectives.json")


def positives(n, groups, shared):
    if groups is None or not shared:
        return torch.eye(n, dtype=torch.float64)
    g = torch.tensor(groups)
    return (g[:, None] == g[None, :]).to(torch.float64)


def ce(logits, mask, hard):
    if hard:
        return F.cross_entropy(logits, torch.arange(logits.shape[0]))
    return F.cross_entropy(logits, mask / mask.sum(1, keepdim=True))


def clip(e, t, v, scale_param, bias_param, groups, shared):
    n = e.shape[0]
    hard = groups is None or not shared
    mask = positives(n, groups, shared)
    s = scale_param.exp().clamp(max=100.0)
    logits = s * F.normalize(e, dim=-1) @ F.normalize(t, dim=-1).T
    loss = 0.5 * (ce(logits, mask, hard) + ce(logits.T, mask, hard))
    return loss, {"ecg_text": loss}


def siglip(e, t, v, scale_param, bias_param, groups, shared):
    n = e.shape[0]
    z = 2 * positives(n, groups, shared) - 1
    logits = scale_param.exp().clamp(max=100.0) * F.normalize(e, dim=-1) @ F.normalize(t, dim=-1).T + bias_param
    loss = -F.logsigmoid(z * logits).sum() / n
    return loss, {"ecg_text": loss}


def merl(e, t, v, scale_param, bias_param, groups, shared):
    n = e.shape[0]
    hard = groups is None or not shared
    mask = positives(n, groups, shared)
    s = 1.0 / 0.07
    en, tn, vn = (F.normalize(x, dim=-1) for x in (e, t, v))
    cma_logits = s * en @ tn.T
    cma = ce(cma_logits, mask, hard) + ce(cma_logits.T, mask, hard)
    uma_logits = s * en @ vn.T
    eye = torch.eye(n, dtype=torch.float64)
    uma = ce(uma_logits, eye, True) + ce(uma_logits.T, eye, True)
    return cma + uma, {"ecg_text": cma, "ecg_ecg": uma}


OBJECTIVES = {"clip": clip, "siglip": siglip, "merl": merl}

# (objective, batch, dim, groups, sharedPositives, logit_scale, logit_bias)
CASES = [
    ("clip", 2, 3, None, True, math.log(1 / 0.07), None),
    ("clip", 5, 4, [3, 1, 4, 0, 2], True, math.log(1 / 0.07), None),
    ("clip", 6, 4, [0, 1, 0, 2, 1, 0], True, math.log(1 / 0.07), None),
    ("clip", 6, 4, [0, 1, 0, 2, 1, 0], False, math.log(1 / 0.07), None),
    ("clip", 8, 6, None, True, 1.3, None),
    ("siglip", 2, 3, None, True, math.log(10.0), -10.0),
    ("siglip", 5, 4, [3, 1, 4, 0, 2], True, math.log(10.0), -10.0),
    ("siglip", 6, 4, [0, 1, 0, 2, 1, 0], True, 1.7, -3.0),
    ("siglip", 6, 4, [0, 1, 0, 2, 1, 0], False, 1.7, -3.0),
    ("siglip", 8, 6, None, True, 2.2, 0.5),
    ("merl", 2, 3, None, True, None, None),
    ("merl", 5, 4, [3, 1, 4, 0, 2], True, None, None),
    ("merl", 6, 4, [0, 1, 0, 2, 1, 0], True, None, None),
    ("merl", 8, 6, [0, 1, 0, 2, 1, 0, 3, 3], False, None, None),
]


def rows(x):
    return x.tolist()


def main():
    gen = torch.Generator().manual_seed(20260301)
    cases = []
    for k, (name, n, d, groups, shared, scale, bias) in enumerate(CASES):
        e = torch.randn(n, d, generator=gen, dtype=torch.float64).requires_grad_()
        t = torch.randn(n, d, generator=gen, dtype=torch.float64).requires_grad_()
        v = torch.randn(n, d, generator=gen, dtype=torch.float64).requires_grad_()
        sp = torch.tensor(scale if scale is not None else math.log(1 / 0.07), dtype=torch.float64, requires_grad=scale is not None)
        bp = torch.tensor(bias if bias is not None else 0.0, dtype=torch.float64, requires_grad=bias is not None)
        loss, terms = OBJECTIVES[name](e, t, v, sp, bp, groups, shared)
        loss.backward()
        case = {
            "id": f"{name}-{k}-b{n}",
            "objective": name,
            "sharedPositives": shared,
            "groups": groups,
            "logitScale": scale,
            "logitBias": bias,
            "ecg": rows(e.detach()),
            "text": rows(t.detach()),
            "view2": rows(v.detach()) if name == "merl" else None,
            "loss": loss.item(),
            "terms": {key: value.item() for key, value in terms.items()},
            "grad": {
                "ecg": rows(e.grad),
                "text": rows(t.grad),
                "view2": rows(v.grad) if name == "merl" else None,
                "logitScale": sp.grad.item() if scale is not None else None,
                "logitBias": bp.grad.item() if bias is not None else None,
            },
        }
        cases.append(case)
    doc = {"generator": "scripts/oracles/objectives.py", "torch": torch.__version__, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
