"""The order of an epoch: which units a shard reads, and its batches as row indices."""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
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


def groups(source: Source, units: List[int], batch_size: int, shuffle: bool, seed: int, epoch: int,
           buffer_chunks: int, drop_last: bool):
    """The epoch's shuffle buffers, in order: for each, the units read into it,
    its rows (the rows carried from the buffer before, then the units' rows),
    the order its rows are taken in, and how many of them make whole batches
    (the rest are carried). The units are taken `buffer_chunks` at a time (more
    when that many hold fewer than 4 batches); a
    last buffer of no units holds the carried rows, a last partial batch
    unless `drop_last`. The one definition of an epoch's batches: the plan
    and the reading iterate it alike."""
    if batch_size < 1:
        raise ValueError(f"batch_size={batch_size}: must be at least 1")
    if buffer_chunks < 1:
        raise ValueError(f"buffer_chunks={buffer_chunks}: must be at least 1")
    rng = np.random.default_rng([seed, epoch, 1])
    carry = np.empty(0, dtype=np.int64)
    g = 0
    while g < len(units):
        # buffer_chunks chunks, or as many more as hold 4 batches.
        end, held = g, 0
        while end < len(units) and (end - g < buffer_chunks or held < 4 * batch_size):
            held += source.units[units[end]].count
            end += 1
        group = [source.units[u] for u in units[g:end]]
        rows = np.concatenate([carry] + [np.arange(u.first, u.first + u.count, dtype=np.int64) for u in group])
        order = rng.permutation(rows.size) if shuffle else np.arange(rows.size)
        full = rows.size // batch_size * batch_size
        yield units[g:end], rows, order, full, carry.size
        carry = rows[order[full:]]
        g = end
    if carry.size and not drop_last:
        yield [], carry, np.arange(carry.size), carry.size, carry.size


def plan_batches(source: Source, units: List[int], batch_size: int, shuffle: bool, seed: int, epoch: int,
                 buffer_chunks: int, drop_last: bool) -> List[np.ndarray]:
    """Each batch of the epoch as global row indices."""
    batches: List[np.ndarray] = []
    for _, rows, order, full, _ in groups(source, units, batch_size, shuffle, seed, epoch, buffer_chunks, drop_last):
        batches.extend(rows[order[k:k + batch_size]] for k in range(0, full, batch_size))
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


def iterate(source: Source, units: List[int], batch_size: int, shuffle: bool, seed: int, epoch: int,
            buffer_chunks: int, drop_last: bool) -> Iterator[Tuple[np.ndarray, Optional[np.ndarray]]]:
    """The epoch's batches of images and labels: each buffer's units read
    whole into it (behind the rows carried from the buffer before), then each
    batch taken from it in the buffer's order. A thread reads the next buffer
    while the batches of this one are taken (libhdf5's read and NumPy's take
    both run without the GIL)."""
    shape = (source.height, source.width, source.channels)
    plan = list(groups(source, units, batch_size, shuffle, seed, epoch, buffer_chunks, drop_last))
    # Two buffers for the whole epoch, in turn: the one being read and the one being taken from; the
    # rows a buffer leaves over are taken straight to the front of the other.
    largest = max((u.count for u in source.units), default=0)
    capacity = batch_size + max(buffer_chunks * largest, 4 * batch_size + largest)
    storages = [np.empty((capacity,) + shape, dtype=np.float32) for _ in range(2)]

    def read(k: int) -> None:
        group, _, _, _, at = plan[k]
        buffer = storages[k % 2]
        for u in group:
            count = source.units[u].count
            source.read_unit_into(u, buffer[at:at + count])
            at += count

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ganprep-data-read") as reader:
        pending = reader.submit(read, 0) if plan else None
        try:
            for k, (group, rows, order, full, _) in enumerate(plan):
                pending.result()
                buffer = storages[k % 2][:rows.size]
                if not group:
                    yield buffer.copy(), source.labels_of(rows)
                    return
                # The next read fills the other buffer behind the rows this one leaves over, copied in meanwhile.
                pending = reader.submit(read, k + 1) if k + 1 < len(plan) else None
                left = order[full:]
                np.take(buffer, left, axis=0, out=storages[(k + 1) % 2][:left.size], mode="clip")
                for b in range(0, full, batch_size):
                    taken = order[b:b + batch_size]
                    yield np.take(buffer, taken, axis=0), source.labels_of(rows[taken])
        finally:
            if pending is not None:
                pending.result()
