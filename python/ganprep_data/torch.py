"""A PyTorch ``IterableDataset`` of whole batches from a ganprep file.

Use it with ``DataLoader(dataset, batch_size=None, num_workers=N)``: each
worker of each distributed rank reads its own share of the file's chunks
(shard ``rank * N + worker`` of ``world * N``), so no image comes twice and
every image comes once per epoch. Call ``set_epoch`` before each epoch for a
new order (as with ``DistributedSampler``).
"""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import torch
import torch.utils.data

from . import Batches


class Dataset(torch.utils.data.IterableDataset):
    """Batches of ``(images, labels)`` tensors: images float32 NCHW (``channels_first``,
    the default) or NHWC, labels int64 (an empty tensor for a file without labels).

    ``shard=(rank, world)`` defaults to torch.distributed's rank and world size when it
    is initialised, else (0, 1).
    """

    def __init__(self, path: str, batch_size: int, shuffle: bool = True, seed: int = 0,
                 shard: Optional[Tuple[int, int]] = None, drop_last: bool = False, buffer_chunks: int = 4,
                 channels_first: bool = True):
        super().__init__()
        self.path = path
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.shard = shard
        self.drop_last = drop_last
        self.buffer_chunks = buffer_chunks
        self.channels_first = channels_first
        self.epoch = 0
        # Checks the file and options in the process that builds the loader.
        Batches(path, batch_size, shuffle, seed, (0, 1), drop_last, buffer_chunks).close()

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def _shard(self) -> Tuple[int, int]:
        if self.shard is not None:
            rank, world = self.shard
        elif torch.distributed.is_available() and torch.distributed.is_initialized():
            rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
        else:
            rank, world = 0, 1
        info = torch.utils.data.get_worker_info()
        if info is None:
            return rank, world
        return rank * info.num_workers + info.id, world * info.num_workers

    def __iter__(self):
        with Batches(self.path, self.batch_size, self.shuffle, self.seed, self._shard(), self.drop_last,
                     self.buffer_chunks, epoch=self.epoch) as batches:
            for images, labels in batches:
                tensor = torch.from_numpy(images)
                if self.channels_first:
                    tensor = tensor.permute(0, 3, 1, 2).contiguous()
                yield tensor, torch.from_numpy(labels if labels is not None else np.empty(0, dtype=np.int64))
