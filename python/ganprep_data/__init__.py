"""Stream ganprep (and GAPCV) HDF5 image datasets at whole-chunk speed.

``Batches(path, batch_size)`` yields ``(images, labels)``: images float32
[n, H, W, C] in [-1, 1], labels int64 [n] (None for a file without labels),
every image once per epoch, reading whole HDF5 chunks in a seeded shuffled
order through a shuffle buffer, as ``ganprep train --stream`` does.
Adapters: ``ganprep_data.torch.Dataset`` and ``ganprep_data.keras.Sequence``.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

import numpy as np

from ._plan import iterate, plan_batches, shard_units
from ._source import Source

__all__ = ["Batches", "Source"]
__version__ = "0.1.0"


class Batches:
    """Mini-batches of one shard of a dataset file, epoch after epoch.

    Parameters
    ----------
    path: a file written by ``ganprep pack`` (either layout) or ``ganprep merge``.
    batch_size: images per batch (the last one may be smaller unless ``drop_last``).
    shuffle: read the chunks in a seeded random order and permute rows within
        the shuffle buffer; False reads the file in order.
    seed: with the epoch, fixes the order: the same seed gives the same batches.
    shard: (rank, world): this process's share; the shards of one epoch read
        disjoint chunks that together cover the file.
    drop_last: leave out the last batch when it is smaller than ``batch_size``.
    buffer_chunks: chunks whose rows are permuted together (4, as train --stream).
    epoch: the epoch the next iteration yields; it advances by one after each
        full iteration (``set_epoch`` sets it, as DistributedSampler's does).
    """

    def __init__(self, path: str, batch_size: int, shuffle: bool = True, seed: int = 0,
                 shard: Tuple[int, int] = (0, 1), drop_last: bool = False, buffer_chunks: int = 4, epoch: int = 0):
        self.path = path
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.seed = int(seed)
        self.shard = (int(shard[0]), int(shard[1]))
        self.drop_last = bool(drop_last)
        self.buffer_chunks = int(buffer_chunks)
        self.epoch = int(epoch)
        self.source = Source(path)
        self.batches_of(self.epoch)  # checks the options now, not at the first batch

    @property
    def label_names(self) -> Optional[List[str]]:
        return self.source.label_names

    @property
    def image_shape(self) -> Tuple[int, int, int]:
        return (self.source.height, self.source.width, self.source.channels)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def batches_of(self, epoch: int) -> List[np.ndarray]:
        """The row indices of each batch of `epoch` for this shard."""
        units = shard_units(self.source, epoch, self.shuffle, self.seed, self.shard)
        return plan_batches(self.source, units, self.batch_size, self.shuffle, self.seed, epoch,
                            self.buffer_chunks, self.drop_last)

    def __len__(self) -> int:
        return len(self.batches_of(self.epoch))

    def __iter__(self) -> Iterator[Tuple[np.ndarray, Optional[np.ndarray]]]:
        epoch = self.epoch
        units = shard_units(self.source, epoch, self.shuffle, self.seed, self.shard)
        yield from iterate(self.source, units, self.batch_size, self.shuffle, self.seed, epoch, self.buffer_chunks, self.drop_last)
        self.epoch = epoch + 1

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> "Batches":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
