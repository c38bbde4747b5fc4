#!/usr/bin/env python3
"""Reference values for the ops of issue 15 (TorchOpsReferenceTest), computed with PyTorch 1.13 in float64, and mpmath
for erfc and erfcx in their tails.

Run with a Python that has torch and mpmath (the versions are printed in the output's first line):

    /usr/bin/python3 autograd/src/test/python/torch_ops.py

It writes autograd/src/test/resources/torch_ops.txt, which is committed, so the tests never need Python. Each line is
`name shape d0 d1 ... : v0 v1 ...` (the format of torch_edges.txt), values in row-major order printed with repr.

For each case NAME with inputs x (and y for a binary op) it writes NAME.x (NAME.y), NAME.value = f(x, y), NAME.grad.x
(NAME.grad.y) = the gradient of sum(f) and NAME.grad2.x (NAME.grad2.y) = the gradient of the sum of those first
gradients (a row sum of the Hessian of sum(f), so second derivatives are compared too). A gradient torch reports as
None (it does not depend on the input) is written as zeros. NAME.mpmath, where present, is f(x) by mpmath at 40 digits.
The Java side (TorchOpsReferenceTest) names the same cases and fails when a case is missing on either side.
"""

import os

import mpmath as mp
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "torch_ops.txt")
lines = []


def put(name, t):
    t = torch.as_tensor(t, dtype=torch.float64).detach()
    if t._is_zerotensor():            # torch's lazily allocated zero gradients
        t = torch.zeros(t.shape)
    shape = " ".join(str(d) for d in t.shape)
    vals = " ".join(repr(float(v)) for v in t.reshape(-1).tolist())
    lines.append(f"{name} shape {shape} : {vals}".replace("shape  :", "shape :"))


def grads(out, ins, create):
    gs = torch.autograd.grad(out, ins, create_graph=create, allow_unused=True)
    return [torch.zeros_like(i) if g is None else g for g in gs]


def case(name, f, *inputs):
    ins = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    y = f(*ins)
    g1 = grads(y.sum(), ins, True)
    total = sum(g.sum() for g in g1)
    g2 = grads(total, ins, False) if total.requires_grad else [torch.zeros_like(i) for i in ins]
    for label, t in zip("xy", ins):
        put(f"{name}.{label}", t)
    put(f"{name}.value", y)
    for label, g, h in zip("xy", g1, g2):
        put(f"{name}.grad.{label}", g)
        put(f"{name}.grad2.{label}", h)


def mpcase(name, f, xs):
    """Where torch's own float64 formula loses digits: f and f' at the doubles xs by mpmath (NAME.mpmath, NAME.mpgrad.x)."""
    put(f"{name}.x", xs)
    put(f"{name}.mpmath", [float(f(mp.mpf(v))) for v in xs])
    put(f"{name}.mpgrad.x", [float(mp.diff(f, mp.mpf(v))) for v in xs])


mp.mp.dps = 40
G = [-2.7, -1.5, -0.5, -0.3, 0.0, 0.2, 0.5, 1.5, 2.5, 3.7]       # halves and integers for the rounding ops
X = [-4.0, -1.3, -0.6, -1e-9, 0.0, 1e-9, 0.4, 1.1, 2.5, 6.0]
U = [-0.999, -0.7, -0.2, -1e-10, 0.0, 1e-10, 0.3, 0.8, 0.999]   # inside (-1, 1)
P = [1e-300, 1e-8, 0.1, 0.5, 1.0, 2.0, 7.5, 1e8, 1e300]         # positive, wide

