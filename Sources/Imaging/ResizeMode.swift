/// How an image is fitted to the target size.
public enum ResizeMode: String, Sendable, CaseIterable {
    /// Scale to cover the target, then cut the overflow evenly from both sides.
    case centerCrop = "center-crop"
    /// Scale to fit inside the target, then fill the margins with white.
    case pad
    /// Scale each axis independently (changes the aspect ratio).
    case stretch
}
