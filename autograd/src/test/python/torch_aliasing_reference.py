"""What PyTorch does in the cases AliasingTest, TensorIndexTest and GradAllowUnusedTest check (run: python3 torch_aliasing_reference.py > torch_aliasing_reference.txt; torch 1.13).

deepprob follows it: refuse a backward through a value changed through any alias, refuse in-place writes into
overlapping elements, wrap a negative index once, refuse an unused input of autograd.grad unless allow_unused.
"""
import torch


def show(name, f):
    try:
        print(f"{name}: {f()}")
    except Exception as e:  # the refusal is the point
        print(f"{name}: {type(e).__name__}: {str(e).splitlines()[0]}")


def detach_fill():
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    l = (x * x).sum()
    x.detach().fill_(5)
    l.backward()
    return x.grad.tolist()


def view_under_no_grad():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    l = (x * x).sum()
    with torch.no_grad():
        x.narrow(0, 1, 1).fill_(7)
    l.backward()
    return x.grad.tolist()


def constant_through_reshape():
    c = torch.tensor([3.0, 4.0], dtype=torch.float64)
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    l = (x * c.reshape(2, 1).reshape(2)).sum()
    c.fill_(0)
    l.backward()
    return x.grad.tolist()


def changed_output():
    x = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    y = x.exp()
    y.detach().fill_(0)
    y.backward(torch.ones(2, dtype=torch.float64))
    return x.grad.tolist()


def expanded_add():
    e = torch.zeros(1).expand(3)
    return e.add_(torch.tensor([1.0, 2.0, 3.0])).tolist()


def copy_from_own_transpose():
    a = torch.arange(4.0, dtype=torch.float64).reshape(2, 2)
    a.copy_(a.t().clone())  # the values a copy from its own transpose should give (numpy's a[...] = a.T)
    return a.flatten().tolist()


m = torch.tensor([[0.0, 1, 2], [10, 11, 12]], dtype=torch.float64)


def unused():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    return torch.autograd.grad((x * x).sum(), [x, z])


def unused_allowed():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    return [None if g is None else g.tolist() for g in torch.autograd.grad((x * x).sum(), [x, z], allow_unused=True)]


show("detach().fill_ then backward", detach_fill)
show("view of a leaf written under no_grad then backward", view_under_no_grad)
show("constant through reshape changed then backward", constant_through_reshape)
show("output of exp changed then backward", changed_output)
show("expand(3).add_", expanded_add)
show("copy from own transpose (values wanted)", copy_from_own_transpose)
def aliased_copy():
    a = torch.arange(4.0, dtype=torch.float64).reshape(2, 2)
    return a.copy_(a.t()).flatten().tolist()


show("aliased copy_ from own transpose", aliased_copy)
show("select(1, -1)", lambda: m.select(1, -1).tolist())
show("select(1, -4)", lambda: m.select(1, -4).tolist())
show("narrow(1, -2, 2)", lambda: m.narrow(1, -2, 2).tolist())
show("narrow(1, -5, 1)", lambda: m.narrow(1, -5, 1).tolist())
show("narrow(1, 3, 0)", lambda: list(m.narrow(1, 3, 0).shape))
show("grad with an unused input", unused)
show("grad with an unused input, allow_unused=True", unused_allowed)
show("zeros(65536, 65536, 65536, 65536)", lambda: torch.zeros(65536, 65536, 65536, 65536).shape)
