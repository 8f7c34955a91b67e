package client

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pion/sdp/v3"
)

// What a native (non-browser, non-Pion) client meets on /v1/rtc, mimicked
// with the Go client's test hooks: GStreamer's upper-case codec names,
// werift's transceiver reuse, and the m-line rules of docs/protocol.md.

// recase rewrites the codec names of an SDP's rtpmap lines with f (upper
// case, as GStreamer's webrtcbin writes them, or lower case).
func recase(text string, f func(string) string) string {
	re := regexp.MustCompile(`(a=rtpmap:\d+ )([A-Za-z0-9-]+)/`)
	return re.ReplaceAllStringFunc(text, func(m string) string {
		sub := re.FindStringSubmatch(m)
		return sub[1] + f(sub[2]) + "/"
	})
}

func TestCodecNamesMatchIgnoringCase(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	// alice publishes "OPUS/48000/2" and "VP8/90000" and answers in upper
	// case (GStreamer); bob answers in lower case ("vp8/90000").
	alice := ts.join(t, "alice", "case", MediaOptions{Audio: true, Video: "vp8",
		publishSDP: func(s string) string { return recase(s, strings.ToUpper) },
		answerSDP:  func(s string) string { return recase(s, strings.ToUpper) }})
	bob := ts.join(t, "bob", "case", MediaOptions{Audio: true, Video: "vp8",
		publishSDP: func(s string) string { return recase(s, strings.ToLower) },
		answerSDP:  func(s string) string { return recase(s, strings.ToLower) }})
	pump(t, alice, bob)
	for _, c := range []struct {
		p          *peer
		from, kind string
	}{{alice, "bob", "audio"}, {alice, "bob", "video"}, {bob, "alice", "audio"}, {bob, "alice", "video"}} {
		c.p.receiving(t, c.from, c.kind, 30)
	}
	// trackPublished names the codec in the server's spelling.
	if ev := alice.waitEvent(t, MediaTrackPublished, "bob"); ev.Codec != "audio/opus" && ev.Codec != "video/VP8" {
		t.Errorf("trackPublished codec %q, want the server's spelling", ev.Codec)
	}
	if strings.Contains(ts.logs.String(), "refused") {
		t.Errorf("the server refused something:\n%s", ts.logs)
	}
}

// offerLog records the subscriber offers a peer receives.
type offerLog struct {
	mu     sync.Mutex
	offers []string
}

func (l *offerLog) seen(s string) {
	l.mu.Lock()
	l.offers = append(l.offers, s)
	l.mu.Unlock()
}

func (l *offerLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.offers)
}

// mlineOf is what must never change about an m-line once offered.
func mlineOf(m *sdp.MediaDescription) string {
	var b strings.Builder
	b.WriteString(m.MediaName.Media)
	for _, a := range m.Attributes {
		switch a.Key {
		case "msid", "rtpmap", "sendonly", "recvonly", "sendrecv", "inactive":
			b.WriteString(" | " + a.Key + ":" + a.Value)
		}
	}
	return b.String()
}

func mustParse(t *testing.T, text string) *sdp.SessionDescription {
	t.Helper()
	var d sdp.SessionDescription
	if err := d.UnmarshalString(text); err != nil {
		t.Fatalf("offer does not parse: %v", err)
	}
	return &d
}

