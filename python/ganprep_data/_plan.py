"""The order of an epoch: which units a shard reads, and its batches as row indices."""

from __future__ import annotations

from collections import OrderedDict
from typing import Iterator, List, Optional, Tuple

import numpy as np

from ._source import Source


def shard_units(source: Source, epoch: int, shuffle: bool, seed: int, shard: Tuple[int, int]) -> List[int]:
    """The units shard (rank, world) reads in `epoch`: all units in a seeded
    order (the same for every shard), then every world-th from rank on, so the
    shards of one epoch together read each unit exactly once."""
    rank, world = shard
    if world < 1 or not 0 <= rank < world:
        raise ValueError(f"shard=({rank}, {world}): rank must be in 0...world-1 and world at least 1")
    order = np.arange(len(source.units))
    if shuffle:
        np.random.default_rng([seed, epoch]).shuffle(order)
    return [int(u) for u in order[rank::world]]


def plan_batches(source: Source, units: List[int], batch_size: int, shuffle: bool, seed: int, epoch: int,
                 buffer_chunks: int, drop_last: bool) -> List[np.ndarray]:
    """Batches of global row indices: the units are taken `buffer_chunks` at a
    time, their rows (with the rows left over from the group before) permuted,
    and cut into batches; the last partial batch is kept unless `drop_last`."""
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}: must be at least 1")
    if buffer_chunks < 1:
        raise ValueError(f"buffer_chunks={buffer_chunks}: must be at least 1")
    rng = np.random.default_rng([seed, epoch, 1])
    batches: List[np.ndarray] = []
    carry = np.empty(0, dtype=np.int64)
    for g in range(0, len(units), buffer_chunks):
        group = [source.units[u] for u in units[g:g + buffer_chunks]]
        rows = np.concatenate([carry] + [np.arange(u.first, u.first + u.count, dtype=np.int64) for u in group])
        if shuffle:
            rows = rows[rng.permutation(rows.size)]
        full = rows.size // batch_size * batch_size
        batches.extend(np.split(rows[:full], full // batch_size) if full else [])
        carry = rows[full:]
    if carry.size and not drop_last:
        batches.append(carry)
    return batches


class UnitCache:
    """Whole units read from the file, the most recent `capacity` kept."""

    def __init__(self, source: Source, capacity: int):
        self.source = source
        self.capacity = max(1, capacity)
        self.units: "OrderedDict[int, np.ndarray]" = OrderedDict()

    def unit(self, index: int) -> np.ndarray:
        if index in self.units:
            self.units.move_to_end(index)
            return self.units[index]
        images = self.source.read_unit(index)
        self.units[index] = images
        while len(self.units) > self.capacity:
            self.units.popitem(last=False)
        return images

    def gather(self, rows: np.ndarray) -> np.ndarray:
        """Images of global `rows`, in that order, read unit by unit."""
        source = self.source
        out = np.empty((rows.size, source.height, source.width, source.channels), dtype=np.float32)
        which = np.searchsorted(source.unit_firsts, rows, side="right") - 1
        for u in np.unique(which):
            mask = which == u
            images = self.unit(int(u))
            out[mask] = images[rows[mask] - source.units[int(u)].first]
        return out


def iterate(source: Source, batches: List[np.ndarray], buffer_chunks: int) -> Iterator[Tuple[np.ndarray, Optional[np.ndarray]]]:
    cache = UnitCache(source, 2 * buffer_chunks + 1)
    for rows in batches:
        yield cache.gather(rows), source.labels_of(rows)
