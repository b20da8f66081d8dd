/// The layouts `ganprep export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// StyleGAN2-ADA's and StyleGAN3's `dataset_tool.py` layout: a zip (or a
    /// folder) of `00000/img00000000.png` in groups of 1,000 and `dataset.json`.
    case stylegan
    /// WebDataset tar shards of `KEY.png`, `KEY.json` and `KEY.cls`.
    case webdataset
    /// torchvision's `ImageFolder`: one sub-folder of PNGs per class.
    case folder
}
