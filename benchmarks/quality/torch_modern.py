"""The modern recipe in PyTorch (CPU build), as ganprep's `train --recipe
modern --conditional` runs it on a 32x32 dataset, for the quality benchmark.

Same architecture (DCGAN, feature maps F: G = one-hot class beside the noise,
Dense to 4x4x4F, BatchNorm, ReLU, transposed convolutions k4 s2 halving the
maps with BatchNorm and ReLU, the last to C channels with tanh; D =
convolutions k4 s2 from F doubling, BatchNorm after all but the first,
LeakyReLU 0.2, then a projection head: a logit plus the inner product of a
class embedding with the features), same initialisation (N(0, 0.02) weights,
N(1, 0.02) BatchNorm scales), the same defaults: BCE on logits, Adam with
betas 0.5, 0.999 at 8e-4 for G and 2e-4 for D, generator EMA (10 kimg, ramp-up 0.05),
adaptive augmentation (colour and translation as DiffAugment draws them, each
with probability p, p moved every 4 steps toward E[sign(D(real))] = 0.8 by
images/100k), both rates falling linearly to 0 over the last 30% of the
minutes; classes of generated batches in the data's frequencies.
`--loss hinge --spectral-norm --augment-policy color,translation,cutout
--ada-target 0.6 --lr 2e-4 --lr-decay 0` is the recipe with every piece on (spectral norm
on every D weight, one power iteration per pass, no BatchNorm in D). Trains for MINUTES of wall
time, then writes COUNT images from the EMA generator (classes evenly;
BatchNorm statistics of its own, as ganprep's standing statistics) as a
ganprep-layout file (/images float32 NHWC in [-1, 1]).

Usage: torch_modern.py DATASET.h5 MINUTES OUT.h5 [--threads N] [--count N] [--seed N]
       [--lr LR | --lr-g LR --lr-d LR] [--loss bce|hinge] [--[no-]spectral-norm] [--augment ada|none]
       [--augment-policy color,translation,cutout] [--ada-target T] [--ema-kimg K] [--ema-rampup R]
       [--[no-]class-batch-norm] [--adam-betas B1,B2] [--lr-decay F]
`--lr-decay F` lets both rates fall linearly to 0 over the last F of the
minutes (0.3, as ganprep's default does on a time limit; 0: constant).
Prints one JSON line: steps, seconds, steps_per_second, augment_p.
"""
import argparse, copy, json, time

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm


class ClassBatchNorm2d(nn.Module):
    """BatchNorm whose gain and bias are rows of a [classes, maps] table chosen by each image's class
    (ganprep's --class-batch-norm); the statistics are the whole batch's."""

    def __init__(self, classes, maps):
        super().__init__()
        self.norm = nn.BatchNorm2d(maps, momentum=0.1, eps=1e-5, affine=False)
        self.weight = nn.Parameter(torch.ones(classes, maps))
        self.bias = nn.Parameter(torch.zeros(classes, maps))

    def forward(self, x, y):
        return self.norm(x) * self.weight[y][:, :, None, None] + self.bias[y][:, :, None, None]


class Generator(nn.Module):
    def __init__(self, latent, classes, f, channels, class_norm=False):
        super().__init__()
        self.latent, self.classes, self.maps = latent, classes, 4 * f
        self.project = nn.Linear(latent + classes, 16 * 4 * f)
        norm = (lambda m: ClassBatchNorm2d(classes, m)) if class_norm else (lambda m: nn.BatchNorm2d(m, momentum=0.1, eps=1e-5))
        self.class_norm = class_norm
        self.bn0 = norm(4 * f)
        self.deconv1 = nn.ConvTranspose2d(4 * f, 2 * f, 4, 2, 1, bias=False)
        self.bn1 = norm(2 * f)
        self.deconv2 = nn.ConvTranspose2d(2 * f, f, 4, 2, 1, bias=False)
        self.bn2 = norm(f)
        self.deconv3 = nn.ConvTranspose2d(f, channels, 4, 2, 1)

    def forward(self, z, y):
        bn = (lambda m, x: m(x, y)) if self.class_norm else (lambda m, x: m(x))
        x = torch.cat([z, F.one_hot(y, self.classes).float()], 1)
        x = self.project(x).view(-1, 4, 4, self.maps).permute(0, 3, 1, 2)  # ganprep reshapes NHWC
        x = F.relu(bn(self.bn0, x))
        x = F.relu(bn(self.bn1, self.deconv1(x)))
        x = F.relu(bn(self.bn2, self.deconv2(x)))
        return torch.tanh(self.deconv3(x))


