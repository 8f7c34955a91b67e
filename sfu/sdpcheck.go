package sfu

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// The checks below run before a description or candidate reaches Pion, so
// that a refusal names the line and the reason (Pion's own errors rarely
// do) and leaves the PeerConnection untouched for a corrected retry. Tokens
// are compared as their RFCs say: media types and codec names ignoring case
// (RFC 6838, RFC 4855), fmtp parameter names ignoring case; SDP line types
// and attribute names exactly (RFC 8866).

// parseSDP parses a description, refusing one that is empty or malformed.
func parseSDP(text string) (*sdp.SessionDescription, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%w: empty", ErrBadSDP)
	}
	var d sdp.SessionDescription
	if err := d.UnmarshalString(text); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSDP, err)
	}
	return &d, nil
}

// countMedia counts media sections without parsing (cheap, before the limit
// check; lines that end with a lone CR escape it, so what parses is counted
// again).
func countMedia(text string) int {
	n := strings.Count(text, "\nm=")
	if strings.HasPrefix(text, "m=") {
		n++
	}
	return n
}

// mline names a media section in messages: "m-line 2 (mid 1, video)".
func mline(i int, m *sdp.MediaDescription) string {
	mid, _ := m.Attribute(sdp.AttrKeyMID)
	return fmt.Sprintf("m-line %d (mid %q, %s)", i, mid, m.MediaName.Media)
}

// direction is a media section's direction attribute (sendrecv when absent).
func direction(m *sdp.MediaDescription) string {
	for _, a := range m.Attributes {
		switch a.Key {
		case "sendrecv", "sendonly", "recvonly", "inactive":
			return a.Key
		}
	}
	return "sendrecv"
}

// rtpCodec is one a=rtpmap of a media section.
type rtpCodec struct {
	pt    string // payload type, as written
	name  string // e.g. "OPUS/48000/2", as written
	mime  string // kind + "/" + encoding name, as written
	clock uint32
}

func rtpCodecs(m *sdp.MediaDescription) []rtpCodec {
	var out []rtpCodec
	for _, a := range m.Attributes {
		if a.Key != "rtpmap" {
			continue
		}
		pt, enc, ok := strings.Cut(a.Value, " ")
		if !ok {
			continue
		}
		parts := strings.Split(enc, "/")
		c := rtpCodec{pt: pt, name: enc, mime: m.MediaName.Media + "/" + parts[0]}
		if len(parts) > 1 {
			if v, err := strconv.ParseUint(parts[1], 10, 32); err == nil {
				c.clock = uint32(v)
			}
		}
		out = append(out, c)
	}
	return out
}

func names(cs []rtpCodec) string {
	if len(cs) == 0 {
		return "none"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.name
	}
	return strings.Join(s, ", ")
}

// accepts reports whether one of cs is a codec of table (same media type
// ignoring case, same clock rate).
func accepts(table []webrtc.RTPCodecParameters, cs []rtpCodec) bool {
	for _, c := range cs {
		for _, k := range table {
			if strings.EqualFold(k.MimeType, c.mime) && k.ClockRate == c.clock {
				return true
			}
		}
	}
	return false
}

// sectionsPerTrack bounds a publisher offer's media sections in all at
// this many per track it may send: a section never leaves a connection, so
// one whose sending stopped (port 0, inactive, recvonly) stays in every
// later offer, and a native client that adds a transceiver for each new
// screen share (addTrack after removeTrack never reuses one) piles them up.
// With the default 4 tracks: 32 sections, 30 shares after audio and video.
const sectionsPerTrack = 8

// maxSections is the most media sections a publisher offer may have.
func maxSections(maxTracks int) int { return maxTracks * sectionsPerTrack }

// sending reports whether a publisher offer's media section can carry
// media to the server: audio or video, not stopped (port 0), sendrecv or
// sendonly.
func sending(m *sdp.MediaDescription) bool {
	kind := m.MediaName.Media
	if (kind != "audio" && kind != "video") || m.MediaName.Port.Value == 0 {
		return false
	}
	dir := direction(m)
	return dir == "sendrecv" || dir == "sendonly"
}

