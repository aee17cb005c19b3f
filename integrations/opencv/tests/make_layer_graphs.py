#!/usr/bin/python3
"""One-layer ONNX graphs for the layer-level OpenCV tests (python3-onnx).

    /usr/bin/python3 make_layer_graphs.py OUTDIR

For every case below, OUTDIR/<case>.onnx holds input -> activation -> output,
and OUTDIR/conv_<case>.onnx the same activation after a 3x3 convolution (so
that OpenCV fuses it and calls the layer's forwardSlice()). Input: N x 8 x H x W,
N, H and W free (the tests use batch 2); channels fixed at 8 for the PReLU
slopes and the convolution's weights.

Where OpenCV 4.6 has no ONNX op for a layer type, the graph uses what its
importer turns into that type: Mish from Softplus -> Tanh -> Mul (its
MishSubgraph), HardSwish from the opset-14 op, Swish from a node named "Swish"
(not an ONNX op: the importer hands unknown ops to the layer factory by name),
ReLU6 from the attribute form of Clip. Gelu is an opset-20 op that onnx 1.12
does not know; OpenCV 4.6 has no GELU layer at all, so gelu.onnx holds a Gelu
node (only a registered "Gelu" layer can run it; gelu_ms.onnx the same as
ONNX Runtime's com.microsoft.Gelu, which OpenCV looks up as
"com.microsoft.Gelu") and gelu_decomposed.onnx the
Div/Erf/Add/Mul/Mul form torch exports, which OpenCV runs as Erf + eltwise
layers: the tests compare the two. The same for gelu_tanh.
"""
import os
import sys

C = 8


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import numpy as np
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError as e:
        print("make_layer_graphs.py: %s (Debian: python3-onnx, python3-numpy; run with /usr/bin/python3)" % e,
              file=sys.stderr)
        return 77
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    slopes = np.array([0.25, -0.5, 0.0, 1.5, 0.01, 3.0, -2.0, 0.75], dtype=np.float32).reshape(C, 1, 1)

    def save(name, nodes, inits, opset, extra_outputs=()):
        x = helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", C, "H", "W"])
        y = helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", C, "H", "W"])
        g = helper.make_graph(nodes, name, [x], [y], initializer=inits)
        opsets = [helper.make_opsetid("", opset)]
        if any(nd.domain == "com.microsoft" for nd in nodes):
            opsets.append(helper.make_opsetid("com.microsoft", 1))
        m = helper.make_model(g, opset_imports=opsets, producer_name="actfast")
        onnx.save(m, os.path.join(out, name + ".onnx"))

    def const(name, arr):
        return numpy_helper.from_array(np.asarray(arr, dtype=np.float32), name)

    # case -> (nodes from "a" to "output", initializers, opset)
    def n(op, inputs, outputs, **attrs):
        return helper.make_node(op, inputs, outputs, **attrs)

    sq2 = np.float32(np.sqrt(2.0))
    k = np.float32(np.sqrt(2.0 / np.pi))
    cases = {
        "relu": ([n("Relu", ["a"], ["output"])], [], 14),
        "leaky_relu": ([n("LeakyRelu", ["a"], ["output"], alpha=0.1)], [], 14),
        "prelu": ([n("PRelu", ["a", "slope"], ["output"])], [const("slope", slopes)], 14),
        "prelu_shared": ([n("PRelu", ["a", "slope"], ["output"])], [const("slope", [0.2])], 14),
        "elu": ([n("Elu", ["a"], ["output"], alpha=1.0)], [], 14),
        "elu_alpha": ([n("Elu", ["a"], ["output"], alpha=0.5)], [], 14),
        "celu": ([n("Celu", ["a"], ["output"], alpha=1.0)], [], 14),
        "celu_alpha2": ([n("Celu", ["a"], ["output"], alpha=2.0)], [], 14),
        "sigmoid": ([n("Sigmoid", ["a"], ["output"])], [], 14),
        "tanh": ([n("Tanh", ["a"], ["output"])], [], 14),
        "swish": ([n("Swish", ["a"], ["output"])], [], 14),
        "mish": ([n("Softplus", ["a"], ["sp"]), n("Tanh", ["sp"], ["th"]), n("Mul", ["a", "th"], ["output"])],
                 [], 14),
        "softplus": ([n("Softplus", ["a"], ["output"])], [], 14),
        "hardswish": ([n("HardSwish", ["a"], ["output"])], [], 14),
        "hardsigmoid": ([n("HardSigmoid", ["a"], ["output"], alpha=1.0 / 6.0, beta=0.5)], [], 14),
        "hardsigmoid_onnx_default": ([n("HardSigmoid", ["a"], ["output"])], [], 14),
        "relu6": ([n("Clip", ["a"], ["output"], min=0.0, max=6.0)], [], 10),
        "hardtanh": ([n("Clip", ["a"], ["output"], min=-1.0, max=1.0)], [], 10),
        "selu": ([n("Selu", ["a"], ["output"])], [], 14),
        "gelu": ([n("Gelu", ["a"], ["output"])], [], 14),
        "gelu_tanh": ([n("Gelu", ["a"], ["output"], approximate="tanh")], [], 14),
        "gelu_ms": ([n("Gelu", ["a"], ["output"], domain="com.microsoft")], [], 14),
        "gelu_decomposed": ([n("Div", ["a", "sq2"], ["d"]), n("Erf", ["d"], ["e"]),
                             n("Add", ["e", "one"], ["f"]), n("Mul", ["a", "f"], ["g"]),
                             n("Mul", ["g", "half"], ["output"])],
                            [const("sq2", sq2), const("one", 1.0), const("half", 0.5)], 14),
        "gelu_tanh_decomposed": ([n("Mul", ["a", "a"], ["a2"]), n("Mul", ["a2", "a"], ["a3"]),
                                  n("Mul", ["a3", "c"], ["b"]), n("Add", ["a", "b"], ["s"]),
                                  n("Mul", ["s", "k"], ["t"]), n("Tanh", ["t"], ["th"]),
                                  n("Add", ["th", "one"], ["f"]), n("Mul", ["a", "f"], ["g"]),
                                  n("Mul", ["g", "half"], ["output"])],
                                 [const("c", 0.044715), const("k", k), const("one", 1.0), const("half", 0.5)], 14),
    }
    w = (rng.standard_normal((C, C, 3, 3)) * (1.0 / np.sqrt(C * 9))).astype(np.float32)
    b = (rng.standard_normal(C) * 0.1).astype(np.float32)
    for name, (nodes, inits, opset) in cases.items():
        # plain: the activation reads the graph input directly
        plain = [helper.make_node(nd.op_type, [("input" if i == "a" else i) for i in nd.input], list(nd.output),
                                  domain=nd.domain) for nd in nodes]
        for src, dst in zip(nodes, plain):
            dst.attribute.extend(src.attribute)
        save(name, plain, inits, opset)
        conv = [n("Conv", ["input", "w", "b"], ["a"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])] + nodes
        save("conv_" + name, conv, inits + [const("w", w), const("b", b)], opset)
    print("%s: %d cases (plain and conv_)" % (out, len(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
