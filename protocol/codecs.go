package protocol

// Codec is one entry of the codec table: what the server accepts and
// forwards (it never transcodes) and what the Go client offers, in order of
// preference within each kind. PayloadType is the number the server offers;
// a client may use any.
type Codec struct {
	MimeType    string // e.g. "video/VP8"; compare with strings.EqualFold
	ClockRate   uint32
	Channels    uint16
	Fmtp        string // the a=fmtp parameters, "" for none
	PayloadType uint8
}

const h264Fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id="

// MIME types of the codec table.
const (
	MimeOpus = "audio/opus"
	MimeVP8  = "video/VP8"
	MimeH264 = "video/H264"
	MimeVP9  = "video/VP9"
)

// Codecs returns the codec table of docs/protocol.md: Opus for audio; VP8,
// H.264 (three profiles, packetization-mode 1) and VP9 profile 0 for video.
func Codecs() []Codec {
	return []Codec{
		{MimeType: MimeOpus, ClockRate: 48000, Channels: 2, Fmtp: "minptime=10;useinbandfec=1", PayloadType: 111},
		{MimeType: MimeVP8, ClockRate: 90000, PayloadType: 96},
		{MimeType: MimeH264, ClockRate: 90000, Fmtp: h264Fmtp + "42001f", PayloadType: 102},
		{MimeType: MimeH264, ClockRate: 90000, Fmtp: h264Fmtp + "42e01f", PayloadType: 125},
		{MimeType: MimeH264, ClockRate: 90000, Fmtp: h264Fmtp + "64001f", PayloadType: 112},
		{MimeType: MimeVP9, ClockRate: 90000, Fmtp: "profile-id=0", PayloadType: 98},
	}
}

// VideoFeedback is the RTCP feedback every video codec is offered with
// ("type" or "type parameter"); the publisher connection adds transport-cc.
func VideoFeedback() []string { return []string{"nack", "nack pli", "ccm fir"} }