// checkPublishOffer refuses an offer with more sending media sections than
// tracks allowed (maxTracks) or more sections in all than sectionsPerTrack
// times that, or a sending section the server could not receive from (no
// common codec). It returns the offer to give Pion: each sending audio or
// video section trimmed to the codecs the server receives (trimCodecs),
// and the rids each sending section declares, by mid: the simulcast layers
// its publisher will send (sendRIDs).
func (e *engine) checkPublishOffer(text string, maxTracks int) (string, map[string][]string, error) {
	if n := countMedia(text); n > maxSections(maxTracks) {
		return "", nil, fmt.Errorf("%w: %d media sections, at most %d in all", ErrTooManyMedia, n, maxSections(maxTracks))
	}
	d, err := parseSDP(text)
	if err != nil {
		return "", nil, err
	}
	// Counted again as parsed: the count above is by "\nm=", and lines
	// may end with a lone CR (FuzzSubscriberAnswer found it).
	if n := len(d.MediaDescriptions); n > maxSections(maxTracks) {
		return "", nil, fmt.Errorf("%w: %d media sections, at most %d in all", ErrTooManyMedia, n, maxSections(maxTracks))
	}
	var send int
	for _, m := range d.MediaDescriptions {
		if sending(m) {
			send++
		}
	}
	if send > maxTracks {
		return "", nil, fmt.Errorf("%w: %d media sections send, at most %d may (a stopped, inactive or recvonly one does not count)", ErrTooManyMedia, send, maxTracks)
	}
	trimmed := false
	var rids map[string][]string
	for i, m := range d.MediaDescriptions {
		if !sending(m) {
			continue
		}
		cs := rtpCodecs(m)
		if !accepts(e.codecs, cs) {
			return "", nil, fmt.Errorf("%w: %s offers %s; the server receives %s", ErrBadSDP, mline(i, m), names(cs), e.codecList(m.MediaName.Media))
		}
		trimmed = e.trimCodecs(m, cs) || trimmed
		if r := sendRIDs(m); len(r) > 0 {
			if rids == nil {
				rids = map[string][]string{}
			}
			mid, _ := m.Attribute(sdp.AttrKeyMID)
			rids[mid] = r
		}
	}
	if !trimmed {
		return text, rids, nil
	}
	out, err := d.Marshal()
	if err != nil {
		return text, rids, nil //nolint:nilerr // what parsed marshals; if not, Pion gets it as sent
	}
	return string(out), rids, nil
}

// sendRIDs are the rids a media section declares it sends (RFC 8851:
// "a=rid:<id> send ..."), in the order given.
func sendRIDs(m *sdp.MediaDescription) []string {
	var rids []string
	for _, a := range m.Attributes {
		if a.Key != "rid" {
			continue
		}
		if f := strings.Fields(a.Value); len(f) >= 2 && f[1] == "send" && !slices.Contains(rids, f[0]) {
			rids = append(rids, f[0])
		}
	}
	return rids
}

// trimCodecs drops from m (whose codecs are cs) the payload types of codecs
// the server does not receive (their rtpmap, fmtp and rtcp-fb lines too), and reports whether
// it dropped any. Pion would not negotiate them, but matches every payload
// type of an offer against its table, rebuilding the section's codec map
// for each: Chromium offers 23 video payload types, and the server's
// answer to its publisher offer took 3.5 ms of CPU, half of it there
// (BenchmarkAnswerChromiumOffer). The answer is the same.
func (e *engine) trimCodecs(m *sdp.MediaDescription, cs []rtpCodec) bool {
	keep := map[string]bool{}
	for _, c := range cs {
		if accepts(e.codecs, []rtpCodec{c}) {
			keep[c.pt] = true
		}
	}
	formats := m.MediaName.Formats[:0:0]
	for _, f := range m.MediaName.Formats {
		if keep[f] {
			formats = append(formats, f)
		}
	}
	if len(formats) == len(m.MediaName.Formats) || len(formats) == 0 {
		return false
	}
	m.MediaName.Formats = formats
	attrs := m.Attributes[:0:0]
	for _, a := range m.Attributes {
		switch a.Key {
		case "rtpmap", "fmtp", "rtcp-fb":
			if pt, _, _ := strings.Cut(a.Value, " "); pt != "*" && !keep[pt] {
				continue
			}
		}
		attrs = append(attrs, a)
	}
	m.Attributes = attrs
	return true
}

