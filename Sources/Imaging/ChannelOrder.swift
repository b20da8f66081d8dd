/// Channel order of colour output.
public enum ChannelOrder: String, Sendable, CaseIterable {
    case rgb, bgr
}