case("floor", torch.floor, G)
case("ceil", torch.ceil, G)
case("round", torch.round, G)
case("trunc", torch.trunc, G)
case("frac", torch.frac, G)
case("rsqrt", torch.rsqrt, P)
case("tan", torch.tan, [-1.5, -0.7, -1e-9, 0.0, 0.3, 1.2, 1.57, 4.0])
case("atan", torch.atan, X + [1e10, -1e300])
case("asin", torch.asin, U)
case("acos", torch.acos, U)
case("sinh", torch.sinh, X + [-700.0, 30.0, 1e-200])
case("cosh", torch.cosh, X + [-700.0, 30.0])
case("asinh", torch.asinh, X + [-1e10, 3e8, 1e300, -1e-200])
case("acosh", torch.acosh, [1.5, 2.0, 10.0, 1e8, 3e8, 1e300])
# near 1 torch's gradient 1/sqrt(x^2 - 1) cancels (5e-11 relative at 1 + 1e-6); deepprob's goes through x - 1, exact there
mpcase("acoshNear1", mp.acosh, [1.0 + 1e-12, 1.0 + 1e-6, 1.001])
case("atanh", torch.atanh, U)
case("log2", torch.log2, P)
case("log10", torch.log10, P)
case("exp2", torch.exp2, X + [-1074.0, 1023.5, 0.5])
ERFC_X = [-30.0, -6.0, -1.5, -1.0, -0.5, -1e-10, 0.0, 0.3, 0.999, 1.0, 1.5, 3.0, 6.0, 12.0, 26.0, 27.0]
case("erfc", torch.special.erfc, ERFC_X)
put("erfcTail.x", ERFC_X)
put("erfcTail.mpmath", [float(mp.erfc(mp.mpf(v))) for v in ERFC_X])
ERFCX_X = [-26.0, -6.0, -1.0, -0.2, 0.0, 0.5, 0.999, 1.0, 2.0, 5.0, 30.0, 1e3, 1e7, 1e9, 1e200]
# the derivatives 2x erfcx(x) - 2/sqrt(pi) cancel for large x (in torch's rule as in deepprob's): compared up to x = 30
case("erfcx", torch.special.erfcx, [v for v in ERFCX_X if v <= 30])


def erfcx_mp(v):
    x = mp.mpf(v)
    if x < 1000:
        return mp.exp(x * x) * mp.erfc(x)
    # the asymptotic series 1/(x sqrt(pi)) sum (-1)^k (2k-1)!! / (2x^2)^k: its terms fall by 1e-6 or more from x = 1000
    s, t = mp.mpf(1), mp.mpf(1)
    for k in range(1, 8):
        t *= -(2 * k - 1) / (2 * x * x)
        s += t
    return s / (x * mp.sqrt(mp.pi))


put("erfcxTail.x", ERFCX_X)
put("erfcxTail.mpmath", [float(erfcx_mp(v)) for v in ERFCX_X])
# not at 0, where the second derivative jumps (torch takes the right side's 0 there, deepprob the left side's)
case("selu", torch.selu, [v for v in X if abs(v) not in (0.0, 1e-9)] + [-50.0])
SELU_A, SELU_S = mp.mpf("1.6732632423543772848170429916717"), mp.mpf("1.0507009873554804934193349852946")
# torch's alpha (e^x - 1) cancels near 0-; deepprob's expm1 keeps the digits
mpcase("seluTiny", lambda v: SELU_S * (v if v > 0 else SELU_A * mp.expm1(v)), [-1e-9, -1e-5, -0.3])
case("gelu", F.gelu, X)
# torch's x (1 + erf(x / sqrt 2)) / 2 cancels to -0 from about x = -8; deepprob's x erfc(-x / sqrt 2) / 2 keeps it
mpcase("geluTail", lambda v: v * mp.erfc(-v / mp.sqrt(2)) / 2, [-6.0, -10.0, -30.0])
case("geluTanh", lambda x: F.gelu(x, approximate="tanh"), X)
case("silu", F.silu, X + [-50.0, 50.0])
case("mish", F.mish, X + [-50.0, 50.0])
case("softsign", F.softsign, X)
case("hardtanh", lambda x: F.hardtanh(x, -0.5, 0.5), [-2.0, -0.5, -0.3, 0.0, 0.2, 0.5, 0.9])
case("logit", torch.logit, [1e-12, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-12])
case("logitEps", lambda x: torch.logit(x, eps=0.05), [0.01, 0.05, 0.3, 0.5, 0.96, 0.99])

A = [-3.0, -1.0, -0.5, 0.0, 0.0, 2.0, 5.0, -7.5, 1e-300, 1e300]
B = [1.0, -2.0, 0.25, 1.0, -1.0, -3.0, 0.5, 2.0, 1e-300, 1e300]
case("atan2", torch.atan2, A, B)
case("logaddexp", torch.logaddexp, [-3.0, 0.0, 0.5, 700.0, -800.0, 1.0, 40.0], [2.0, -1.0, 0.4, 710.0, -790.0, 1.0 + 1e-9, -40.0])
case("hypot", torch.hypot, [3.0, -1.0, 0.5, 1e200, 1e-200, -2.0], [4.0, 1.0, -1e-3, 3e200, 4e-200, 0.0])
FA = [5.3, -5.3, 5.3, -5.3, 0.7, 7.25, -1e10]
FB = [2.0, 2.0, -2.0, -2.0, 3.0, 0.5, 3.0]
case("fmod", torch.fmod, FA, FB)
case("remainder", torch.remainder, FA, FB)
case("xlogy", torch.xlogy, [0.0, 0.0, 2.0, -1.5, 3.0, 1e-5], [0.5, 3.0, 0.25, 4.0, 1e300, 7.0])

