"""PyTorch's side of the GAN benchmark: the identical architectures and step.

DCGAN 64x64x3 with 64 feature maps (G: latent -> 4x4x512 projection, BatchNorm,
ReLU, transposed convolutions k4 s2 to 3 channels, tanh; D: convolutions k4 s2
from 64 maps, LeakyReLU 0.2, BatchNorm after the first, one logit) and the
original dense GAN (G 256-512-1024-out with LeakyReLU 0.2 and BatchNorm
momentum 0.8, tanh; D 512-256-1, sigmoid). One step as ganprep's: generate
once; D on real (ones) and fake (zeros), one Adam update; G through the frozen
D (ones). Adam(2e-4, 0.5, 0.999, eps 1e-7). Prints one JSON line.
Usage: torch_step.py ARCH SIZE CHANNELS BATCH THREADS STEPS
"""
import json, statistics, sys, time
import torch
from torch import nn

arch, size, channels, batch, threads, steps = sys.argv[1], *map(int, sys.argv[2:])
torch.set_num_threads(threads)
torch.manual_seed(1)
latent, f = 100, 64

def dcgan():
    n = {32: 3, 64: 4, 128: 5}[size]
    maps = f << (n - 1)
    g = [nn.Linear(latent, 16 * maps), nn.Unflatten(1, (maps, 4, 4)), nn.BatchNorm2d(maps, momentum=0.1, eps=1e-5), nn.ReLU()]
    for _ in range(1, n):
        g += [nn.ConvTranspose2d(maps, maps // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(maps // 2, momentum=0.1, eps=1e-5), nn.ReLU()]
        maps //= 2
    g += [nn.ConvTranspose2d(maps, channels, 4, 2, 1), nn.Tanh()]
    d, inputs, maps = [], channels, f
    for i in range(n):
        d.append(nn.Conv2d(inputs, maps, 4, 2, 1, bias=(i == 0)))
        if i > 0:
            d.append(nn.BatchNorm2d(maps, momentum=0.1, eps=1e-5))
        d.append(nn.LeakyReLU(0.2))
        inputs, maps = maps, maps * 2
    d += [nn.Flatten(), nn.Linear(16 * inputs, 1)]
    return nn.Sequential(*g), nn.Sequential(*d), nn.BCEWithLogitsLoss()

def mlp():
    pixels = size * size * channels
    g, inputs = [], latent
    for units in (256, 512, 1024):
        # Keras momentum 0.8 is PyTorch momentum 0.2.
        g += [nn.Linear(inputs, units), nn.LeakyReLU(0.2), nn.BatchNorm1d(units, momentum=0.2, eps=1e-3)]
        inputs = units
    g += [nn.Linear(1024, pixels), nn.Tanh(), nn.Unflatten(1, (channels, size, size))]
    d = [nn.Flatten(), nn.Linear(pixels, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Sigmoid()]
    return nn.Sequential(*g), nn.Sequential(*d), nn.BCELoss()

G, D, loss = dcgan() if arch == "dcgan" else mlp()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
real = torch.rand(batch, channels, size, size) * 2 - 1
ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

def step():
    fake = G(torch.randn(batch, latent))
    opt_d.zero_grad(set_to_none=False)
    loss(D(real), ones).backward()
    loss(D(fake.detach()), zeros).backward()
    opt_d.step()
    D.requires_grad_(False)
    opt_g.zero_grad(set_to_none=False)
    loss(D(fake), ones).backward()
    opt_g.step()
    D.requires_grad_(True)

for _ in range(2):
    step()
times = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
print(json.dumps({"arch": arch, "threads": threads, "median_s": statistics.median(times)}))
