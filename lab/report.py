"""report.md, the PNG plots and results.json from the experiments' results. Every number and
every verdict in the text is computed here from the results; nothing is typed in."""
import json
import math
import os
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

TARGET = 0.89  # experiment 1's target test accuracy (the issue's)
BENCHMARK = 0.8833  # the Fashion-MNIST benchmark table's MLP 256-128-100


# --- numbers -----------------------------------------------------------------------------

def avg(values):
    """Mean of the values that are not None (None if there are none)."""
    v = [x for x in values if x is not None]
    return statistics.fmean(v) if v else None


def mean_std(values):
    values = list(values)
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def final_acc(run):
    return [r["acc"][-1] for r in run["actfast"]]


def mean_acc(run):
    return mean_std(final_acc(run))[0]


def fmt(values, digits=4):
    values = list(values)
    m, s = mean_std(values)
    return f"{m:.{digits}f} ± {s:.{digits}f}" if len(values) > 1 else f"{m:.{digits}f}"


def num(v, spec=".3f"):
    return "—" if v is None else format(v, spec)


def pct(v):
    return "—" if v is None else f"{v:.1%}"


def epoch_seconds(result):
    return statistics.fmean(result["seconds"])


def run_seconds(run):
    return statistics.fmean(epoch_seconds(r) for r in run["actfast"])


def stat(run, key, layer, when="stats"):
    """A statistic of one activation layer, averaged over the seeds."""
    return avg(r[when][layer][key] for r in run["actfast"])


def layers(run):
    return len(run["actfast"][0]["stats"])


def per_layer(run, key, when="stats", f=num):
    return " / ".join(f(stat(run, key, i, when)) for i in range(layers(run)))


def diverged(run):
    return sum(r["diverged_at"] is not None for r in run["actfast"])


def n_seeds(run):
    return len(run["actfast"])


def compare(a, b, spread, what="points"):
    """'higher', 'lower' or 'about the same' for a against b, with spread the noise level."""
    if abs(a - b) <= spread:
        return "about the same as"
    return "higher than" if a > b else "lower than"


# --- plots -------------------------------------------------------------------------------

def curve(ax, run, label):
    accs = [r["acc"] for r in run["actfast"]]
    epochs = range(1, len(accs[0]) + 1)
    mean = [statistics.fmean(a[i] for a in accs) for i in range(len(accs[0]))]
    ax.plot(epochs, mean, marker="o", label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(accs) > 1:
        lo = [min(a[i] for a in accs) for i in range(len(accs[0]))]
        hi = [max(a[i] for a in accs) for i in range(len(accs[0]))]
        ax.fill_between(epochs, lo, hi, alpha=0.2)


def grads(run, key):
    """Gradient norm per layer, mean over seeds (None entries, from a diverged run, left out)."""
    rows = [r[key] for r in run["actfast"]]
    return [avg(g[i] for g in rows) for i in range(len(rows[0]))]


def grad_plot(ax, group, title):
    for k, (name, run) in enumerate(group.items()):
        color = f"C{k}"
        g0, g1 = grads(run, "grad_init"), grads(run, "grad_epoch1")
        ax.semilogy(range(1, len(g0) + 1), g0, marker="o", color=color, label=f"{name}, init")
        ax.semilogy([i + 1 for i, g in enumerate(g1) if g], [g for g in g1 if g], marker="x", ls="--",
                    color=color, label=f"{name}, after epoch 1")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title), ax.set_xlabel("weight layer (input to output)"), ax.set_ylabel("gradient norm")
    ax.legend(fontsize=7)


def bars(ax, groups, values, title, ylabel):
    """groups: names; values: name -> per-layer list."""
    width = 0.8 / max(1, len(groups))
    for k, name in enumerate(groups):
        v = [0.0 if x is None else x for x in values[name]]
        ax.bar([l + k * width for l in range(len(v))], v, width, label=name)
    nl = len(values[groups[0]])
    ax.set_xticks([l + 0.4 - width / 2 for l in range(nl)], [f"layer {l + 1}" for l in range(nl)])
    ax.set_title(title), ax.set_ylabel(ylabel), ax.legend(fontsize=7)