M = [[1.5, -2.0, 0.5], [0.0, 3.0, -1.0], [0.0, 0.0, 2.0], [0.7, -0.3, 1.2]]   # rows with 0, 1 and 2 zeros
case("prod", torch.prod, [[1.5, -2.0, 0.5], [0.7, -0.3, 1.2]])
case("prodDim1", lambda x: torch.prod(x, 1), M)
case("prodDim0", lambda x: torch.prod(x, 0), M)
case("prodZero", torch.prod, [[1.5, 0.0], [2.0, -1.0]])
case("cumprod", lambda x: torch.cumprod(x, 1), [[1.5, -2.0, 0.5, 2.0, 0.0, 3.0, -1.0], [0.0, 3.0, -1.0, 0.0, 2.0, 0.5, 1.1]])
case("logcumsumexp", lambda x: torch.logcumsumexp(x, 1),
     [[-1000.0, 0.0, -3.0, 5.0, 4.0, -2000.0, 700.0], [0.1, 0.2, 0.3, -0.4, 0.5, 0.6, 0.7]])
case("norm1", lambda x: torch.linalg.vector_norm(x, 1, dim=1), [[3.0, -4.0, 0.5], [1.0, 2.0, -0.25]])
case("norm2", lambda x: torch.linalg.vector_norm(x, 2, dim=1), [[3.0, -4.0, 0.5], [1.5, 2.0, -1.0]])
# at the zero vector torch's gradient is 0 (its subgradient) and its second derivative NaN: only value and gradient count
case("norm2Zero", lambda x: torch.linalg.vector_norm(x, 2, dim=1), [[3.0, -4.0, 0.5], [0.0, 0.0, 0.0]])
case("normInf", lambda x: torch.linalg.vector_norm(x, float("inf")), [[3.0, -4.0, 0.5], [1.0, 4.0, -0.25]])
case("norm3", lambda x: torch.linalg.vector_norm(x, 3, dim=0), [[3.0, -4.0, 0.5], [1.0, 2.0, -0.25]])
case("fro", lambda x: torch.linalg.matrix_norm(x, "fro"), [[[3.0, -4.0], [0.5, 1.0]], [[2.0, 0.0], [-2.0, 1.0]]])
# where torch 1.13's 2-norm under- and overflows (0 and inf), the exact values by mpmath: the norm and its gradient x/|x|
NS = [[1e-200, -2e-200, 0.0], [1e200, 2e200, -3e200]]
put("normScaled.x", NS)
put("normScaled.mpmath", [float(mp.sqrt(sum(mp.mpf(v) ** 2 for v in r))) for r in NS])
put("normScaled.mpgrad.x", [[float(mp.mpf(v) / mp.sqrt(sum(mp.mpf(w) ** 2 for w in r))) for v in r] for r in NS])
case("trace", torch.trace, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
case("flip", lambda x: torch.flip(x, [0, 1]) * torch.arange(1.0, 7.0).reshape(2, 3), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
case("roll", lambda x: torch.roll(x, (1, -2), (0, 1)) * torch.arange(1.0, 9.0).reshape(2, 4),
     [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
case("rollFlat", lambda x: torch.roll(x, 3) * torch.arange(1.0, 9.0).reshape(2, 4), [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
case("amax", lambda x: torch.amax(x, (0, 2)), [[[1.0, 5.0], [2.0, 0.0]], [[5.0, -1.0], [3.0, 3.0]]])
case("amin", lambda x: torch.amin(x, (1, 2), keepdim=True), [[[1.0, 5.0], [1.0, 0.0]], [[5.0, -1.0], [3.0, -1.0]]])

with open(OUT, "w") as f:
    f.write(f"# generated by autograd/src/test/python/torch_ops.py (torch {torch.__version__}, mpmath {mp.__version__})\n")
    f.write("\n".join(lines) + "\n")
print(f"wrote {len(lines)} lines to {os.path.normpath(OUT)}")
