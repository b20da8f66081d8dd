"""The images of a ganprep or GAPCV file as units of whole HDF5 chunks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import h5py
import numpy as np

# Rows per read unit when a dataset is not chunked (contiguous storage).
DEFAULT_UNIT_ROWS = 64


@dataclass(frozen=True)
class Unit:
    """Rows [start, stop) of one HDF5 dataset (one chunk's rows), at `first` in file order."""

    segment: int
    start: int
    stop: int
    first: int

    @property
    def count(self) -> int:
        return self.stop - self.start


class Source:
    """An open dataset file: its image shape, count, labels, and reads of whole units.

    Both of ganprep's layouts are read: ``ganprep`` (``/images`` [N, H, W, C]
    float32 in [-1, 1], ``/labels``, ``/label_names``) and ``gapcv`` (one group
    per class, each with a ``data`` dataset of rows). Values come back as
    float32 in [-1, 1], mapped as ganprep's own reader maps them: integers
    from 0...255, GAPCV floats in [0, 1] or 0...255 probed from the first rows.
    """

    def __init__(self, path: str):
        self.path = path
        self.file = h5py.File(path, "r")
        if "images" in self.file and isinstance(self.file["images"], h5py.Dataset):
            self.layout = "ganprep"
            self._open_ganprep()
        else:
            self.layout = "gapcv"
            self._open_gapcv()
        self.count = sum(self.segment_counts)
        if self.count == 0:
            raise ValueError(f"{path}: the file holds no images")
        self.scale, self.offset = self._value_mapping()
        self.units = self._make_units()
        self.unit_firsts = np.array([u.first for u in self.units], dtype=np.int64)

    # -- layouts ---------------------------------------------------------

    def _open_ganprep(self) -> None:
        images = self.file["images"]
        if images.ndim != 4 or images.shape[3] not in (1, 3):
            raise ValueError(f"{self.path}: /images has shape {images.shape}, expected [N, H, W, 1 or 3]")
        self.segments = [images]
        self.segment_counts = [images.shape[0]]
        self.height, self.width, self.channels = images.shape[1:]
        self.row_shapes = [images.shape[1:]]
        labels = None
        names = None
        if "labels" in self.file and "label_names" in self.file:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in self.file["label_names"][()]]
            labels = np.asarray(self.file["labels"][()], dtype=np.int64)
            if labels.shape != (images.shape[0],):
                raise ValueError(f"{self.path}: /labels has shape {labels.shape}, expected [{images.shape[0]}]")
            if labels.size and (labels.min() < 0 or labels.max() >= len(names)):
                raise ValueError(f"{self.path}: /labels holds values outside the {len(names)} label names")
        self.labels = labels
        self.label_names = names
        order = self.file.attrs.get("channel_order", "rgb")
        self.channel_order = order.decode() if isinstance(order, bytes) else str(order)

    def _open_gapcv(self) -> None:
        found = []
        for name, group in self.file.items():
            if not isinstance(group, h5py.Group) or "data" not in group:
                continue
            data = group["data"]
            stored = data.shape[0]
            declared = data.attrs.get("count")
            label = data.attrs.get("label")
            count = min(int(declared), stored) if declared is not None else stored
            found.append((int(label) if label is not None else len(found), name, data, count))
        if not found:
            raise ValueError(f"{self.path}: not a ganprep or GAPCV dataset (no /images, no group holding data)")
        found.sort(key=lambda entry: (entry[0], entry[1]))
        first = found[0][2]
        row = first.shape[1:]
        if len(row) == 3:
            h, w, c = row
        elif len(row) == 2:
            (h, w), c = row, 1
        elif len(row) == 1:
            c = 1 if int(self.file.attrs.get("color", 1)) == 0 else 3
            shape = self.file.attrs.get("shape")
            if shape is None or len(shape) < 2 or int(shape[0]) * int(shape[1]) * c != row[0]:
                raise ValueError(f"{self.path}: flattened GAPCV rows of {row[0]} values do not match the shape attribute")
            h, w = int(shape[0]), int(shape[1])
        else:
            raise ValueError(f"{self.path}: GAPCV data of shape {first.shape} is not images")
        self.height, self.width, self.channels = int(h), int(w), int(c)
        self.segments = [entry[2] for entry in found]
        self.segment_counts = [entry[3] for entry in found]
        self.row_shapes = [entry[2].shape[1:] for entry in found]
        self.label_names = [entry[1] for entry in found]
        self.labels = np.concatenate([np.full(entry[3], i, dtype=np.int64) for i, entry in enumerate(found)])
        order = self.file.attrs.get("channel_order", "rgb")
        self.channel_order = order.decode() if isinstance(order, bytes) else str(order)

    # -- values and units ------------------------------------------------

    def _value_mapping(self):
        dataset = self.segments[0]
        if np.issubdtype(dataset.dtype, np.integer):
            return np.float32(1 / 127.5), np.float32(-1)
        if self.layout == "ganprep":
            return np.float32(1), np.float32(0)
        probe = np.asarray(dataset[: min(16, self.segment_counts[0])], dtype=np.float32)
        hi = float(probe.max()) if probe.size else 0.0
        lo = float(probe.min()) if probe.size else 0.0
        if hi > 1.5:
            return np.float32(1 / 127.5), np.float32(-1)
        return (np.float32(2), np.float32(-1)) if lo >= 0 else (np.float32(1), np.float32(0))

    @staticmethod
    def _unit_rows(dataset: h5py.Dataset) -> int:
        if dataset.chunks:
            return int(dataset.chunks[0])
        if dataset.is_virtual:
            # A merged file: read in its first part's chunks.
            for source in dataset.virtual_sources():
                try:
                    with h5py.File(source.file_name, "r") as part:
                        chunks = part[source.dset_name].chunks
                        if chunks:
                            return int(chunks[0])
                except OSError:
                    break
        return DEFAULT_UNIT_ROWS

    def _make_units(self) -> List[Unit]:
        units = []
        first = 0
        for index, (dataset, count) in enumerate(zip(self.segments, self.segment_counts)):
            rows = self._unit_rows(dataset)
            for start in range(0, count, rows):
                stop = min(count, start + rows)
                units.append(Unit(index, start, stop, first + start))
            first += count
        return units

    def read_unit(self, index: int) -> np.ndarray:
        """The unit's images as float32 [n, H, W, C] in [-1, 1] (one whole-chunk read)."""
        unit = self.units[index]
        raw = self.segments[unit.segment][unit.start:unit.stop]
        images = np.asarray(raw, dtype=np.float32).reshape(unit.count, self.height, self.width, self.channels)
        if self.scale != 1 or self.offset != 0:
            images = images * self.scale + self.offset
        return images

    def read_unit_into(self, index: int, out: np.ndarray) -> None:
        """Reads the unit's images into `out` (float32 [n, H, W, C], C-contiguous): straight from
        the file when it stores float32 in [-1, 1] (ganprep's layout, through libhdf5's own read:
        h5py's selection layer costs more than the copy at these sizes), else read and mapped."""
        unit = self.units[index]
        dataset = self.segments[unit.segment]
        if dataset.dtype == np.float32 and self.scale == 1 and self.offset == 0:
            shape = (unit.count,) + tuple(self.row_shapes[unit.segment])
            file_space = dataset.id.get_space()
            file_space.select_hyperslab((unit.start,) + (0,) * (len(shape) - 1), shape)
            dataset.id.read(h5py.h5s.create_simple(shape), file_space, out.reshape(shape))
        else:
            out[...] = self.read_unit(index)

    def labels_of(self, rows: np.ndarray) -> Optional[np.ndarray]:
        return None if self.labels is None else self.labels[rows]

    def close(self) -> None:
        self.file.close()