def save(fig, out, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    return name


# --- the report --------------------------------------------------------------------------

def section1(results, out, groups):
    r = results["exp1"]["relu"]
    m, s = mean_std(final_acc(r))
    fig, ax = plt.subplots(figsize=(6, 4))
    curve(ax, r, "ReLU (libactfast)")
    ax.plot(range(1, len(r["torch"]["acc"]) + 1), r["torch"]["acc"], ls=":", color="k", label="ReLU (PyTorch)")
    ax.axhline(TARGET, color="grey", ls="--", lw=1, label=f"target {TARGET}")
    ax.set_xlabel("epoch"), ax.set_ylabel("test accuracy"), ax.set_title("Exp. 1: MLP 784-256-128-10, ReLU")
    ax.legend()
    p = save(fig, out, "exp1_mlp.png")
    epochs = len(r["actfast"][0]["acc"])
    per_epoch = [statistics.fmean(x["acc"][i] for x in r["actfast"]) for i in range(epochs)]
    best_epoch = max(range(epochs), key=lambda i: per_epoch[i])
    groups.append(("exp1 MLP ReLU", r))
    met = m >= TARGET
    rows = ["| epoch | " + " | ".join(str(i + 1) for i in range(epochs)) + " |",
            "|---|" + "---:|" * epochs,
            "| test accuracy (libactfast, mean) | " + " | ".join(f"{a:.4f}" for a in per_epoch) + " |",
            "| test accuracy (PyTorch, seed 0) | " + " | ".join(f"{a:.4f}" for a in r["torch"]["acc"]) + " |"]
    return ["## 1. ReLU in an MLP", "",
            f"MLP 784-256-128-10 with ReLU, Adam (learning rate 0.001, cosine decay), batch 128, "
            f"{r['actfast'][0]['train_n']} training images, {epochs} epochs, {n_seeds(r)} seed(s).", "",
            *rows, "",
            f"Final test accuracy **{fmt(final_acc(r))}** (target ≥ {TARGET}: **{'met' if met else 'not met'}**; "
            f"the Fashion-MNIST benchmark table lists an MLP 256-128-100 at {BENCHMARK}, which this is "
            f"{'above' if m > BENCHMARK else 'below'} by {abs(m - BENCHMARK):.4f}). The best epoch is "
            f"{best_epoch + 1} ({per_epoch[best_epoch]:.4f}). The note's claim that a plain ReLU MLP learns "
            f"this task well is **{'confirmed' if met else 'not confirmed at this budget'}**.", "",
            f"![Experiment 1: test accuracy per epoch]({p})", ""]


def section2(results, out, groups):
    cnn, deep = results["exp2"]["cnn"], results["exp2"]["deep"]
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    for name, run in cnn.items():
        curve(axes[0][0], run, name)
    for name, run in deep.items():
        curve(axes[0][1], run, name)
    for ax, t in ((axes[0][0], "Exp. 2: CNN, test accuracy"), (axes[0][1], "Exp. 2: deep MLP (10 x 128), test accuracy")):
        ax.set_title(t), ax.set_xlabel("epoch"), ax.set_ylabel("test accuracy"), ax.legend(fontsize=8)
    grad_plot(axes[1][0], cnn, "CNN: gradient norm per layer")
    grad_plot(axes[1][1], deep, "deep MLP: gradient norm per layer")
    p = save(fig, out, "exp2_saturation.png")

    rows = ["| network | activation | final test accuracy | grad norm ratio, early / late layer, at init | after epoch 1 | s/epoch |",
            "|---|---|---:|---:|---:|---:|"]
    ratio = {}
    for net, group in (("CNN", cnn), ("deep MLP", deep)):
        for name, run in group.items():
            g0, g1 = grads(run, "grad_init"), grads(run, "grad_epoch1")
            # CNN: first conv / output layer. Deep MLP: the first and the last 128x128 layer
            # (same shape, so the norms compare; the input and output layers have other shapes).
            a, b = (0, -1) if net == "CNN" else (1, -2)
            r0 = g0[a] / g0[b]
            r1 = g1[a] / g1[b] if g1[a] and g1[b] else None
            ratio[(net, name)] = (r0, r1)
            rows.append(f"| {net} | {name} | {fmt(final_acc(run))} | {r0:.3g} | {num(r1, '.3g')} | "
                        f"{run_seconds(run):.2f} |")
            groups.append((f"exp2 {net} {name}", run))
    sig, tanh, rel = (ratio[("deep MLP", n)][0] for n in ("sigmoid", "tanh", "relu"))
    vanishing = sig < rel / 10
    acc = {n: mean_acc(deep[n]) for n in deep}
    chance = 0.15  # ten classes: 0.10 is chance
    stuck = [n for n in deep if acc[n] < chance]
    spread = max(0.01, max(mean_std(final_acc(run))[1] for run in cnn.values()) * 2)
    cnn_acc = {n: mean_acc(cnn[n]) for n in cnn}
    best_cnn = max(cnn_acc, key=cnn_acc.get)
    gap = cnn_acc["relu"] - cnn_acc["sigmoid"]
    text = ["The gradient-norm ratio compares an early weight layer with a late one: in the CNN the first "
            "convolution with the output layer, in the deep MLP the first 128x128 layer (hidden layer 1 to 2) "
            "with the last (hidden layer 9 to 10), which have the same shape. The plot shows every layer.",
            f"**Deep plain MLP** (10 hidden layers of 128, Adam 0.001): at initialisation the "
            f"early layer's gradient norm is {sig:.3g} times the late layer's with sigmoid, {tanh:.3g} with "
            f"tanh and {rel:.3g} with ReLU. The vanishing gradient of the saturating activations is "
            f"**{'confirmed' if vanishing else 'not confirmed'}**: sigmoid's early layer gets "
            f"{rel / sig:.3g} times less gradient, relative to its late layer, than ReLU's"
            f"{'' if vanishing else ' (less than the factor of ten taken as the threshold)'}. "
            f"In training the deep MLP reaches {acc['sigmoid']:.4f} with sigmoid, {acc['tanh']:.4f} with tanh "
            f"and {acc['relu']:.4f} with ReLU"
            + (f"; {' and '.join(stuck)} stayed at chance level (below {chance})." if stuck else ".")]
    text.append(f"**CNN** (two conv blocks, two dense layers, Adam 0.001): the early/late gradient ratio at "
                f"initialisation is {ratio[('CNN', 'sigmoid')][0]:.3g} with sigmoid against "
                f"{ratio[('CNN', 'relu')][0]:.3g} with ReLU, and ReLU's accuracy is "
                f"{compare(cnn_acc['relu'], cnn_acc['sigmoid'], spread)} sigmoid's "
                f"({cnn_acc['relu']:.4f} against {cnn_acc['sigmoid']:.4f}, a gap of {gap:+.4f}; the noise "
                f"level taken is {spread:.4f}). "
                + ("With only four weight layers the vanishing gradient costs the shallow network "
                   "little: the claim matters for depth, which is more nuanced than 'sigmoid does not train'."
                   if abs(gap) <= max(spread, 0.02) else
                   "Even at this depth sigmoid trains clearly worse.")
                + f" Tanh, saturating too but with a gradient of 1 at 0 (sigmoid's is 1/4), has an early/late "
                f"ratio of {ratio[('CNN', 'tanh')][0]:.3g} and reaches {cnn_acc['tanh']:.4f}, "
                f"{compare(cnn_acc['tanh'], cnn_acc['relu'], spread)} ReLU: "
                + ("in a shallow network the vanishing gradient is sigmoid's problem more than tanh's."
                   if cnn_acc["tanh"] >= cnn_acc["relu"] - spread else "tanh too is behind ReLU."))
    text.append(f"GELU reaches {cnn_acc['gelu']:.4f} and SiLU {cnn_acc['silu']:.4f} in the CNN, "
                f"{compare(cnn_acc['gelu'], cnn_acc['relu'], spread)} ReLU ({cnn_acc['relu']:.4f}); the best "
                f"here is {best_cnn}. GELU's and SiLU's place in modern networks (Transformers, "
                f"EfficientNet) is "
                + ("not contradicted: on this small CNN they match or beat ReLU."
                   if cnn_acc["gelu"] >= cnn_acc["relu"] - spread else
                   "not earned on this small CNN, where ReLU is ahead: their advantage is a matter of "
                   "large, deep models.")
                + f" Time per epoch: {run_seconds(cnn['gelu']):.2f} s (GELU), "
                f"{run_seconds(cnn['silu']):.2f} s (SiLU), {run_seconds(cnn['relu']):.2f} s (ReLU).")
    return ["## 2. Sigmoid, tanh and ReLU (and GELU, SiLU): the vanishing gradient", "", *rows, "",
            *[t + "\n" for t in text], f"![Experiment 2: accuracy and gradient norm per layer]({p})", ""]


def section3(results, out, groups):
    e = results["exp3"]
    normal, dying = e["normal"], e["dying"]
    names = list(normal)
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    for name, run in normal.items():
        curve(axes[0][0], run, name)
    for name, run in dying.items():
        curve(axes[0][1], run, name)
    axes[0][0].set_title("Exp. 3: Adam 0.001, default init")
    axes[0][1].set_title(f"Exp. 3: dying setting (layer-1 biases {e['dying_bias']}, SGD {e['dying_lr']})")
    for ax in axes[0]:
        ax.set_xlabel("epoch"), ax.set_ylabel("test accuracy"), ax.legend(fontsize=8)
    nl = layers(dying[names[0]])
    series = {}
    for name in names:
        series[f"{name} init"] = [stat(dying[name], "never_positive", l, "stats_init") for l in range(nl)]
        series[f"{name} end"] = [stat(dying[name], "never_positive", l) for l in range(nl)]
    bars(axes[1][0], list(series), series, "dying setting: units never positive on held-out data",
         "fraction of units")
    means = {name: [stat(normal[name], "out_mean", l) for l in range(nl)] for name in names}
    bars(axes[1][1], names, means, "default setting: mean activation (output) per layer", "mean")
    axes[1][1].axhline(0, color="k", lw=0.5)
    p = save(fig, out, "exp3_variants.png")

    rows = ["| setting | activation | final accuracy | dead units (output always 0), layer 1 / 2: init → end "
            "| never positive, layer 1 / 2: init → end | zero outputs | mean activation | s/epoch |",
            "|---|---|---:|---|---|---|---|---:|"]
    for setting, group in (("default", normal), ("dying", dying)):
        for name, run in group.items():
            rows.append(f"| {setting} | {name} | {fmt(final_acc(run))} | "
                        f"{per_layer(run, 'dead', 'stats_init', pct)} → {per_layer(run, 'dead', f=pct)} | "
                        f"{per_layer(run, 'never_positive', 'stats_init', pct)} → {per_layer(run, 'never_positive', f=pct)} | "
                        f"{per_layer(run, 'zero_outputs', f=pct)} | {per_layer(run, 'out_mean')} | "
                        f"{run_seconds(run):.2f} |")
            groups.append((f"exp3 {setting} {name}", run))

    dead0 = [stat(dying["relu"], "dead", l, "stats_init") for l in range(nl)]
    dead1 = [stat(dying["relu"], "dead", l) for l in range(nl)]
    dying_worst = max(dead1)
    acc_d = {n: mean_acc(dying[n]) for n in names}
    acc_n = {n: mean_acc(normal[n]) for n in names}
    spread = max(0.01, 2 * max(mean_std(final_acc(run))[1] for run in list(normal.values()) + list(dying.values())))
    best_d = max(acc_d, key=acc_d.get)
    pair_spread = max(0.01, 2 * max(mean_std(final_acc(dying[n]))[1] for n in {best_d, "relu"}))
    revived = [n for n in names if n != "relu" and
               stat(dying[n], "never_positive", 0) < stat(dying[n], "never_positive", 0, "stats_init")]
    text = [f"**Dying ReLU.** With the first hidden layer's biases initialised to {e['dying_bias']} and SGD at {e['dying_lr']} "
            f"(momentum 0.9), {pct(dead0[0])} / {pct(dead0[1])} of the ReLU units of layers 1 / 2 are dead "
            f"at initialisation (output 0 for every held-out image) and {pct(dead1[0])} / {pct(dead1[1])} "
            f"after training: the dying-ReLU problem is "
            f"**{'confirmed' if dying_worst >= 0.1 else 'not reproduced (under 10% dead)'}** here"
            + (", and the dead units stay dead (no gradient reaches them)." if dead1[0] >= dead0[0] * 0.9 and dead0[0] > 0
               else ".")
            + f" The variants' units are never exactly 0; the 'never positive' column counts those that would "
            f"be dead for a ReLU. "
            + (f"{', '.join(revived)} brought units back (fewer never-positive units after training than at "
               f"initialisation), through the gradient their negative side keeps. " if revived else
               "None of the variants reduced its never-positive fraction in this budget. ")
            + f"Accuracy in this setting: " + ", ".join(f"{n} {acc_d[n]:.4f}" for n in names)
            + f"; the best is {best_d}"
            + (f", {acc_d[best_d] - acc_d['relu']:+.4f} against ReLU, " + (
                "beyond the noise: the variants' surviving units pay off in accuracy."
                if acc_d[best_d] - acc_d["relu"] > pair_spread else
                f"within the noise ({pair_spread:.4f}): the units ReLU keeps alive are enough for this task, "
                "so the claim holds for the units more than for the accuracy.")
               if best_d != "relu" else
               ": the variants did not help here, which does not support the note's claim in this setting.")]
    span = max(acc_n.values()) - min(acc_n.values())
    m_relu, m_elu = stat(normal["relu"], "out_mean", 0), stat(normal["elu"], "out_mean", 0)
    zero = stat(normal["relu"], "zero_outputs", 0)
    secs = {n: run_seconds(normal[n]) for n in names}
    text.append(f"**Default setting** (Adam 0.001, default initialisation): the four reach "
                + ", ".join(f"{n} {acc_n[n]:.4f}" for n in names)
                + f", a span of {span:.4f}: "
                + ("all four are within the noise of each other (here the variants buy nothing)."
                   if span <= spread else f"{max(acc_n, key=acc_n.get)} is ahead.")
                + f" Sparsity: {pct(zero)} of layer 1's ReLU outputs are exactly 0 on held-out images. "
                f"The non-zero mean: ReLU's mean output in layer 1 is {num(m_relu)}, ELU's {num(m_elu)}: "
                + ("ELU's is closer to 0, as the note says." if m_elu is not None and m_relu is not None
                   and abs(m_elu) < abs(m_relu) else "ELU's is not closer to 0 here.")
                + " Time per epoch: " + ", ".join(f"{n} {secs[n]:.2f} s" for n in names) + ".")
    return ["## 3. Leaky ReLU, PReLU and ELU against dying ReLU", "", *rows, "",
            *[t + "\n" for t in text], f"![Experiment 3: accuracy, dead units, mean activation]({p})", ""]


def section4(results, out, groups):
    r4, lrs = results["exp4"]["runs"], results["exp4"]["lr"]
    keys = list(r4)
    nl = layers(r4[keys[0]])
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    for key, run in r4.items():
        curve(axes[0], run, f"{key} (lr {lrs[key.split('_')[1]]})")
    axes[0].set_title("Exp. 4: ReLU MLP, SGD with momentum"), axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("test accuracy"), axes[0].legend(fontsize=8)
    bars(axes[1], keys, {k: [stat(r4[k], "in_mean", l) for l in range(nl)] for k in keys},
         "mean of the activation's input", "mean")
    axes[1].axhline(0, color="k", lw=0.5)
    bars(axes[2], keys, {k: [stat(r4[k], "dead", l) for l in range(nl)] for k in keys},
         "dead ReLU units (held-out data)", "fraction of units")
    p = save(fig, out, "exp4_batchnorm.png")
    rows = ["| configuration | learning rate | final accuracy | diverged runs | dead units, layer 1 / 2 "
            "| input mean / var, layer 1 | input mean / var, layer 2 | s/epoch |", "|---|---:|---:|---:|---|---|---|---:|"]
    for key, run in r4.items():
        mv = [f"{num(stat(run, 'in_mean', l))} / {num(stat(run, 'in_var', l))}" for l in range(nl)]
        rows.append(f"| {key} | {lrs[key.split('_')[1]]} | {fmt(final_acc(run))} | {diverged(run)} of {n_seeds(run)} | "
                    f"{per_layer(run, 'dead', f=pct)} | {mv[0]} | {mv[1]} | {run_seconds(run):.2f} |")
        groups.append((f"exp4 {key}", run))
    acc = {k: mean_acc(r4[k]) for k in keys}
    spread = max(0.01, 2 * max(mean_std(final_acc(r4[k]))[1] for k in keys))
    hi, lo = lrs["high"], lrs["normal"]
    delta_hi = acc["bn_high"] - acc["plain_high"]
    verdict = ("confirmed" if delta_hi > spread else "contradicted" if delta_hi < -spread
               else "neither confirmed nor refuted (within the noise)")
    div = {k: diverged(r4[k]) for k in keys}
    def worst_mean(key):
        v = [abs(m) for m in (stat(r4[key], "in_mean", l) for l in range(nl)) if m is not None]
        return max(v) if v else None

    bm, pm, bh = worst_mean("bn_normal"), worst_mean("plain_normal"), worst_mean("bn_high")
    bn_centred = bm is not None and (pm is None or bm < pm)
    bn_moved = bh is not None and bh > 0.2
    dead_plain = max(stat(r4[k], "dead", l) for k in ("plain_normal", "plain_high") for l in range(nl))
    dead_bn = max(stat(r4[k], "dead", l) for k in ("bn_normal", "bn_high") for l in range(nl))
    text = [f"At the high learning rate ({hi}) the network with BatchNorm reaches {acc['bn_high']:.4f} and the "
            f"one without {acc['plain_high']:.4f}"
            + (f" ({div['plain_high']} of {n_seeds(r4['plain_high'])} plain runs diverged)" if div["plain_high"] else "")
            + (f" ({div['bn_high']} of {n_seeds(r4['bn_high'])} BatchNorm runs diverged)" if div["bn_high"] else "")
            + f"; at the normal rate ({lo}) {acc['bn_normal']:.4f} against {acc['plain_normal']:.4f}. The note's "
            f"claim that BatchNorm makes ReLU training stable at higher learning rates is **{verdict}** here "
            f"(difference {delta_hi:+.4f}, noise level {spread:.4f}).",
            f"Before the activation, at the normal rate, the inputs have mean {per_layer(r4['bn_normal'], 'in_mean')} "
            f"and variance {per_layer(r4['bn_normal'], 'in_var')} (layers 1 / 2) with BatchNorm, against mean "
            f"{per_layer(r4['plain_normal'], 'in_mean')} and variance {per_layer(r4['plain_normal'], 'in_var')} without: "
            + ("BatchNorm keeps them centred and scaled, its answer to ReLU's shifting, non-zero-mean inputs."
               if bn_centred else "BatchNorm does not centre them more than plain training here.")
            + f" At the high rate, BatchNorm's learnt shift and scale move them to mean "
            f"{per_layer(r4['bn_high'], 'in_mean')}, variance {per_layer(r4['bn_high'], 'in_var')}: "
            + ("BatchNorm normalises, then learns where to put the inputs; it does not keep them at mean 0."
               if bn_moved else "still close to mean 0 and variance 1.")
            + f" Dead ReLU units: at most {pct(dead_plain)} per layer without BatchNorm, {pct(dead_bn)} with it."]
    return ["## 4. ReLU with and without BatchNorm", "", *rows, "",
            *[t + "\n" for t in text], f"![Experiment 4: accuracy, pre-activation mean, dead units]({p})", ""]


def section_agreement(groups, meta):
    rows = ["| configuration | libactfast (seed 0) | PyTorch (seed 0) | difference | seed spread (std) "
            "| libactfast s/epoch | PyTorch s/epoch | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    diffs, ratios, outside = [], [], []
    multi = len(meta["seeds"]) > 1
    for label, run in groups:
        ours, theirs = run["actfast"][0]["acc"][-1], run["torch"]["acc"][-1]
        spread = mean_std(final_acc(run))[1]
        ratio = epoch_seconds(run["actfast"][0]) / epoch_seconds(run["torch"])
        diffs.append(abs(ours - theirs))
        ratios.append(ratio)
        if multi and abs(ours - theirs) > max(2 * spread, 0.005):
            outside.append((label, ours - theirs, spread))
        rows.append(f"| {label} | {ours:.4f} | {theirs:.4f} | {ours - theirs:+.4f} | "
                    f"{spread:.4f} | {epoch_seconds(run['actfast'][0]):.2f} | {epoch_seconds(run['torch']):.2f} | "
                    f"{ratio:.2f} |")
    same = sum(d == 0 for d in diffs)
    # How much the epoch time of one configuration varies between seeds (the machine's noise).
    cvs = [mean_std(epoch_seconds(r) for r in run["actfast"])[1] / run_seconds(run) for _, run in groups
           if len(run["actfast"]) > 1]
    noise = statistics.median(cvs) if cvs else None
    allowed = max(0.05, noise or 0.0)
    geo = math.exp(statistics.fmean(math.log(r) for r in ratios))
    text = [f"Each configuration ran with libactfast's activations and with PyTorch's, same seed, same "
            f"initial weights and same data order. The final accuracies are identical in {same} of "
            f"{len(diffs)} configurations and differ by at most {max(diffs):.4f}. "
            + ((f"All differences are within twice the seed-to-seed standard deviation (or 0.005): the two "
                f"implementations agree within the seed spread." if not outside else
                f"{len(diffs) - len(outside)} of {len(diffs)} are within twice the seed-to-seed standard "
                f"deviation (or 0.005); outside it: "
                + ", ".join(f"{lab} ({d:+.4f}, standard deviation {sd:.4f} over {len(meta['seeds'])} seeds)"
                            for lab, d, sd in outside) + ".") if multi else
               "(One seed in this run: there is no seed spread to compare with.)")
            + (" Where the two differ, the runs started from the same weights and drifted apart: results "
               "that differ from PyTorch's in the last bits change the weights slightly, and training "
               "amplifies that as it amplifies a change of seed." if same < len(diffs) else ""),
            f"Time per epoch (wall clock, training part only, seed 0 of each): libactfast's runs take "
            f"{geo:.2f} times PyTorch's on geometric mean (from {min(ratios):.2f} to {max(ratios):.2f}); "
            + (f"runs of one configuration with different seeds vary by {noise:.0%} (median standard deviation "
               f"over mean); " if noise is not None else "")
            + (f"within {allowed:.0%}, the kernels do not make training slower."
               if geo <= 1 + allowed else
               f"training is {geo - 1:.0%} slower with libactfast's activations, on mean: the per-call cost "
               "of going through Python and ctypes shows on these small layers.")
            + " The activations are a small part of each step (the convolutions, the dense layers and the "
            "optimiser are PyTorch's), and this machine is shared."]
    return ["## libactfast against PyTorch's own activations", "", *[t + "\n" for t in text], *rows, ""]


def write(results, out, meta):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    minutes = meta["wall_seconds"] / 60
    md = ["# actfast-lab report", "",
          f"The note's four experiments on Fashion-MNIST ({meta['dataset']}), every activation forward and "
          f"backward computed by {meta['actfast']} through `actfast.torch`; each configuration also ran once "
          f"with PyTorch's own modules ({meta['torch']}), same seed.", "",
          f"**{meta['mode']} run**: seeds {meta['seeds']} (tables give mean ± standard deviation over them), "
          f"{meta['threads']} thread{'s' if meta['threads'] != 1 else ''} on {meta['cpu']}; **{minutes:.1f} minutes** in all. Test accuracy is on "
          f"the 10,000 test images; dead units and activation statistics on the first "
          f"{meta['plan']['held_out']} of them. Dense layers are 1x1 convolutions (the same layer, computed "
          f"by oneDNN instead of the system BLAS). Produced by `bash scripts/lab.sh"
          f"{' --quick' if meta['mode'] == 'quick' else ''}`; every number and verdict below is computed "
          f"from the run (results.json).", ""]
    if meta.get("full_estimate_seconds"):
        md += [f"From this run's speed, the full run would take about "
               f"{meta['full_estimate_seconds'] / 60:.0f} minutes here.", ""]
    groups = []
    md += section1(results, out, groups)
    md += section2(results, out, groups)
    md += section3(results, out, groups)
    md += section4(results, out, groups)
    md += section_agreement(groups, meta)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md))
    return os.path.join(out, "report.md")