// codecList names the server's codecs of a kind, for messages.
func (e *engine) codecList(kind string) string {
	var s []string
	for _, c := range e.codecs {
		if k, name, _ := strings.Cut(c.MimeType, "/"); k == kind && !containsFold(s, name) {
			s = append(s, name)
		}
	}
	return strings.Join(s, ", ")
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// checkSubscriberAnswer refuses an answer that does not match the offer it
// answers: one media section per offered one, same kinds and mids, the data
// section accepted, and for every forwarded track a codec of those offered,
// received (recvonly).
func checkSubscriberAnswer(answer, offer string) error {
	a, err := parseSDP(answer)
	if err != nil {
		return err
	}
	o, err := parseSDP(offer)
	if err != nil {
		return fmt.Errorf("sfu: own offer does not parse: %w", err)
	}
	if len(a.MediaDescriptions) != len(o.MediaDescriptions) {
		return fmt.Errorf("%w: %d media sections, the offer has %d", ErrBadSDP, len(a.MediaDescriptions), len(o.MediaDescriptions))
	}
	for i, am := range a.MediaDescriptions {
		om := o.MediaDescriptions[i]
		amid, _ := am.Attribute(sdp.AttrKeyMID)
		omid, _ := om.Attribute(sdp.AttrKeyMID)
		if am.MediaName.Media != om.MediaName.Media || amid != omid {
			return fmt.Errorf("%w: %s answers the offer's %s", ErrBadSDP, mline(i, am), mline(i, om))
		}
		if om.MediaName.Media == "application" && om.MediaName.Port.Value != 0 && am.MediaName.Port.Value == 0 {
			return fmt.Errorf("%w: %s is rejected (port 0); accept the data section (port 9): it carries the connection's transport", ErrBadSDP, mline(i, am))
		}
		if om.MediaName.Media == "application" || direction(om) != "sendonly" {
			continue
		}
		if am.MediaName.Port.Value == 0 {
			return fmt.Errorf("%w: %s is rejected (port 0); every forwarded track must be received", ErrBadSDP, mline(i, am))
		}
		if dir := direction(am); dir != "recvonly" {
			return fmt.Errorf("%w: %s is %s; answer a sendonly m-line with recvonly (to stop receiving a track, pause it with trackSettings)", ErrBadSDP, mline(i, am), dir)
		}
		offered, answered := rtpCodecs(om), rtpCodecs(am)
		if !common(offered, answered) {
			return fmt.Errorf("%w: %s answers codec %s; the offer has %s", ErrBadSDP, mline(i, am), names(answered), names(offered))
		}
	}
	return nil
}

// common reports whether a codec is in both lists (media type ignoring case, clock rate).
func common(x, y []rtpCodec) bool {
	for _, a := range x {
		for _, b := range y {
			if strings.EqualFold(a.mime, b.mime) && a.clock == b.clock {
				return true
			}
		}
	}
	return false
}

// checkCandidate refuses a candidate line that does not parse, or whose
// ufrag (usernameFragment, or the line's "ufrag" extension) names another
// ICE session than remote (nil: no remote description yet, not checked).
// An empty candidate is the end of candidates and always accepted.
func checkCandidate(c webrtc.ICECandidateInit, remote *sdp.SessionDescription) error {
	line := strings.TrimPrefix(c.Candidate, "candidate:")
	if line == "" {
		return nil
	}
	cand, err := ice.UnmarshalCandidate(line)
	switch {
	case errors.Is(err, ice.ErrUnknownCandidateTyp), errors.Is(err, ice.ErrDetermineNetworkType):
		return nil // Pion skips these (another stack's extension); not an error
	case err != nil:
		return fmt.Errorf("%w: candidate %q: %v", ErrBadCandidate, c.Candidate, err)
	}
	if remote == nil {
		return nil
	}
	ufrag := ""
	if c.UsernameFragment != nil {
		ufrag = *c.UsernameFragment
	}
	if ext, ok := cand.GetExtension("ufrag"); ok && ufrag == "" {
		ufrag = ext.Value
	}
	if ufrag != "" && !hasUfrag(remote, ufrag) {
		return fmt.Errorf("%w: candidate %q: ufrag %q is not the one of this connection's remote description", ErrBadCandidate, c.Candidate, ufrag)
	}
	return nil
}

// hasUfrag reports whether a description announces ufrag (session or media level).
func hasUfrag(d *sdp.SessionDescription, ufrag string) bool {
	if v, ok := d.Attribute("ice-ufrag"); ok && v == ufrag {
		return true
	}
	for _, m := range d.MediaDescriptions {
		if v, ok := m.Attribute("ice-ufrag"); ok && v == ufrag {
			return true
		}
	}
	return false
}