func TestSubscriberMLinesNeverChangeRole(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	var log offerLog
	bob := ts.join(t, "bob", "roles", MediaOptions{offerSeen: log.seen})
	alice := ts.join(t, "alice", "roles", MediaOptions{Audio: true, Video: "vp8"})
	pump(t, alice)
	bob.receiving(t, "alice", "video", 10)
	first := []MediaEvent{bob.waitEvent(t, MediaTrackPublished, "alice"), bob.waitEvent(t, MediaTrackPublished, "alice")}

	alice2 := ts.join(t, "alice", "roles", MediaOptions{Audio: true, Video: "vp8"}) // a reload
	pump(t, alice2)
	gone := []MediaEvent{bob.waitEvent(t, MediaTrackUnpublished, "alice"), bob.waitEvent(t, MediaTrackUnpublished, "alice")}
	again := []MediaEvent{bob.waitEvent(t, MediaTrackPublished, "alice"), bob.waitEvent(t, MediaTrackPublished, "alice")}
	carol := ts.join(t, "carol", "roles", MediaOptions{Audio: true})
	pump(t, carol)
	bob.receiving(t, "carol", "audio", 10)
	eventually(t, "bob receives the reloaded alice's video", func() bool {
		tr := bob.remoteFrom("alice", "video")
		return tr != nil && slices.ContainsFunc(again, func(e MediaEvent) bool { return e.Mid == tr.Mid }) && tr.Packets() > 10
	})

	mids := map[string]string{} // mid -> its m-line as first offered
	offers := log.all()
	for i, text := range offers {
		d := mustParse(t, text)
		if app := d.MediaDescriptions[0]; app.MediaName.Media != "application" || midOf(app) != "0" {
			t.Fatalf("offer %d: m-line 0 is %s mid %q, want the data section, mid 0", i, app.MediaName.Media, midOf(app))
		}
		if i == 0 && len(d.MediaDescriptions) != 1 {
			t.Errorf("the first offer has %d m-lines, want only the data section", len(d.MediaDescriptions))
		}
		for j, m := range d.MediaDescriptions[1:] {
			mid := midOf(m)
			if want := fmt.Sprint(j + 1); mid != want {
				t.Errorf("offer %d: m-line %d has mid %q, want %q", i, j+1, mid, want)
			}
			if dir := direction(m); dir != "sendonly" {
				t.Errorf("offer %d: mid %s is %s, want sendonly", i, mid, dir)
			}
			if was, ok := mids[mid]; ok && was != mlineOf(m) {
				t.Errorf("offer %d: mid %s changed\n  from %s\n  to   %s", i, mid, was, mlineOf(m))
			}
			mids[mid] = mlineOf(m)
		}
	}
	// trackPublished names the m-line whose msid is "<uid> <trackId>";
	// the reload's tracks get new m-lines, the old ones are not reused.
	for _, ev := range append(append(first, again...), gone...) {
		line, ok := mids[ev.Mid]
		if !ok || !strings.Contains(line, "msid:alice "+ev.TrackID) {
			t.Errorf("%s %s (mid %q): the offers' m-line is %q", ev.Type, ev.TrackID, ev.Mid, line)
		}
	}
	for _, a := range again {
		if slices.ContainsFunc(first, func(f MediaEvent) bool { return f.Mid == a.Mid || f.TrackID == a.TrackID }) {
			t.Errorf("the reloaded alice's %s reuses mid %s or its track id", a.TrackID, a.Mid)
		}
	}
	// The unpublished tracks ended for bob's client.
	for _, tr := range bob.RemoteTracks() {
		if slices.ContainsFunc(gone, func(g MediaEvent) bool { return g.Mid == tr.Mid }) {
			select {
			case <-tr.Done():
			default:
				t.Errorf("track on mid %s still live after trackUnpublished", tr.Mid)
			}
		}
	}
}

func midOf(m *sdp.MediaDescription) string {
	v, _ := m.Attribute(sdp.AttrKeyMID)
	return v
}

func direction(m *sdp.MediaDescription) string {
	for _, a := range m.Attributes {
		switch a.Key {
		case "sendrecv", "sendonly", "recvonly", "inactive":
			return a.Key
		}
	}
	return "sendrecv"
}

// weriftModel replays how werift 0.24 maps a remote offer's m-lines to its
// transceivers (RTCPeerConnection.setRemoteDescription and
// TransceiverManager.addTransceiver in its sources): an m-line takes a
// transceiver of the same kind whose mid is unset or equal; when none
// matches, a new one is made, and it *replaces* the first transceiver
// whose currentDirection is "inactive", whatever its kind, taking its
// place. After the answer a transceiver's currentDirection is its own
// direction (recvonly) and-ed with the offer's, reversed.
type weriftModel struct {
	mu     sync.Mutex
	ts     []*weriftTransceiver
	reused []string
}

