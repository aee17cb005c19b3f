#!/usr/bin/python3
"""Export torchvision models (random weights, nothing downloaded) to ONNX files
that OpenCV 4.6's DNN importer reads, for actfast-dnn and the opencv tests.

    /usr/bin/python3 export_models.py OUTDIR [--models resnet18,...] [--opset N]
                                      [--size S] [--force]

Run it with Debian's /usr/bin/python3 (python3-torch, python3-torchvision,
python3-onnx): a python3 earlier on PATH may lack them.

Each model is built with weights=None and a fixed seed, its BatchNorm running
statistics are calibrated on a few random batches (so that activations have
realistic ranges instead of BN's identity defaults: mean 0, var 1 on
un-normalised data makes deep random nets explode or vanish), then exported
with a dynamic batch, height and width, and cleaned up for OpenCV 4.6:

* opset 14 (default): PyTorch 1.13's default export opset, the first with a
  HardSwish op (MobileNetV3's 19 hardswish become 19 OpenCV HardSwish layers
  directly). Below 14, torch writes hardswish as HardSigmoid(alpha=1/6) * x
  *without* a beta attribute, and OpenCV 4.6's HardSwishSubgraph fusion
  matches only when both alpha and beta are present: the model then runs 28
  HardSigmoid layers and 19 extra elementwise products (measured with 11).
* Clip with constant min/max inputs -> Clip with min/max attributes (the
  opset-6 form). From opset 11 on, Clip takes min and max as inputs, and
  OpenCV 4.6's parseClip requires exactly one input
  (CV_CheckEQ(node_proto.input_size(), 1)): MobileNetV2's 35 ReLU6 would not
  import. The importer reads the attributes into ReLU6's min_value/max_value.
  (The file is for OpenCV: an opset-14 checker would reject the attributes.)
* Identity nodes are removed (consumers read the Identity's input). torch
  de-duplicates equal initializers by feeding the copies through Identity
  nodes: with random weights the squeeze-excitation biases are all equal
  (zero-initialised), so MobileNetV3 gets 5 and EfficientNet-B0 18 of them.
  OpenCV 4.6 imports an Identity whose input is an initializer as a layer
  with a blob and no input, and getMemoryShapes asserts (inputs.size()).
  Trained weights would rarely produce them; opset 10, 11, 13 and 14 all do.
* SiLU (EfficientNet-B0) is exported as Sigmoid followed by Mul (ONNX has no
  SiLU); OpenCV 4.6 has no Swish fusion for ONNX, so it runs a Sigmoid layer
  and an elementwise product. That Sigmoid's input has two consumers (the
  Sigmoid and the Mul), so OpenCV cannot fuse it into the convolution: 49 of
  the 65 Sigmoids run as layers of their own; the 16 squeeze-excitation
  Sigmoids follow a convolution alone and are fused into it.

The inputs and a reference output from PyTorch (float32) are saved next to
each model (<name>.input.npy, <name>.torch.npy) at the export size, for the
tests' sanity check that OpenCV reads the model as PyTorch computes it.
A model is re-exported when missing, when this script or the options changed
(<name>.stamp), or with --force.
"""
import argparse
import hashlib
import os
import sys

MODELS = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0"]


def build(name, torch, torchvision):
    torch.manual_seed(1234)
    ctor = getattr(torchvision.models, name)
    model = ctor(weights=None)
    # Calibrate BatchNorm: cumulative averages over a few random batches.
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    g = torch.Generator().manual_seed(99)
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, 3, 128, 128, generator=g))
    model.eval()
    return model


