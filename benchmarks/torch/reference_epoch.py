"""PyTorch CPU reference for the benchmark: one full-batch AdamW epoch of the grokking write-up's model.

The model: 1 layer, d_model 128, 4 heads of 32, d_mlp 512, ReLU, no LayerNorm, learned positional embedding,
inputs "a b =" (p + 1 tokens), outputs p classes, loss at the last position. Every bias @grokking/model has (b_Q,
b_K, b_V per head, b_O, b_in, b_out, b_U; zero at the start) is here too, so the optimiser updates the same
parameters. AdamW lr 1e-3, weight decay 1, betas (0.9, 0.98). Full batch: 30% of the p^2 pairs. float32.

Two formulations of the same model:
  all   the write-up's: every position goes through attention, MLP and unembedding; the loss reads the last.
  last  only what the loss needs: keys and values at every position, queries, MLP and unembedding at the last.

Prints one JSON object. Run with Debian's interpreter (/usr/bin/python3) and python3-torch.
"""
import argparse
import json
import math
import statistics

import torch

from harness import setup_fields, sgemm_gflops, time_epochs


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--formulation", choices=["all", "last"], required=True)
    ap.add_argument("--p", type=int, default=113)
    ap.add_argument("--frac", type=float, default=0.3)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--min-epochs", type=int, default=5)
    ap.add_argument("--max-epochs", type=int, default=50)
    ap.add_argument("--budget-s", type=float, default=10.0)
    ap.add_argument("--sgemm", action="store_true", help="also measure float32 matmul GFLOP/s")
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args()


class Transformer(torch.nn.Module):
    """The write-up's 1-layer model, with TransformerLens' parameter names and shapes."""

    def __init__(self, p, d_model=128, n_heads=4, d_head=32, d_mlp=512, n_ctx=3):
        super().__init__()
        d_vocab, d_vocab_out = p + 1, p
        self.n_heads, self.d_head = n_heads, d_head
        r = lambda *shape: torch.nn.Parameter(torch.randn(*shape) / math.sqrt(d_model))
        zeros = lambda *shape: torch.nn.Parameter(torch.zeros(*shape))
        self.W_E = r(d_vocab, d_model)
        self.W_pos = r(n_ctx, d_model)
        self.W_Q, self.W_K, self.W_V = r(n_heads, d_model, d_head), r(n_heads, d_model, d_head), r(n_heads, d_model, d_head)
        self.b_Q, self.b_K, self.b_V = zeros(n_heads, d_head), zeros(n_heads, d_head), zeros(n_heads, d_head)
        self.W_O, self.b_O = r(n_heads, d_head, d_model), zeros(d_model)
        self.W_in, self.b_in = r(d_model, d_mlp), zeros(d_mlp)
        self.W_out, self.b_out = r(d_mlp, d_model), zeros(d_model)
        self.W_U = torch.nn.Parameter(torch.randn(d_model, d_vocab_out) / math.sqrt(d_vocab_out))
        self.b_U = zeros(d_vocab_out)
        self.register_buffer("mask", torch.tril(torch.ones(n_ctx, n_ctx, dtype=torch.bool)))

    def heads(self, x, W, bias):  # x [batch, pos, d_model], W [n_heads, d_model, d_head], bias [n_heads, d_head]
        b, pos, d = x.shape
        flat = W.permute(1, 0, 2).reshape(d, self.n_heads * self.d_head)  # [d_model, n_heads * d_head]
        y = x @ flat + bias.reshape(-1)  # [batch, pos, n_heads * d_head]
        return y.view(b, pos, self.n_heads, self.d_head).transpose(1, 2)  # [batch, n_heads, pos, d_head]

    def mlp_unembed(self, resid_mid):  # [..., d_model] -> logits [..., d_vocab_out]
        post = torch.relu(resid_mid @ self.W_in + self.b_in)  # [..., d_mlp]
        resid_post = resid_mid + post @ self.W_out + self.b_out  # [..., d_model]
        return resid_post @ self.W_U + self.b_U  # [..., d_vocab_out]

    def forward(self, tokens, formulation):  # tokens [batch, pos] -> logits at the last position [batch, d_vocab_out]
        x = self.W_E[tokens] + self.W_pos  # [batch, pos, d_model]
        k = self.heads(x, self.W_K, self.b_K)  # [batch, n_heads, pos, d_head]
        v = self.heads(x, self.W_V, self.b_V)  # [batch, n_heads, pos, d_head]
        if formulation == "last":
            x = x[:, -1:]  # [batch, 1, d_model]
        q = self.heads(x, self.W_Q, self.b_Q)  # [batch, n_heads, q_pos, d_head]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d_head)  # [batch, n_heads, q_pos, k_pos]
        if formulation == "all":
            scores = scores.masked_fill(~self.mask, float("-inf"))  # causal: position i sees 0..i
        z = scores.softmax(-1) @ v  # [batch, n_heads, q_pos, d_head]
        b, h, q_pos, e = z.shape
        W_O = self.W_O.reshape(h * e, -1)  # [n_heads * d_head, d_model]
        resid_mid = x + z.transpose(1, 2).reshape(b, q_pos, h * e) @ W_O + self.b_O  # [batch, q_pos, d_model]
        return self.mlp_unembed(resid_mid)[:, -1]  # [batch, d_vocab_out]


def dataset(p, frac, seed):
    g = torch.Generator().manual_seed(seed)
    a = torch.arange(p).repeat_interleave(p)  # every pair (a, b)
    b = torch.arange(p).repeat(p)
    pick = torch.randperm(p * p, generator=g)[: int(frac * p * p)]
    tokens = torch.stack([a[pick], b[pick], torch.full_like(pick, p)], dim=1)  # [batch, 3]: "a b ="
    return tokens, (a[pick] + b[pick]) % p  # labels [batch]


def main():
    args = parse_args()
    torch.set_num_threads(1)  # OpenBLAS runs its own threads; more torch threads oversubscribe the cores
    torch.manual_seed(args.seed)
    tokens, labels = dataset(args.p, args.frac, args.seed)
    model = Transformer(args.p)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1.0, betas=(0.9, 0.98))

    def epoch():
        logits = model(tokens, args.formulation)  # [batch, d_vocab_out]
        loss = torch.nn.functional.cross_entropy(logits, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    times, losses = time_epochs(epoch, args.warmup, args.min_epochs, args.max_epochs, args.budget_s)
    out = {
        "formulation": args.formulation,
        "examples": int(tokens.shape[0]),
        "median_s": statistics.median(times),
        "times_s": times,
        "first_loss": losses[0],
        "last_loss": losses[-1],
        **setup_fields(),
    }
    if args.sgemm:
        out["sgemm_gflops"] = sgemm_gflops()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
