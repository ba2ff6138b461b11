"""Oracle for EcgClip's MERL-compatible ResNet1d and attention pooling.

Builds a narrow MERL-style ResNet-18-1D (widths 8/16/32/64, blocks [2,2,2,2]; stem Conv1d k7 s2 + BN + ReLU without
max-pool, BasicBlocks of two k3 convs, strides 1/2/2/2, a residual branch named `shortcut`, and MERL's unused
classifier `linear`) plus MERL's ResNet head (`downconv` 1x1 conv + `att_pool_head`: class token + positional
embedding + nn.MultiheadAttention(batch_first=True) + `c_proj`), seeded, with random batch-norm statistics, and writes

  tests/EcgClip.Core.Tests/Fixtures/merl_resnet1d.safetensors  the state_dict under MERL's ECGCLIP names
                                                               (ecg_encoder.*, downconv.*, att_pool_head.*)
  tests/EcgClip.Core.Tests/Fixtures/merl_resnet1d_io.safetensors  a fixed input [2, 12, 200] and the eval-mode outputs:
                                                               feature_map [2, 64, 13], mean_pool [2, 64], attention_pool [2, 16]

The safetensors format is written by hand (8-byte little-endian header length, JSON header, raw little-endian data).
Run with Debian's PyTorch (python3-torch 1.13):  /usr/bin/python3 scripts/oracles/resnet1d.py
"""
import json
import os
import struct

import torch
import torch.nn as nn

torch.set_num_threads(1)
HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, "..", "..", "tests", "EcgClip.Core.Tests", "Fixtures")
WIDTHS = [8, 16, 32, 64]
BLOCKS = [2, 2, 2, 2]
LEADS, SAMPLES, BATCH = 12, 200, 2
EMBED, HEADS = 16, 4


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv1d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm1d(cout)
        self.conv2 = nn.Conv1d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm1d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv1d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm1d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.shortcut(x))


class ResNet1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(LEADS, WIDTHS[0], 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm1d(WIDTHS[0])
        cin = WIDTHS[0]
        for s, (w, n) in enumerate(zip(WIDTHS, BLOCKS)):
            blocks = []
            for b in range(n):
                blocks.append(Block(cin, w, (1 if s == 0 else 2) if b == 0 else 1))
                cin = w
            setattr(self, f"layer{s + 1}", nn.Sequential(*blocks))
        self.linear = nn.Linear(cin, 10)  # MERL's classifier, unused by forward

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        for s in range(len(WIDTHS)):
            y = getattr(self, f"layer{s + 1}")(y)
        return y


class AttentionPool(nn.Module):
    def __init__(self, length, embed, heads, out):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(1, length + 1, embed) / embed)
        self.cls_token = nn.Parameter(torch.randn(1, 1, embed))
        self.mhsa = nn.MultiheadAttention(embed, heads, batch_first=True)
        self.c_proj = nn.Linear(embed, out)

    def forward(self, x):
        x = x.permute(0, 2, 1)
        cls = (self.cls_token + self.positional_embedding[:, :1, :]).expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.positional_embedding
        y, _ = self.mhsa(x[:, :1, :], x, x)
        return self.c_proj(y).reshape(x.shape[0], -1)


class MerlVision(nn.Module):
    def __init__(self, length):
        super().__init__()
        self.ecg_encoder = ResNet1d()
        self.downconv = nn.Conv1d(WIDTHS[-1], EMBED, 1)
        self.att_pool_head = AttentionPool(length, EMBED, HEADS, EMBED)


DTYPES = {torch.float32: ("F32", "f"), torch.int64: ("I64", "q")}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        code, fmt = DTYPES[t.dtype]
        data = struct.pack("<%d%s" % (t.numel(), fmt), *t.reshape(-1).tolist())
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for data in blobs:
            f.write(data)


def main():
    torch.manual_seed(1234)
    length = SAMPLES
    for _ in range(4):
        length = (length + 1) // 2
    model = MerlVision(length)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.num_batches_tracked.fill_(7)
            if isinstance(m, nn.MultiheadAttention):
                m.in_proj_bias.normal_(0, 0.1)
                m.out_proj.bias.normal_(0, 0.1)
    model.eval()
    x = torch.randn(BATCH, LEADS, SAMPLES)
    with torch.no_grad():
        feature_map = model.ecg_encoder(x)
        mean_pool = feature_map.mean(-1)
        attention_pool = model.att_pool_head(model.downconv(feature_map))
    os.makedirs(FIXTURES, exist_ok=True)
    write_safetensors(os.path.join(FIXTURES, "merl_resnet1d.safetensors"), model.state_dict())
    write_safetensors(os.path.join(FIXTURES, "merl_resnet1d_io.safetensors"),
                      {"input": x, "feature_map": feature_map, "mean_pool": mean_pool, "attention_pool": attention_pool})
    print("feature map", tuple(feature_map.shape), "attention pool", tuple(attention_pool.shape),
          "state dict entries", len(model.state_dict()))


if __name__ == "__main__":
    main()
