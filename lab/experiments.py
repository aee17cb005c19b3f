"""The note's four experiments, each trained through libactfast's activations (actfast.torch)
and once more through PyTorch's own, same seed. Every number in the report comes from here."""
import torch
from torch import nn

import models
from train import train

NAMES = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "prelu": "PReLU", "elu": "ELU", "sigmoid": "Sigmoid",
         "tanh": "Tanh", "gelu": "GELU", "silu": "SiLU"}


def activation(name, impl):
    """A factory of activation modules (channels -> module) from libactfast ("actfast") or PyTorch ("torch")."""
    if impl == "torch":
        mod = nn
    else:
        import actfast.torch as mod  # noqa: the package under test
    cls = getattr(mod, NAMES[name])

    def make(channels):
        if name == "leaky_relu":
            return cls(0.01)
        if name == "prelu":
            return cls(num_parameters=channels, init=0.25)
        if name == "elu":
            return cls(alpha=1.0)
        return cls()

    return make


class Plan:
    """Sizes of a run: quick (CI smoke test, under 3 minutes with the build) or full (the report,
    at most 45 minutes on this machine's 2 cores). dry: record the work (the ledger) without
    training, to estimate a run's time from another run's measured speed."""

    def __init__(self, quick, dry=False):
        self.quick, self.dry = quick, dry
        self.seeds = [0] if quick else [0, 1, 2]
        # Experiment 1: the whole training set in the full run.
        self.mlp_n, self.mlp_epochs = (10000, 3) if quick else (60000, 20)
        # Experiment 2: the CNN and the deep plain MLP.
        self.cnn_n, self.cnn_epochs = (2000, 1) if quick else (20000, 4)
        self.deep_n, self.deep_epochs = (4000, 1) if quick else (30000, 5)
        # Experiments 3 and 4: a subset is enough to see dead units and BatchNorm's effect.
        self.var_n, self.var_epochs = (4000, 2) if quick else (30000, 8)
        self.dying_n, self.dying_epochs = (4000, 1) if quick else (30000, 5)
        self.bn_n, self.bn_epochs = (4000, 2) if quick else (30000, 8)
        self.held_out = 2000  # test images for the dead-unit and activation statistics
        self.ledger = []  # dry: (label, training images, epochs, runs)
        self.timings = {}  # label -> [(training images, epochs run, training seconds, evaluation seconds)]


def subset(data, n):
    x, y, xt, yt = data
    return x[:n], y[:n], xt, yt


def _runs(plan, build, data, label, epochs, **kw):
    """build(impl) -> model; each seed through actfast, then the first seed through torch."""
    if plan.dry:
        plan.ledger.append((label, len(data[0]), epochs, len(plan.seeds) + 1))
        return None
    out = {"actfast": [], "torch": None}
    for seed in plan.seeds:
        torch.manual_seed(seed)
        out["actfast"].append(train(build("actfast"), data, epochs, seed=seed,
                                    label=f"{label} actfast seed {seed}", **kw))
    torch.manual_seed(plan.seeds[0])
    out["torch"] = train(build("torch"), data, epochs, seed=plan.seeds[0], label=f"{label} torch seed {plan.seeds[0]}",
                         **kw)
    plan.timings[label] = [(r["train_n"], len(r["seconds"]), sum(r["seconds"]), sum(r["eval_seconds"]))
                           for r in out["actfast"] + [out["torch"]]]
    return out


def exp1_mlp(plan, data):
    """ReLU in an MLP 784-256-128-10 on Fashion-MNIST (Adam, cosine learning-rate decay)."""
    d = subset(data, plan.mlp_n)
    return {"relu": _runs(plan, lambda impl: models.MLP([256, 128], activation("relu", impl)), d, "exp1 mlp relu",
                          plan.mlp_epochs, lr=1e-3, schedule="cosine")}


EXP2_CNN = ["sigmoid", "tanh", "relu", "gelu", "silu"]
EXP2_DEEP = ["sigmoid", "tanh", "relu"]


