"""Training, evaluation and the measurements the report needs (gradient norms, dead units, activation statistics)."""
import math
import sys
import time

import torch
from torch import nn

from models import weight_layers


def batches(x, y, batch, generator):
    order = torch.randperm(len(x), generator=generator)
    for i in range(0, len(x), batch):
        idx = order[i:i + batch]
        yield x[idx], y[idx]


@torch.no_grad()
def accuracy(model, x, y, batch=2000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x)


def grad_norms(model, x, y):
    """The gradient's norm per weight layer, input to output, on one fixed batch."""
    model.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    norms = [m.weight.grad.norm().item() for m in weight_layers(model)]
    model.zero_grad()
    return norms


def per_unit(t):
    """(units, everything else): channels of (N, C, H, W) (a dense layer's units are (N, C, 1, 1))."""
    return t.transpose(0, 1).reshape(t.shape[1], -1)


def finite(v):
    return v if math.isfinite(v) else None


@torch.no_grad()
def activation_stats(model, x):
    """Per activation module on x (held-out inputs): dead fraction (units whose output is 0 for
    every input), the fraction of outputs that are exactly 0 (sparsity), never-positive fraction (units whose input is <= 0 for every input: dead for
    a ReLU, alive for the variants only through their negative side), output mean, input mean
    and variance. None where the network diverged (not finite)."""
    model.eval()
    seen = []
    hooks = [a.register_forward_hook(lambda m, i, o: seen.append((i[0], o))) for a in model.acts]
    model(x)
    for h in hooks:
        h.remove()
    model.train()
    stats = []
    for inp, out in seen:
        stats.append({"dead": (per_unit(out) == 0).all(1).float().mean().item(),
                      "zero_outputs": (out == 0).float().mean().item(),
                      "never_positive": (per_unit(inp) <= 0).all(1).float().mean().item(),
                      "out_mean": finite(out.mean().item()), "in_mean": finite(inp.mean().item()),
                      "in_var": finite(inp.var().item())})
    return stats


def train(model, data, epochs, lr, seed, label, optimizer="adam", batch=128, grad_batch=None,
          stats_x=None, schedule=None):
    """Trains model; returns per-epoch test accuracy, training loss, wall seconds of the training
    part and of the evaluation, gradient norms at initialisation and after the first epoch, and
    activation statistics at initialisation and after training. A loss that is no longer finite
    stops the run (diverged): its remaining epochs repeat the last accuracy."""
    x, y, xt, yt = data
    gen = torch.Generator().manual_seed(seed)
    opt = (torch.optim.Adam(model.parameters(), lr=lr) if optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9))
    steps = epochs * math.ceil(len(x) / batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if schedule == "cosine" else None
    result = {"acc": [], "loss": [], "seconds": [], "cpu_seconds": [], "eval_seconds": [], "train_n": len(x),
              "diverged_at": None}
    if grad_batch is not None:
        result["grad_init"] = grad_norms(model, *grad_batch)
    if stats_x is not None:
        result["stats_init"] = activation_stats(model, stats_x)
    for epoch in range(epochs):
        start, cpu, total, count = time.perf_counter(), time.process_time(), 0.0, 0
        for xb, yb in batches(x, y, batch, gen):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * len(xb)
            count += len(xb)
            if not math.isfinite(total):
                break
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        acc = accuracy(model, xt, yt)
        result["eval_seconds"].append(time.perf_counter() - start)
        result["acc"].append(acc)
        result["loss"].append(finite(total / count))
        result["seconds"].append(seconds)
        result["cpu_seconds"].append(cpu)
        if epoch == 0 and grad_batch is not None:
            result["grad_epoch1"] = [finite(g) for g in grad_norms(model, *grad_batch)]
        print(f"  {label} epoch {epoch + 1}/{epochs}: loss {total / count:.4f}, test accuracy {acc:.4f}, "
              f"{seconds:.1f} s", file=sys.stderr, flush=True)
        if not math.isfinite(total):
            result["diverged_at"] = epoch + 1
            print(f"  {label}: the loss is no longer finite: diverged, stopped", file=sys.stderr, flush=True)
            result["acc"] += [acc] * (epochs - epoch - 1)
            break
    if stats_x is not None:
        result["stats"] = activation_stats(model, stats_x)
    return result
