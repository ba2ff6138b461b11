#!/usr/bin/env python3
"""Generates the tiny-BERT fixtures for EcgClip.Text.Tests (run from this folder; needs numpy only).

Writes:
  model.safetensors  Hugging Face BertModel weights (F32), safetensors written by hand (8-byte LE header length,
                     JSON header {name: {dtype, shape, data_offsets}}, raw little-endian data)
  config.json        the BertConfig (2 layers, hidden 32, 4 heads, intermediate 64, vocab 100)
  vocab.txt          100 WordPiece entries
  expected.json      inputs and the reference outputs: last_hidden_state, pooler_output, cls, mean
  dtypes.safetensors the same values stored as F32, F16 and BF16 (+ expected floats in dtypes.json)

The reference is the BertModel forward pass written out in numpy (float64): embeddings (word + position +
token type 0) -> LayerNorm(eps 1e-12); per layer: Q/K/V, scores/sqrt(d) + (1 - mask) * finfo(float32).min on
padded keys, softmax, context, output dense + residual + LayerNorm, intermediate dense + erf-GELU, output dense +
residual + LayerNorm; pooler = tanh(dense(h[:, 0])). Mean pooling = sum(h * mask) / sum(mask).
"""
import json
import math
import struct

import numpy as np

rng = np.random.default_rng(20260526)
V, H, L, NH, I, P, TV = 100, 32, 2, 4, 64, 16, 2
EPS = 1e-12
config = {
    "architectures": ["BertModel"], "model_type": "bert", "vocab_size": V, "hidden_size": H,
    "num_hidden_layers": L, "num_attention_heads": NH, "intermediate_size": I, "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": P,
    "type_vocab_size": TV, "layer_norm_eps": EPS, "pad_token_id": 0,
}


def w(*shape, scale=0.3):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


params = {}
params["embeddings.word_embeddings.weight"] = w(V, H)
params["embeddings.position_embeddings.weight"] = w(P, H)
params["embeddings.token_type_embeddings.weight"] = w(TV, H)
params["embeddings.LayerNorm.weight"] = (1 + w(H, scale=0.1)).astype(np.float32)
params["embeddings.LayerNorm.bias"] = w(H, scale=0.1)
for l in range(L):
    p = f"encoder.layer.{l}."
    for name in ("query", "key", "value"):
        params[p + f"attention.self.{name}.weight"] = w(H, H)
        params[p + f"attention.self.{name}.bias"] = w(H, scale=0.1)
    params[p + "attention.output.dense.weight"] = w(H, H)
    params[p + "attention.output.dense.bias"] = w(H, scale=0.1)
    params[p + "attention.output.LayerNorm.weight"] = (1 + w(H, scale=0.1)).astype(np.float32)
    params[p + "attention.output.LayerNorm.bias"] = w(H, scale=0.1)
    params[p + "intermediate.dense.weight"] = w(I, H)
    params[p + "intermediate.dense.bias"] = w(I, scale=0.1)
    params[p + "output.dense.weight"] = w(H, I)
    params[p + "output.dense.bias"] = w(H, scale=0.1)
    params[p + "output.LayerNorm.weight"] = (1 + w(H, scale=0.1)).astype(np.float32)
    params[p + "output.LayerNorm.bias"] = w(H, scale=0.1)
params["pooler.dense.weight"] = w(H, H)
params["pooler.dense.bias"] = w(H, scale=0.1)


def write_safetensors(path, tensors):
    """tensors: name -> (dtype string, shape, raw little-endian bytes)."""
    header, offset, blobs = {}, 0, []
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    header["__metadata__"] = {"format": "pt", "generator": "make_tiny_bert.py"}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


write_safetensors("model.safetensors", {k: ("F32", v.shape, v.astype("<f4").tobytes()) for k, v in params.items()})
with open("config.json", "w") as f:
    json.dump(config, f, indent=2)
specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
letters = list("abcdefghijklmnopqrstuvwxyz")
vocab = specials + letters + ["##" + c for c in letters] + [".", ",", "-", "(", ")", "0", "1", "2", "3", "4", "5", "6"]
extra = ["sinus", "rhythm", "normal", "ecg", "##us", "##al", "left", "axis", "st", "t", "wave", "block",
         "ä", "##ä", "ö", "##ö", "ü", "##ü", "ß", "##ß", "ekg", "##rhythmus", "sinusrhythmus", "normales", "lagetyp",
         "linkstyp", "sonst", "avl", "v5", "v6", "ii", "iii", "avf", "av", "##f"]
