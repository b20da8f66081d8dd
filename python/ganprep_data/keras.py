"""A Keras 3 ``PyDataset`` over a ganprep file (any Keras backend).

``Sequence(path, batch_size)`` gives ``images`` batches (float32 NHWC in
[-1, 1]); with ``labels=True``, ``(images, labels)``; with ``target_shape``,
``(images, targets)`` where targets are ``target_value`` in the shape of a
model's output per image (e.g. ``model.output_shape[1:]``): the seed
experiment's fit-style path, targets in the discriminator's output shape.
The order is reshuffled at each epoch's end, seeded.
"""

from __future__ import annotations

from typing import Optional, Sequence as Shape, Tuple

import keras
import numpy as np

from . import Batches
from ._plan import UnitCache


class Sequence(keras.utils.PyDataset):
    def __init__(self, path: str, batch_size: int, shuffle: bool = True, seed: int = 0,
                 shard: Tuple[int, int] = (0, 1), drop_last: bool = False, buffer_chunks: int = 4,
                 labels: bool = False, target_shape: Optional[Shape[int]] = None, target_value: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        if labels and target_shape is not None:
            raise ValueError("labels=True and target_shape: choose one kind of target")
        self.batches = Batches(path, batch_size, shuffle, seed, shard, drop_last, buffer_chunks)
        if labels and self.batches.source.labels is None:
            raise ValueError(f"{path} has no class labels (pack it with --labels description or field:NAME)")
        self.with_labels = labels
        self.target_shape = None if target_shape is None else tuple(int(d) for d in target_shape if d is not None)
        self.target_value = float(target_value)
        self.epoch = 0
        self.plan = self.batches.batches_of(self.epoch)
        self.cache = UnitCache(self.batches.source, 2 * buffer_chunks + 1)

    def __len__(self) -> int:
        return len(self.plan)

    def __getitem__(self, index: int):
        rows = self.plan[index]
        images = self.cache.gather(rows)
        if self.with_labels:
            return images, self.batches.source.labels[rows]
        if self.target_shape is not None:
            return images, np.full((rows.size,) + self.target_shape, self.target_value, dtype=np.float32)
        return images

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self.plan = self.batches.batches_of(self.epoch)