class Discriminator(nn.Module):
    def __init__(self, classes, f, channels, spectral):
        super().__init__()
        wrap = spectral_norm if spectral else (lambda m: m)
        self.convs = nn.ModuleList([
            wrap(nn.Conv2d(channels, f, 4, 2, 1, bias=True)),
            wrap(nn.Conv2d(f, 2 * f, 4, 2, 1, bias=False)),
            wrap(nn.Conv2d(2 * f, 4 * f, 4, 2, 1, bias=False)),
        ])
        # BatchNorm after all but the first convolution unless spectral norm (Keras' momentum 0.9 is PyTorch's 0.1).
        self.norms = nn.ModuleList([nn.Identity()] + [nn.Identity() if spectral else nn.BatchNorm2d(m, momentum=0.1, eps=1e-5)
                                                        for m in (2 * f, 4 * f)])
        self.logit = wrap(nn.Linear(16 * 4 * f, 1))
        self.embedding = wrap(nn.Embedding(classes, 16 * 4 * f))

    def forward(self, x, y):
        for conv, norm in zip(self.convs, self.norms):
            x = F.leaky_relu(norm(conv(x)), 0.2)
        h = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # ganprep flattens NHWC
        return self.logit(h) + (self.embedding(y) * h).sum(1, keepdim=True)