vocab = vocab + [t for t in extra if t not in vocab]
vocab = vocab[:V] + [f"[unused{i}]" for i in range(V - len(vocab))]
assert len(vocab) == V and len(set(vocab)) == V
with open("vocab.txt", "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(vocab) + "\n")

# Inputs: batch of 3, length 9, with padding in rows 1 and 2.
input_ids = np.array([
    [2, 71, 72, 73, 74, 5, 9, 12, 3],
    [2, 83, 84, 75, 3, 0, 0, 0, 0],
    [2, 40, 3, 0, 0, 0, 0, 0, 0],
], dtype=np.int64)
mask = (input_ids != 0).astype(np.int64)
mask[:, 0] = 1

erf = np.vectorize(math.erf)


def layer_norm(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def linear(x, name):
    return x @ params[name + ".weight"].astype(np.float64).T + params[name + ".bias"].astype(np.float64)


def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def f64(name):
    return params[name].astype(np.float64)


B, T = input_ids.shape
h = f64("embeddings.word_embeddings.weight")[input_ids] + f64("embeddings.position_embeddings.weight")[np.arange(T)][None] \
    + f64("embeddings.token_type_embeddings.weight")[np.zeros_like(input_ids)]
h = layer_norm(h, f64("embeddings.LayerNorm.weight"), f64("embeddings.LayerNorm.bias"))
ext = (1.0 - mask[:, None, None, :].astype(np.float64)) * float(np.finfo(np.float32).min)
D = H // NH
for l in range(L):
    p = f"encoder.layer.{l}."

    def heads(x):
        return x.reshape(B, T, NH, D).transpose(0, 2, 1, 3)

    q = heads(linear(h, p + "attention.self.query"))
    k = heads(linear(h, p + "attention.self.key"))
    v = heads(linear(h, p + "attention.self.value"))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(D) + ext
    scores = scores - scores.max(-1, keepdims=True)
    probs = np.exp(scores)
    probs = probs / probs.sum(-1, keepdims=True)
    ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(B, T, H)
    a = layer_norm(linear(ctx, p + "attention.output.dense") + h, f64(p + "attention.output.LayerNorm.weight"), f64(p + "attention.output.LayerNorm.bias"))
    inter = gelu(linear(a, p + "intermediate.dense"))
    h = layer_norm(linear(inter, p + "output.dense") + a, f64(p + "output.LayerNorm.weight"), f64(p + "output.LayerNorm.bias"))
pooler = np.tanh(linear(h[:, 0], "pooler.dense"))
m = mask[:, :, None].astype(np.float64)
mean = (h * m).sum(1) / m.sum(1)
expected = {
    "input_ids": input_ids.tolist(), "attention_mask": mask.tolist(),
    "last_hidden_state": h.tolist(), "pooler_output": pooler.tolist(), "cls": h[:, 0].tolist(), "mean": mean.tolist(),
}
with open("expected.json", "w") as f:
    json.dump(expected, f, separators=(",", ":"))

# dtype fixture: the same 12 values as F32, F16 and BF16 (BF16 = round-to-nearest-even of the F32 bits).
values = np.array([0.0, -0.0, 1.0, -2.5, 0.1, 3.14159, 65504.0, 1e-5, -1e-3, 123.456, 6.1e-5, -7.0], dtype=np.float32)
f16 = values.astype(np.float16)
bits = values.view(np.uint32).astype(np.uint64)
bf16_bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
bf16_as_f32 = (bf16_bits.astype(np.uint32) << 16).view(np.float32)
write_safetensors("dtypes.safetensors", {
    "f32": ("F32", (3, 4), values.astype("<f4").tobytes()),
    "f16": ("F16", (3, 4), f16.astype("<f2").tobytes()),
    "bf16": ("BF16", (3, 4), bf16_bits.astype("<u2").tobytes()),
})
with open("dtypes.json", "w") as f:
    json.dump({"f32": values.astype(np.float64).tolist(), "f16": f16.astype(np.float64).tolist(),
               "bf16": bf16_as_f32.astype(np.float64).tolist()}, f)
print("wrote fixtures; max |last_hidden| =", float(np.abs(h).max()))