def cleanup(model_proto, onnx):
    """The OpenCV 4.6 clean-ups described in the module docstring."""
    from onnx import helper, numpy_helper

    graph = model_proto.graph
    consts = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for n in graph.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = numpy_helper.to_array(a.t)
    stats = {"clip": 0, "identity": 0}

    # Identity: rewire consumers to the Identity's input.
    graph_outputs = {o.name for o in graph.output}
    keep = []
    for n in graph.node:
        if n.op_type != "Identity":
            keep.append(n)
            continue
        src, dst = n.input[0], n.output[0]
        stats["identity"] += 1
        if dst in graph_outputs:
            # Rename the producer's output (or the initializer) to dst.
            for m in graph.node:
                for k, o in enumerate(m.output):
                    if o == src:
                        m.output[k] = dst
            for m in graph.node:
                for k, i in enumerate(m.input):
                    if i == src:
                        m.input[k] = dst
            for init in graph.initializer:
                if init.name == src:
                    init.name = dst
        else:
            for m in graph.node:
                for k, i in enumerate(m.input):
                    if i == dst:
                        m.input[k] = src
    del graph.node[:]
    graph.node.extend(keep)

    # Clip with constant min/max inputs -> attribute form.
    for n in graph.node:
        if n.op_type != "Clip" or len(n.input) == 1:
            continue
        attrs = []
        for k, key in ((1, "min"), (2, "max")):
            if len(n.input) > k and n.input[k]:
                if n.input[k] not in consts:
                    raise SystemExit("Clip %s: %s is not a constant" % (n.name, key))
                attrs.append(helper.make_attribute(key, float(consts[n.input[k]].reshape(()))))
        del n.input[1:]
        n.attribute.extend(attrs)
        stats["clip"] += 1

    # Drop initializers and Constant nodes nothing reads any more.
    used = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
    inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(inits)
    nodes = [n for n in graph.node if n.op_type != "Constant" or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(nodes)
    return stats


def export(name, outdir, opset, size, cleanups, torch, torchvision, onnx, numpy):
    path = os.path.join(outdir, name + ".onnx")
    model = build(name, torch, torchvision)
    g = torch.Generator().manual_seed(7)
    x = torch.randn(1, 3, size, size, generator=g)
    tmp = path + ".tmp"
    with torch.no_grad():
        ref = model(x)
        torch.onnx.export(model, x, tmp, opset_version=opset, do_constant_folding=True,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"},
                                        "output": {0: "batch"}})
    proto = onnx.load(tmp)
    stats = cleanup(proto, onnx) if cleanups else {"clip": 0, "identity": 0}
    onnx.save(proto, tmp)
    os.replace(tmp, path)
    numpy.save(os.path.join(outdir, name + ".input.npy"), x.numpy())
    numpy.save(os.path.join(outdir, name + ".torch.npy"), ref.numpy())
    kinds = {}
    for n in proto.graph.node:
        kinds[n.op_type] = kinds.get(n.op_type, 0) + 1
    acts = {k: v for k, v in kinds.items()
            if k in ("Relu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Mul", "LeakyRelu",
                     "PRelu", "Elu", "Tanh")}
    print("%s: opset %d, %d nodes, rewrote %d Clip, removed %d Identity; %s"
          % (path, opset, len(proto.graph.node), stats["clip"], stats["identity"], acts))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--opset", type=int, default=14)
    ap.add_argument("--size", type=int, default=64, help="side of the saved test input")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--no-cleanup", action="store_true",
                    help="skip the OpenCV 4.6 clean-ups (to see what the importer rejects)")
    args = ap.parse_args()
    names = args.models.split(",")
    for name in names:
        if name not in MODELS:
            print("unknown model %s (known: %s)" % (name, ", ".join(MODELS)), file=sys.stderr)
            return 2
    os.makedirs(args.outdir, exist_ok=True)
    with open(__file__, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = "%s opset=%d size=%d cleanup=%d\n" % (digest, args.opset, args.size, not args.no_cleanup)
    todo = []
    for name in names:
        path = os.path.join(args.outdir, name + ".onnx")
        stamp_path = os.path.join(args.outdir, name + ".stamp")
        fresh = os.path.exists(path) and os.path.exists(stamp_path) and open(stamp_path).read() == stamp
        if args.force or not fresh:
            todo.append(name)
    if not todo:
        print("%s: models up to date" % args.outdir)
        return 0
    try:
        import numpy
        import onnx
        import torch
        import torchvision
    except ImportError as e:
        print("export_models.py: %s (Debian: python3-torch python3-torchvision python3-onnx;"
              " run with /usr/bin/python3)" % e, file=sys.stderr)
        return 77
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    for name in todo:
        export(name, args.outdir, args.opset, args.size, not args.no_cleanup, torch, torchvision, onnx, numpy)
        with open(os.path.join(args.outdir, name + ".stamp"), "w") as f:
            f.write(stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