def initialise(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            w = m.weight_orig if hasattr(m, "weight_orig") else m.weight
            nn.init.normal_(w, 0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight_orig if hasattr(m, "weight_orig") else m.weight, 0, 0.02)
        elif isinstance(m, (nn.BatchNorm2d, ClassBatchNorm2d)) and m.weight is not None:
            nn.init.normal_(m.weight, 1, 0.02)
            nn.init.zeros_(m.bias)


def augment(x, p, gen, policy=("color", "translation", "cutout")):
    """DiffAugment's colour, translation and cutout (those in policy), each sub-operation kept with probability p (per image)."""
    if "color" in policy:
        x = color(x, p, gen)
    if "translation" in policy:
        x = translation(x, p, gen)
    if "cutout" in policy:
        x = cutout(x, p, gen)
    return x


def keep(b, p, gen):
    return (torch.rand(b, 1, 1, 1, generator=gen) < p).float()


def color(x, p, gen):
    b, c, h, w = x.shape
    x = x + (torch.rand(b, 1, 1, 1, generator=gen) - 0.5) * keep(b, p, gen)
    if c > 1:
        s = 1 + (torch.rand(b, 1, 1, 1, generator=gen) * 2 - 1) * keep(b, p, gen)
        mean = x.mean(1, keepdim=True)
        x = (x - mean) * s + mean
    else:
        torch.rand(b, 2, generator=gen)
    k = 1 + (torch.rand(b, 1, 1, 1, generator=gen) - 0.5) * keep(b, p, gen)
    mean = x.mean([1, 2, 3], keepdim=True)
    return (x - mean) * k + mean


def translation(x, p, gen):
    b, c, h, w = x.shape
    # Translation: output (i, j) reads input (i + r, j + c), zero outside.
    sh, sw = int(h * 0.125 + 0.5), int(w * 0.125 + 0.5)
    tr = torch.randint(-sh, sh + 1, (b,), generator=gen) * keep(b, p, gen).view(b).long()
    tc = torch.randint(-sw, sw + 1, (b,), generator=gen) * keep(b, p, gen).view(b).long()
    rows = (torch.arange(h).view(1, h) + tr.view(b, 1))
    cols = (torch.arange(w).view(1, w) + tc.view(b, 1))
    valid = ((rows >= 0) & (rows < h)).view(b, 1, h, 1) & ((cols >= 0) & (cols < w)).view(b, 1, 1, w)
    rows, cols = rows.clamp(0, h - 1), cols.clamp(0, w - 1)
    idx = torch.arange(b).view(b, 1, 1)
    return x.permute(0, 2, 3, 1)[idx, rows.view(b, h, 1), cols.view(b, 1, w)].permute(0, 3, 1, 2) * valid


def cutout(x, p, gen):
    b, c, h, w = x.shape
    # Cutout: a square half the side zeroed.
    ch, cw = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
    oy = torch.randint(0, h + 1 - ch % 2, (b, 1), generator=gen) - ch // 2
    ox = torch.randint(0, w + 1 - cw % 2, (b, 1), generator=gen) - cw // 2
    kept = keep(b, p, gen)
    inside = ((torch.arange(h).view(1, h) >= oy) & (torch.arange(h).view(1, h) < oy + ch)).view(b, 1, h, 1) \
        & ((torch.arange(w).view(1, w) >= ox) & (torch.arange(w).view(1, w) < ox + cw)).view(b, 1, 1, w)
    return x * (1 - inside.float() * kept)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("minutes", type=float)
    parser.add_argument("out")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--feature-maps", type=int, default=64)
    parser.add_argument("--latent", type=int, default=100)
    parser.add_argument("--lr", type=float, help="both networks' rate (overrides --lr-g and --lr-d)")
    parser.add_argument("--lr-g", type=float, default=8e-4)
    parser.add_argument("--lr-d", type=float, default=2e-4)
    parser.add_argument("--loss", choices=["bce", "hinge"], default="bce")
    parser.add_argument("--spectral-norm", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--augment", choices=["ada", "none"], default="ada")
    parser.add_argument("--augment-policy", default="color,translation")
    parser.add_argument("--ada-target", type=float, default=0.8)
    parser.add_argument("--ema-kimg", type=float, default=10)
    parser.add_argument("--ema-rampup", type=float, default=0.05)
    parser.add_argument("--class-batch-norm", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--adam-betas", default="0.5,0.999")
    parser.add_argument("--lr-decay", type=float, default=0.3)
    a = parser.parse_args()
    betas = tuple(float(b) for b in a.adam_betas.split(","))
    if a.lr is not None:
        a.lr_g = a.lr_d = a.lr
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed + 1)
    with h5py.File(a.dataset, "r") as f:
        images = torch.from_numpy(f["images"][:]).permute(0, 3, 1, 2).contiguous()
        labels = torch.from_numpy(f["labels"][:].astype(np.int64))
        classes = len(f["label_names"])
    n, channels = images.shape[0], images.shape[1]
    frequencies = torch.bincount(labels, minlength=classes).float()
    g = Generator(a.latent, classes, a.feature_maps, channels, a.class_batch_norm)
    d = Discriminator(classes, a.feature_maps, channels, a.spectral_norm)
    initialise(g)
    initialise(d)
    g_ema = copy.deepcopy(g).eval().requires_grad_(False)
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr_g, betas=betas)
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr_d, betas=betas)
    if a.augment == "none":
        augment_ = lambda x, p, gen: x
    else:
        policy = a.augment_policy.split(",")
        augment_ = lambda x, p, gen: augment(x, p, gen, policy)
    p, signs, outputs, steps, images_seen = 0.0, 0.0, 0.0, 0, 0
    start = time.monotonic()
    order, at = torch.randperm(n, generator=gen), 0
    while time.monotonic() - start < a.minutes * 60:
        if at + a.batch > n:
            order, at = torch.randperm(n, generator=gen), 0
        rows = order[at:at + a.batch]
        at += a.batch
        real, real_y = images[rows], labels[rows]
        b = real.shape[0]
        z = torch.randn(b, a.latent)
        fake_y = torch.multinomial(frequencies, b, replacement=True, generator=gen)
        fake = g(z, fake_y)
        real_out = d(augment_(real, p, gen), real_y)
        fake_out = d(augment_(fake.detach(), p, gen), fake_y)
        if a.loss == "hinge":
            loss_d = F.relu(1 - real_out).mean() + F.relu(1 + fake_out).mean()
        else:
            loss_d = F.binary_cross_entropy_with_logits(real_out, torch.ones_like(real_out)) \
                + F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        scored = d(augment_(fake, p, gen), fake_y)
        loss_g = -scored.mean() if a.loss == "hinge" else F.binary_cross_entropy_with_logits(scored, torch.ones_like(scored))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        # EMA: half-life --ema-kimg, ramped up to --ema-rampup of the images seen; buffers averaged too, as ganprep does.
        half_life = min(a.ema_kimg * 1000, images_seen * a.ema_rampup)
        beta = 0.5 ** (b / half_life) if half_life > 0 else 0.0
        with torch.no_grad():
            for pe, pl in zip(list(g_ema.parameters()) + list(g_ema.buffers()), list(g.parameters()) + list(g.buffers())):
                if pe.dtype.is_floating_point:
                    pe.copy_(pl.lerp(pe, beta))
                else:
                    pe.copy_(pl)
        images_seen += b
        signs += torch.sign(real_out.detach()).sum().item()
        outputs += real_out.numel()
        steps += 1
        if a.lr_decay > 0:
            scale = min(1.0, max(0.0, (1 - (time.monotonic() - start) / (a.minutes * 60)) / a.lr_decay))
            for opt, lr in ((opt_g, a.lr_g), (opt_d, a.lr_d)):
                for group in opt.param_groups:
                    group["lr"] = lr * scale
        if steps % 4 == 0 and a.augment == "ada":
            signal = signs / outputs
            p = min(1.0, max(0.0, p + np.sign(signal - a.ada_target) * (4 * b) / 100_000))
            signs, outputs = 0.0, 0.0
    seconds = time.monotonic() - start
    standing_statistics(g_ema, a.latent, classes)
    with torch.no_grad():
        z = torch.randn(a.count, a.latent, generator=gen)
        y = torch.arange(a.count) % classes
        samples = torch.cat([g_ema(z[i:i + 250], y[i:i + 250]) for i in range(0, a.count, 250)])
    with h5py.File(a.out, "w") as f:
        f.create_dataset("images", data=samples.permute(0, 2, 3, 1).contiguous().numpy().astype(np.float32))
    print(json.dumps({"steps": steps, "seconds": seconds, "steps_per_second": steps / seconds, "augment_p": p}))


def standing_statistics(g, latent, classes, batches=8, size=128):
    """BatchNorm statistics of the averaged weights themselves, as ganprep's
    StandingStatistics: the mean batch statistics of 8 batches of 128 (classes
    in turn)."""
    norms = [m for m in g.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average of the batches' statistics
    g.train()
    with torch.no_grad():
        gen = torch.Generator().manual_seed(0x5EED57A7)
        for b in range(batches):
            z = torch.randn(size, latent, generator=gen)
            y = (torch.arange(size) + b * size) % classes
            g(z, y)
    g.eval()


if __name__ == "__main__":
    main()