def exp2_saturation(plan, data):
    """Sigmoid, tanh, ReLU (and GELU, SiLU) in a CNN and in a deep plain MLP: accuracy and gradient norms."""
    d = subset(data, plan.cnn_n)
    grad_batch = (data[0][:512], data[1][:512])
    cnn = {}
    for name in EXP2_CNN:
        cnn[name] = _runs(plan, lambda impl, n=name: models.CNN(activation(n, impl)), d, f"exp2 cnn {name}",
                          plan.cnn_epochs, lr=1e-3, grad_batch=grad_batch)
    d = subset(data, plan.deep_n)
    deep = {}
    for name in EXP2_DEEP:
        deep[name] = _runs(plan, lambda impl, n=name: models.MLP([128] * 10, activation(n, impl)), d,
                           f"exp2 deep {name}", plan.deep_epochs, lr=1e-3, grad_batch=grad_batch)
    return {"cnn": cnn, "deep": deep}


EXP3 = ["relu", "leaky_relu", "prelu", "elu"]
# The setting that provokes dying ReLU: the first hidden layer's biases initialised negative, so
# that a part of its ReLU units starts never positive, and a high SGD learning rate.
DYING_BIAS, DYING_LR = -1.5, 0.1


def exp3_variants(plan, data):
    """ReLU, Leaky ReLU, PReLU, ELU: accuracy, dead units, mean activation, time per epoch; and a setting
    that provokes dying ReLU (negative initial biases and a high SGD learning rate)."""
    held_out = data[2][:plan.held_out]
    normal, dying = {}, {}
    for name in EXP3:
        normal[name] = _runs(plan, lambda impl, n=name: models.MLP([256, 128], activation(n, impl)),
                             subset(data, plan.var_n), f"exp3 {name}", plan.var_epochs, lr=1e-3, stats_x=held_out)
    for name in EXP3:
        dying[name] = _runs(plan, lambda impl, n=name: models.MLP([256, 128], activation(n, impl),
                                                                  first_bias=DYING_BIAS),
                            subset(data, plan.dying_n), f"exp3 dying {name}", plan.dying_epochs, lr=DYING_LR,
                            optimizer="sgd", stats_x=held_out)
    return {"normal": normal, "dying": dying, "dying_bias": DYING_BIAS, "dying_lr": DYING_LR}


EXP4_LR = {"normal": 0.01, "high": 0.5}


def exp4_batchnorm(plan, data):
    """ReLU with and without BatchNorm at a normal and a high learning rate (SGD, momentum 0.9)."""
    d = subset(data, plan.bn_n)
    held_out = data[2][:plan.held_out]
    out = {}
    for bn in (False, True):
        for speed, lr in EXP4_LR.items():
            key = f"{'bn' if bn else 'plain'}_{speed}"
            out[key] = _runs(plan, lambda impl, b=bn: models.MLP([256, 128], activation("relu", impl), batch_norm=b),
                             d, f"exp4 {key}", plan.bn_epochs, lr=lr, optimizer="sgd", stats_x=held_out)
    return {"runs": out, "lr": EXP4_LR}


ALL = (("exp1", exp1_mlp), ("exp2", exp2_saturation), ("exp3", exp3_variants), ("exp4", exp4_batchnorm))


def estimate(measured, target, data):
    """Seconds the plan `target` would take, from the speed each configuration had in the run of
    plan `measured` (seconds per training image per epoch, plus the evaluation per epoch)."""
    dry = Plan(target.quick, dry=True)
    for _, fn in ALL:
        fn(dry, data)
    total = 0.0
    for label, n, epochs, runs in dry.ledger:
        t = measured.timings.get(label)
        if not t:
            return None
        per_image = sum(s for _, _, s, _ in t) / max(1, sum(m * e for m, e, _, _ in t))
        per_eval = sum(v for _, _, _, v in t) / max(1, sum(e for _, e, _, _ in t))
        total += runs * epochs * (n * per_image + per_eval)
    return total
