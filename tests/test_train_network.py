"""fit_network against the textbook PyTorch loop (DataLoader, torch.optim.SGD) it stands for."""

from functools import partial

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import hingelib as hl


def problem(n=120, d=5, k=3, seed=0):
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=generator)
    y = (X[:, :k] + 0.5 * torch.randn(n, k, generator=generator)).argmax(dim=1)
    return X, y


def mlp(seed, d=5, k=3, width=8):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, width), nn.ReLU(), nn.Linear(width, k))


def textbook_loop(net, X, y, loss, *, lr, weight_decay, epochs, batch_size, seed, momentum):
    """The plain loop: a shuffled DataLoader, SGD with the biases in a group without decay."""
    decayed = [p for p in net.parameters() if p.ndim > 1]
    others = [p for p in net.parameters() if p.ndim <= 1]
    optimiser = torch.optim.SGD(
        [{"params": decayed, "weight_decay": weight_decay}, {"params": others}],
        lr=lr,
        momentum=momentum,
    )
    generator = torch.Generator().manual_seed(seed)
    loader = DataLoader(TensorDataset(X, y), batch_size, shuffle=True, generator=generator)
    for _ in range(epochs):
        for xb, yb in loader:
            optimiser.zero_grad()
            loss(net(xb), yb).backward()
            optimiser.step()


def assert_same_parameters(a, b, **tolerance):
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p, q, **tolerance)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize(
    "loss", [F.cross_entropy, hl.multiclass_hinge_loss, partial(F.multi_margin_loss, p=2)]
)
def test_one_model_follows_the_textbook_dataloader_and_sgd_loop(loss, momentum):
    X, y = problem()
    settings = dict(lr=0.05, weight_decay=0.01, epochs=4, batch_size=32, seed=3, momentum=momentum)
    ours, theirs = mlp(1), mlp(1)
    hl.fit_network(ours, X, y, loss=loss, **settings)
    textbook_loop(theirs, X, y, loss, **settings)
    assert_same_parameters(ours, theirs, atol=1e-6, rtol=1e-5)


def test_decay_bias_decays_every_parameter_as_plain_sgd_weight_decay_does():
    X, y = problem()
    ours, theirs = mlp(2), mlp(2)
    hl.fit_network(ours, X, y, loss=F.cross_entropy, lr=0.1, weight_decay=0.1, decay_bias=True)
    optimiser = torch.optim.SGD(theirs.parameters(), lr=0.1, weight_decay=0.1)
    loader = DataLoader(
        TensorDataset(X, y), 64, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
    for _ in range(10):
        for xb, yb in loader:
            optimiser.zero_grad()
            F.cross_entropy(theirs(xb), yb).backward()
            optimiser.step()
    assert_same_parameters(ours, theirs, atol=1e-6, rtol=1e-5)


def test_a_list_of_models_trains_each_as_if_it_were_alone():
    X, y = problem(seed=4)
    losses = [F.cross_entropy, hl.multiclass_hinge_loss, partial(hl.multiclass_hinge_loss, p=2)]
    lrs, decays = [0.02, 0.05, 0.01], [0.0, 1e-3, 1e-2]
    together = [mlp(10 + i) for i in range(3)]
    history = hl.fit_network(
        together, X, y, loss=losses, lr=lrs, weight_decay=decays, epochs=3, seed=5
    )
    assert history.loss.shape == history.error.shape == history.zero_gradient.shape == (3, 3)
    for i in range(3):
        alone = mlp(10 + i)
        single = hl.fit_network(
            alone, X, y, loss=losses[i], lr=lrs[i], weight_decay=decays[i], epochs=3, seed=5
        )
        assert_same_parameters(alone, together[i], atol=1e-6, rtol=1e-5)
        torch.testing.assert_close(single.loss, history.loss[:, i])
        torch.testing.assert_close(single.zero_gradient, history.zero_gradient[:, i])


def test_one_full_batch_records_the_loss_error_and_zero_gradient_share_before_its_step():
    X, y = problem(n=200, seed=6)
    y = torch.where(X[:, 0] + X[:, 1] > 0, 1.0, -1.0)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 1), nn.Flatten(0))
    with torch.no_grad():
        net[0].weight.mul_(20.0)  # many margins beyond 1 at the start
        m = y * net(X)
        expected = (hl.hinge_loss(net(X), y), (m <= 0).float().mean(), (m > 1).float().mean())
    history = hl.fit_network(net, X, y, loss=hl.hinge_loss, lr=0.1, epochs=1, batch_size=200)
    torch.testing.assert_close(history.loss[0], expected[0])
    torch.testing.assert_close(history.error[0], expected[1])
    torch.testing.assert_close(history.zero_gradient[0], expected[2])
    assert 0.3 < expected[2] < 1


def test_cross_entropy_never_has_an_exactly_zero_gradient_here():
    X, y = problem()
    history = hl.fit_network(mlp(0), X, y, loss=F.cross_entropy, lr=0.1, epochs=5)
    assert torch.equal(history.zero_gradient, torch.zeros(5))


def test_a_diverging_model_of_a_list_stops_there_and_leaves_the_others_alone():
    X, y = problem(seed=8)
    squared = partial(hl.multiclass_hinge_loss, p=2)
    together = [mlp(0), mlp(1)]
    history = hl.fit_network(
        together, X, y, loss=[squared, squared], lr=[1e4, 0.01], epochs=4, momentum=0.9
    )
    assert torch.isnan(history.loss[-1, 0]) and torch.isfinite(history.loss[:, 1]).all()
    alone = mlp(1)
    hl.fit_network(alone, X, y, loss=squared, lr=0.01, epochs=4, momentum=0.9)
    assert_same_parameters(alone, together[1], atol=1e-6, rtol=1e-5)


def test_fit_network_draws_no_global_random_numbers():
    X, y = problem()
    net = mlp(0)
    state = torch.random.get_rng_state()
    hl.fit_network(net, X, y, loss=F.cross_entropy, lr=0.1, epochs=2, seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
