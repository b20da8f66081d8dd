"""PyTorch's side of the eval benchmark: the identical classifier trunk
(four 3x3 conv + BatchNorm + ReLU blocks of 32, 64, 128, 128 maps, the last
three with stride 2, padding 1; global average pooling; Linear 128 + ReLU),
forward in inference mode on a batch. Prints one JSON line.
Usage: torch_features.py SIZE CHANNELS BATCH THREADS ROUNDS
"""
import json, sys, time
import torch
from torch import nn

size, channels, batch, threads, rounds = map(int, sys.argv[1:])
torch.set_num_threads(threads)
layers, inputs = [], channels
for maps, stride in [(32, 1), (64, 2), (128, 2), (128, 2)]:
    layers += [nn.Conv2d(inputs, maps, 3, stride, 1, bias=False), nn.BatchNorm2d(maps), nn.ReLU()]
    inputs = maps
model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(inputs, 128), nn.ReLU()).eval()
x = torch.rand(batch, channels, size, size) * 2 - 1
times = []
with torch.inference_mode():
    for _ in range(2):
        model(x)
    for _ in range(rounds):
        start = time.perf_counter()
        model(x)
        times.append(time.perf_counter() - start)
times.sort()
median = times[len(times) // 2]
print(json.dumps({"median_s": median, "features_per_s": batch / median}))