type weriftTransceiver struct{ kind, mid, offered, current string }

func (w *weriftModel) apply(text string) {
	var d sdp.SessionDescription
	if d.UnmarshalString(text) != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range d.MediaDescriptions {
		kind, mid := m.MediaName.Media, midOf(m)
		if kind != "audio" && kind != "video" {
			continue
		}
		i := slices.IndexFunc(w.ts, func(t *weriftTransceiver) bool { return t.kind == kind && (t.mid == "" || t.mid == mid) })
		if i < 0 {
			nt := &weriftTransceiver{kind: kind, mid: mid}
			if j := slices.IndexFunc(w.ts, func(t *weriftTransceiver) bool { return t.current == "inactive" }); j >= 0 {
				w.reused = append(w.reused, fmt.Sprintf("mid %s (%s) took the place of mid %s (%s)", mid, kind, w.ts[j].mid, w.ts[j].kind))
				w.ts[j] = nt
			} else {
				w.ts = append(w.ts, nt)
			}
			i = slices.Index(w.ts, nt)
		}
		w.ts[i].offered = direction(m)
	}
	for _, t := range w.ts { // the answer: recvonly and reverse(offered)
		switch t.offered {
		case "sendonly", "sendrecv":
			t.current = "recvonly"
		default:
			t.current = "inactive"
		}
	}
}

func (w *weriftModel) reuses() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.reused)
}

// The model catches what the issue saw: the old placeholder (m=audio
// recvonly, answered inactive) taken by the first video m-line.
func TestWeriftModelCatchesPlaceholderReuse(t *testing.T) {
	head := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
	audio := func(mid, dir string) string {
		return "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:" + mid + "\r\na=rtpmap:111 opus/48000/2\r\na=" + dir + "\r\n"
	}
	video := "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\na=sendrecv\r\n"
	var w weriftModel
	w.apply(head + audio("0", "recvonly"))
	w.apply(head + audio("0", "sendrecv") + video)
	if len(w.reuses()) != 1 {
		t.Fatalf("model saw %v, want the video m-line taking the placeholder's place", w.reuses())
	}
}

// A subscriber that maps m-lines as werift does gets nothing to reuse:
// tracks come and go (a reload, a participant who leaves, one who joins
// with another kind) and it never meets an inactive transceiver.
func TestWeriftStyleTransceiverReuseNeverTriggered(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	var w weriftModel
	bob := ts.join(t, "bob", "werift", MediaOptions{offerSeen: w.apply})
	alice := ts.join(t, "alice", "werift", MediaOptions{Audio: true})
	pump(t, alice)
	bob.receiving(t, "alice", "audio", 10)
	carol := ts.join(t, "carol", "werift", MediaOptions{Video: "vp8"})
	pump(t, carol)
	bob.receiving(t, "carol", "video", 10)
	ctx := context.Background()
	if err := alice.Leave(ctx); err != nil { // an audio m-line goes dead
		t.Fatal(err)
	}
	bob.waitEvent(t, MediaTrackUnpublished, "alice")
	dave := ts.join(t, "dave", "werift", MediaOptions{Video: "vp8", Audio: true}) // new m-lines of both kinds
	pump(t, dave)
	bob.receiving(t, "dave", "video", 10)
	bob.receiving(t, "dave", "audio", 10)
	carol2 := ts.join(t, "carol", "werift", MediaOptions{Audio: true}) // carol reloads, audio only now
	pump(t, carol2)
	eventually(t, "bob receives the reloaded carol", func() bool {
		tr := bob.remoteFrom("carol", "audio")
		return tr != nil && tr.Packets() > 10
	})
	if r := w.reuses(); len(r) > 0 {
		t.Errorf("a werift-style client would reuse transceivers: %v", r)
	}
}
