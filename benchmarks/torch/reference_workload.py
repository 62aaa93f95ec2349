"""PyTorch CPU reference for the benchmark's other workloads: full-batch AdamW epochs of a model of @grokking/model's
shape, from the initial weights and on the train set that the harness wrote to a file (benchmarks/src/workload-file.ts).

The model is computed as HookedTransformer.forward computes it (TransformerLens' layout; LayerNorm is not supported
here, and no workload uses it):
  resid = W_E[tokens] + W_pos[:n]
  per block: q, k, v = resid W + b per head; scores = q k^T / sqrt(d_head), causal mask, softmax; z W_O + b_O added
  to the residual; then, unless attention-only, W_out act(resid W_in + b_in) + b_out added (act: ReLU or exact GELU)
  logits = resid W_U + b_U
When every example scores the same positions, the last block computes queries, MLP and unembedding at those positions
only (keys and values at every position), as forward(tokens, positions) does; otherwise every position goes through,
and the loss reads the scored ones. Loss: the mean cross-entropy over every scored slot of every example. AdamW with
the run's settings and its linear warm-up (lr * min(step / warmup_steps, 1), the first step at step 0). float32.

Prints one JSON object. Run with Debian's interpreter (/usr/bin/python3) and python3-torch.
"""
import argparse
import json
import math
import statistics
import struct

import numpy as np
import torch
import torch.nn.functional as F

from harness import setup_fields, time_epochs


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True, help="the workload file the harness wrote")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--warmup-s", type=float, default=0.0, help="then warm up until this many seconds have passed")
    ap.add_argument("--min-epochs", type=int, default=5)
    ap.add_argument("--max-epochs", type=int, default=50)
    ap.add_argument("--budget-s", type=float, default=10.0)
    return ap.parse_args()


def read_safetensors(path):
    """The tensors (F32 and I32, as torch tensors) and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    metadata = header.pop("__metadata__", {})
    dtypes = {"F32": "<f4", "I32": "<i4"}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(raw[8 + n + begin : 8 + n + end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def heads(x, W, b):
    """x [batch, pos, d_model] through W [n_heads, d_model, d_head] + b [n_heads, d_head] -> [batch, n_heads, pos, d_head]."""
    h, d, e = W.shape
    y = x @ W.permute(1, 0, 2).reshape(d, h * e) + b.reshape(h * e)  # [batch, pos, n_heads * d_head]
    return y.view(x.shape[0], x.shape[1], h, e).transpose(1, 2)


def attention(p, block, x_q, x, q_pos):
    """Causal attention: queries from x_q [batch, q, d_model] at positions q_pos, keys and values from every position
    of x [batch, pos, d_model] -> [batch, q, d_model]."""
    a = lambda name: p[f"{block}.attn.{name}"]
    h, e, d = a("W_O").shape
    q = heads(x_q, a("W_Q"), a("b_Q"))  # [batch, n_heads, q, d_head]
    k = heads(x, a("W_K"), a("b_K"))  # [batch, n_heads, pos, d_head]
    v = heads(x, a("W_V"), a("b_V"))  # [batch, n_heads, pos, d_head]
    scores = q @ k.transpose(-1, -2) / math.sqrt(e)  # [batch, n_heads, q, pos]
    allowed = torch.arange(x.shape[1])[None, :] <= q_pos[:, None]  # [q, pos]: a query sees keys at or before it
    z = scores.masked_fill(~allowed, float("-inf")).softmax(-1) @ v  # [batch, n_heads, q, d_head]
    return z.transpose(1, 2).reshape(x_q.shape[0], x_q.shape[1], h * e) @ a("W_O").reshape(h * e, d) + a("b_O")


def forward(p, c, tokens, fixed):
    """tokens [batch, pos] -> logits [batch, q, d_vocab_out]: q = len(fixed) positions, or every position."""
    n = tokens.shape[1]
    resid = p["embed.W_E"][tokens] + p["pos_embed.W_pos"][:n]  # [batch, pos, d_model]
    every = torch.arange(n)
    act = F.relu if c["act_fn"] == "relu" else F.gelu  # F.gelu is the exact (erf) form, as @grokking/model's
    for i in range(c["n_layers"]):
        b = f"blocks.{i}"
        narrow = fixed is not None and i == c["n_layers"] - 1  # only the last block may skip positions
        q_pos = fixed if narrow else every
        x_q = resid[:, fixed] if narrow else resid  # [batch, q, d_model]
        resid = x_q + attention(p, b, x_q, resid, q_pos)  # [batch, q, d_model]
        if not c["attn_only"]:
            m = lambda name: p[f"{b}.mlp.{name}"]
            resid = resid + act(resid @ m("W_in") + m("b_in")) @ m("W_out") + m("b_out")  # [batch, q, d_model]
    return resid @ p["unembed.W_U"] + p["unembed.b_U"]  # [batch, q, d_vocab_out]


def main():
    args = parse_args()
    torch.set_num_threads(1)  # OpenBLAS runs its own threads; more torch threads oversubscribe the cores
    tensors, meta = read_safetensors(args.file)
    c = json.loads(meta["config"])  # TransformerLens' config keys
    opt_cfg = json.loads(meta["optimizer"])
    if c["normalization_type"] is not None:
        raise SystemExit("reference_workload.py computes models without LayerNorm only")
    tokens = tensors.pop("data.tokens").long()  # [batch, n_ctx]
    positions = tensors.pop("data.positions").long()  # [batch, n_scored]
    targets = tensors.pop("data.targets").long()  # [batch, n_scored]
    fixed = json.loads(meta["fixed_positions"])
    fixed = None if fixed is None else torch.tensor(fixed)
    params = {name: t.requires_grad_() for name, t in tensors.items()}
    batch, n_scored = targets.shape
    rows = torch.arange(batch)[:, None]  # [batch, 1]

    opt = torch.optim.AdamW(params.values(), lr=opt_cfg["lr"], betas=tuple(opt_cfg["betas"]), eps=opt_cfg["eps"],
                            weight_decay=opt_cfg["weight_decay"])
    warmup = opt_cfg["warmup_steps"]
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(step / warmup, 1.0) if warmup else 1.0)

    def epoch():
        logits = forward(params, c, tokens, fixed)  # [batch, q, d_vocab_out]
        scored = logits if fixed is not None else logits[rows, positions]  # [batch, n_scored, d_vocab_out]
        loss = F.cross_entropy(scored.reshape(batch * n_scored, -1), targets.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    times, losses = time_epochs(epoch, args.warmup, args.min_epochs, args.max_epochs, args.budget_s, args.warmup_s)
    print(json.dumps({
        "workload": meta["workload"],
        "examples": batch,
        "median_s": statistics.median(times) if times else None,
        "times_s": times,
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "losses": losses,
        **setup_fields(),
    }))


if __name__ == "__main__":
    main()
