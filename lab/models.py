"""The networks of the four experiments, each built around an activation factory (channels -> module).

Fully connected layers are `Dense`: a 1x1 convolution on (N, C, 1, 1) tensors. It is the same
layer as nn.Linear (weight (out, in), bias (out), the same default initialisation), but PyTorch
runs it through oneDNN, while Debian's python3-torch runs nn.Linear through whatever BLAS the
system has, by default the reference BLAS (libblas3), many times slower. Activations then see
(N, C, 1, 1) tensors: C units, PReLU with one slope per unit.
"""
import torch
from torch import nn


class Dense(nn.Conv2d):
    """in_features -> out_features on (N, in, 1, 1) -> (N, out, 1, 1): nn.Linear as a 1x1 convolution."""

    def __init__(self, in_features, out_features):
        super().__init__(in_features, out_features, 1)


class MLP(nn.Module):
    """784 - hidden... - 10, an activation after every hidden layer (and BatchNorm before it if asked)."""

    def __init__(self, hidden, act, batch_norm=False, first_bias=None):
        super().__init__()
        layers, width = [], 784
        self.linears, self.acts, self.norms = [], [], []
        for h in hidden:
            lin = Dense(width, h)
            if first_bias is not None and not self.linears:
                nn.init.constant_(lin.bias, first_bias)  # the first hidden layer's biases
            layers.append(lin)
            self.linears.append(lin)
            if batch_norm:
                bn = nn.BatchNorm2d(h)
                layers.append(bn)
                self.norms.append(bn)
            a = act(h)
            layers.append(a)
            self.acts.append(a)
            width = h
        self.out = Dense(width, 10)
        layers.append(self.out)
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.reshape(len(x), -1, 1, 1)).flatten(1)


class CNN(nn.Module):
    """Two conv blocks (conv 3x3, activation, 2x2 max pool) and two dense layers."""

    def __init__(self, act):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1)
        self.fc1, self.out = Dense(32 * 7 * 7, 128), Dense(128, 10)
        self.acts = [act(16), act(32), act(128)]
        self.features = nn.Sequential(self.conv1, self.acts[0], nn.MaxPool2d(2), self.conv2, self.acts[1],
                                      nn.MaxPool2d(2))
        self.head = nn.Sequential(self.fc1, self.acts[2], self.out)
        self.linears = [self.conv1, self.conv2, self.fc1]

    def forward(self, x):
        f = self.features(x)
        return self.head(f.reshape(len(f), -1, 1, 1)).flatten(1)


def weight_layers(model):
    """The layers whose weight gradients are reported, input to output."""
    return [m for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
