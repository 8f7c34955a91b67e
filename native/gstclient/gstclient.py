#!/usr/bin/python3
"""gstclient: a reference native switchboard client (GStreamer webrtcbin).

Written from docs/protocol.md alone, the way a mobile developer would: it
rings or answers on /v1/ws, joins the call's media session on /v1/rtc,
publishes VP8 + Opus from test sources, receives everyone else's audio and
video, hangs up and reads the call log. See README.md.

It reports what happens as JSON lines on stdout (one object per line, key
"ev") and takes commands as lines on stdin: "hangup", "log", "quit". The
Go tests in web/e2e drive it that way; run by hand it can also hang up by
itself (--auto).

Run it with Debian's /usr/bin/python3 (python3-gi, GStreamer 1.22).
"""

import argparse
import json
import os
import re
import signal
import sys
import time
import urllib.parse

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("Soup", "3.0")
gi.require_version("Nice", "0.1")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC, Nice, Soup  # noqa: E402

# Enum values used in callbacks on GStreamer's threads, looked up once here:
# PyGObject loads attributes lazily, and two threads doing it at once can
# fail with "type object 'PadDirection' has no attribute 'SRC'".
PAD_SRC = Gst.PadDirection.SRC
PROBE_BUFFER = Gst.PadProbeType.BUFFER
PROBE_OK = Gst.PadProbeReturn.OK
GATHERING_COMPLETE = GstWebRTC.WebRTCICEGatheringState.COMPLETE
SDP_OFFER = GstWebRTC.WebRTCSDPType.OFFER
SDP_ANSWER = GstWebRTC.WebRTCSDPType.ANSWER
# and the classes whose objects first show up on those threads
_WARM = (Gst.Caps, Gst.Structure, Gst.Pad, Gst.PadProbeInfo, Gst.Buffer, Gst.Promise, Gst.Message,
         GstWebRTC.WebRTCRTPTransceiver, GstWebRTC.WebRTCPeerConnectionState, GstWebRTC.WebRTCSessionDescription,
         GstWebRTC.WebRTCDataChannel, GstSdp.SDPMessage)


def now_ms():
    """Wall-clock time in unix milliseconds (comparable with the other clients on one machine)."""
    return time.time() * 1000.0


def report(ev, **fields):
    """Writes one JSON line on stdout."""
    fields["ev"] = ev
    fields.setdefault("at", now_ms())
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def log(msg):
    sys.stderr.write("gstclient %.3f: %s\n" % (time.time() % 1000, msg))
    sys.stderr.flush()


DEBUG = bool(os.environ.get("GSTCLIENT_DEBUG"))


def debug(msg):
    if DEBUG:
        log(msg)


# ---------------------------------------------------------------------------
# SDP text helpers. SDP is passed to and from GStreamer as text only: reading
# GstSDPMessage structures from Python can crash.


def sdp_sections(sdp):
    """Splits SDP text into its media sections: a list of dicts with
    kind, mid, msid (stream id, track id) and direction."""
    out = []
    cur = None
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            cur = {"kind": line[2:].split(" ")[0], "mid": None, "msid": None, "direction": "sendrecv"}
            out.append(cur)
        elif cur is None:
            continue
        elif line.startswith("a=mid:"):
            cur["mid"] = line[6:].strip()
        elif line.startswith("a=msid:"):
            parts = line[7:].strip().split(" ")
            cur["msid"] = (parts[0], parts[1] if len(parts) > 1 else "")
        elif line.strip() in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"):
            cur["direction"] = line.strip()[2:]
    return out


def sdp_text(promise, field):
    """The SDP text of a create-offer/create-answer reply. Take it at once, on
    webrtcbin's thread, and work from the text after. Every intermediate
    object must stay referenced while the next is read: a chained
    promise.get_reply().get_value(field).sdp.as_text() crashes (PyGObject
    drops the structure while the description inside it is still in use)."""
    reply = promise.get_reply()
    desc = reply.get_value(field)
    msg = desc.sdp
    text = msg.as_text()
    del msg, desc, reply
    return text


def description(kind, text):
    ok, msg = GstSdp.SDPMessage.new_from_text(text)
    if ok != GstSdp.SDPResult.OK:
        raise ValueError("SDP does not parse")
    return GstWebRTC.WebRTCSessionDescription.new(kind, msg)


# ---------------------------------------------------------------------------
# One JSON WebSocket (the envelope of protocol.md) over libsoup 3.


class Socket:
    """A /v1/ws or /v1/rtc connection: requests with ids, replies matched to
    them, events handed to on_event. Everything runs on the GLib main loop."""

    def __init__(self, session, url, token, name, on_event, on_close):
        self.session = session
        self.url = url
        self.token = token
        self.name = name
        self.on_event = on_event
        self.on_close = on_close
        self.conn = None
        self.next_id = 0
        self.pending = {}  # id -> callback(result, error)
        self.closed = False

    def open(self, on_open):
        msg = Soup.Message.new("GET", self.url)
        # The token in a header, not in the URL (which proxies log).
        msg.get_request_headers().append("Authorization", "Bearer " + self.token)

        def done(session, res):
            try:
                self.conn = session.websocket_connect_finish(res)
            except GLib.Error as e:
                self.closed = True
                self.on_close(self, "connect failed: %s" % e.message)
                return
            self.conn.set_max_incoming_payload_size(1 << 20)
            self.conn.set_keepalive_interval(0)
            self.conn.connect("message", self._message)
            self.conn.connect("closed", self._closed)
            on_open(self)

        self.session.websocket_connect_async(msg, None, None, GLib.PRIORITY_DEFAULT, None, done)

    def request(self, method, params=None, callback=None):
        self.next_id += 1
        rid = "%s%d" % (self.name[0], self.next_id)
        frame = {"id": rid, "method": method}
        if params is not None:
            frame["params"] = params
        self.pending[rid] = callback
        self.conn.send_text(json.dumps(frame))

    def close(self):
        if self.conn is not None and self.conn.get_state() == Soup.WebsocketState.OPEN:
            self.conn.close(1000, None)

    def _message(self, conn, kind, data):
        if kind != Soup.WebsocketDataType.TEXT:
            return
        m = json.loads(data.get_data().decode("utf-8"))
        if "event" in m:
            self.on_event(self, m["event"], m.get("data"))
            return
        cb = self.pending.pop(m.get("id"), None)
        if m.get("error"):
            if cb is None:
                report("error", where=self.name, message="%s: %s" % (m["error"].get("code"), m["error"].get("message")))
                return
        if cb is not None:
            cb(m.get("result"), m.get("error"))

    def _closed(self, conn):
        self.closed = True
        self.on_close(self, "closed %s" % conn.get_close_code())


# ---------------------------------------------------------------------------
# Media: a publisher and a subscriber webrtcbin in one pipeline.


def loopback_only(webrtc):
    """Restricts ICE to UDP on 127.0.0.1, no UPnP (tests on one machine).
    Without it libnice skips the loopback interface. Returns the ICE object:
    keep it referenced for as long as webrtc lives (PyGObject drops one
    reference too many when the wrapper goes, and webrtcbin's agent dies)."""
    ice = webrtc.get_property("ice-agent")
    agent = ice.get_property("agent")
    addr = Nice.Address.new()
    addr.set_from_string("127.0.0.1")
    agent.add_local_address(addr)
    agent.set_property("upnp", False)
    agent.set_property("ice-tcp", False)
    return ice, agent


class Remote:
    """What arrives from one other participant (keyed by the stream id = uid)."""

    def __init__(self, uid):
        self.uid = uid
        self.video_frames = 0  # decoded video frames
        self.audio_packets = 0  # RTP packets of audio
        self.first_frame = None  # unix ms of the first decoded video frame


class Media:
    def __init__(self, client):
        self.client = client
        self.pipe = Gst.Pipeline.new("gstclient")
        self.pub = None
        self.sub = None
        self.pub_wanted = False  # on-negotiation-needed came before we may offer
        self.may_offer = False
        self.offering = False
        self.pub_local_sdp = ""
        self.sub_local_sdp = ""
        self.sub_offer = ""  # the subscriber offer being answered
        self.sub_answered = ""  # the one whose answer the server took last
        self.sub_remote_set = False
        self.pub_remote_set = False
        self.pending_offer = None  # applied, not sent yet (the call still rings)
        self.offer_sent = False
        self.unsent = {"publisher": []}  # our candidates gathered before the offer went
        self.held = {"publisher": [], "subscriber": []}  # candidates before the description
        self.mids = {}  # subscriber mid -> uid (from a=msid of the offer)
        self.remotes = {}  # uid -> Remote
        self.keep = []  # ICE objects, see loopback_only
        bus = self.pipe.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self._bus_error)

    # -- building -----------------------------------------------------------

    def start(self, loopback, width, height, latency_ms):
        """Builds both webrtcbins and the test sources and starts them (the
        'camera preview' before the call is answered)."""
        self.pub = Gst.ElementFactory.make("webrtcbin", "pub")
        self.sub = Gst.ElementFactory.make("webrtcbin", "sub")
        for w in (self.pub, self.sub):
            w.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
            if loopback:
                self.keep.append(loopback_only(w))
            self.pipe.add(w)
        # webrtcbin's jitter buffer holds the first packet of every stream for
        # its whole latency (200 ms by default) before anything is decoded.
        self.sub.set_property("latency", latency_ms)
        self.pub.connect("on-negotiation-needed", self._pub_negotiation_needed)
        self.pub.connect("on-ice-candidate", self._on_candidate, "publisher")
        self.sub.connect("on-ice-candidate", self._on_candidate, "subscriber")
        self.pub.connect("notify::ice-gathering-state", self._gathering, "publisher")
        self.sub.connect("notify::ice-gathering-state", self._gathering, "subscriber")
        self.pub.connect("notify::connection-state", self._connection_state, "publisher")
        self.sub.connect("notify::connection-state", self._connection_state, "subscriber")
        self.sub.connect("pad-added", self._sub_pad_added)
        self.sub.connect("on-data-channel", lambda w, ch: None)

        video = Gst.parse_bin_from_description(
            "videotestsrc is-live=true pattern=ball ! video/x-raw,width=%d,height=%d,framerate=30/1 "
            "! videoconvert ! queue max-size-buffers=2 leaky=downstream "
            "! vp8enc deadline=1 cpu-used=8 target-bitrate=400000 keyframe-max-dist=60 error-resilient=partitions "
            "! rtpvp8pay picture-id-mode=15-bit mtu=1200 "
            "! capsfilter caps=application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000" % (width, height),
            True,
        )
        audio = Gst.parse_bin_from_description(
            "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audioconvert ! audioresample "
            "! opusenc frame-size=20 ! rtpopuspay "
            "! capsfilter caps=application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000",
            True,
        )
        for src in (audio, video):
            self.pipe.add(src)
            src.link(self.pub)
        self.pipe.set_state(Gst.State.PLAYING)

    def stop(self):
        self.pipe.set_state(Gst.State.NULL)

    def _bus_error(self, bus, msg):
        err, dbg = msg.parse_error()
        text = "%s (%s)" % (err.message, dbg)
        # When a call ends the server closes every connection: the SCTP
        # association and the transports fail, sometimes before callEnded
        # has arrived on the sockets. So an error counts only if the call
        # has not ended a second later.
        def later():
            if self.client.hung_up or self.client.ended:
                debug("after the call: %s" % text)
            else:
                report("error", where="gstreamer", message=text)
            return False

        GLib.timeout_add(1000, later)

    # -- publisher ------------------------------------------------------------

    def _pub_negotiation_needed(self, webrtc):
        GLib.idle_add(self._want_offer)

    def _want_offer(self):
        self.pub_wanted = True
        self.offer()
        return False

    def allow_offer(self):
        """The media session is joined: publishOffer may go now."""
        self.may_offer = True
        self._maybe_send_offer()

    def offer(self):
        """Creates and applies the publisher offer as soon as webrtcbin wants
        one, even while the call still rings: it is sent on joined, so the
        accept -> first frame path does not wait for webrtcbin to make it."""
        if not self.pub_wanted or self.offering:
            return
        self.pub_wanted = False
        self.offering = True
        promise = Gst.Promise.new_with_change_func(self._offer_created, None)
        self.pub.emit("create-offer", None, promise)

    def _offer_created(self, promise, _):
        text = sdp_text(promise, "offer")
        GLib.idle_add(self._apply_offer, text)

    def _apply_offer(self, text):
        def applied(promise, _):
            GLib.idle_add(self._offer_applied, text)

        self.pub.emit("set-local-description", description(SDP_OFFER, text),
                      Gst.Promise.new_with_change_func(applied, None))
        return False

    def _offer_applied(self, text):
        self.pub_local_sdp = text
        self.pending_offer = text
        self._maybe_send_offer()
        return False

    def _maybe_send_offer(self):
        if not self.may_offer or self.pending_offer is None:
            return
        text, self.pending_offer = self.pending_offer, None
        debug("publisher offer:\n" + text)
        self.client.rtc.request("publishOffer", {"sdp": text}, self._offer_answered)
        self.offer_sent = True
        queued, self.unsent["publisher"] = self.unsent["publisher"], []
        for cand in queued:  # gathered while the call rang
            self._send_candidate("publisher", cand)

    def _offer_answered(self, result, error):
        self.offering = False
        if error:
            report("error", where="publishOffer", message="%s: %s" % (error.get("code"), error.get("message")))
            return
        debug("publisher answer:\n" + result["sdp"])
        self.pub.emit("set-remote-description", description(SDP_ANSWER, result["sdp"]), Gst.Promise.new())
        self.pub_remote_set = True
        self._flush("publisher")
        report("published")
        self.offer()  # a change that came meanwhile

    # -- subscriber -----------------------------------------------------------

    def on_subscriber_offer(self, sdp):
        if sdp == self.sub_answered:
            # sent again (media.answer_timeout) while our answer was on its way
            debug("subscriber offer sent again, already answered: skipped")
            return
        debug("subscriber offer:\n" + sdp)
        self.sub_offer = sdp
        for s in sdp_sections(sdp):
            if s["mid"] is not None and s["msid"] is not None and s["msid"][0] != "-":
                self.mids.setdefault(s["mid"], s["msid"][0])  # trackPublished named it first
        promise = Gst.Promise.new_with_change_func(self._remote_set, None)
        self.sub.emit("set-remote-description", description(SDP_OFFER, sdp), promise)

    def _remote_set(self, promise, _):
        promise.wait()
        GLib.idle_add(self._create_answer)

    def _create_answer(self):
        self.sub_remote_set = True
        self._flush("subscriber")
        promise = Gst.Promise.new_with_change_func(self._answer_created, None)
        self.sub.emit("create-answer", None, promise)
        return False

    def _answer_created(self, promise, _):
        text = sdp_text(promise, "answer")
        GLib.idle_add(self._send_answer, text)

    def _send_answer(self, text):
        # Send the answer only once webrtcbin has applied it: the server
        # starts forwarding on the new m-lines when it has the answer, and
        # webrtcbin 1.22 stops receiving for good (not-linked) on a packet
        # for an m-line it has not set up yet.
        def applied(promise, _):
            GLib.idle_add(self._answer_applied, text)

        self.sub.emit("set-local-description", description(SDP_ANSWER, text),
                      Gst.Promise.new_with_change_func(applied, None))
        return False

    def _answer_applied(self, text):
        self.sub_local_sdp = text
        debug("subscriber answer:\n" + text)
        self.client.rtc.request("subscriberAnswer", {"sdp": text}, self._answer_done)
        return False

    def _answer_done(self, result, error):
        if error:
            report("error", where="subscriberAnswer", message="%s: %s" % (error.get("code"), error.get("message")))
        else:
            self.sub_answered = self.sub_offer

    def _sub_pad_added(self, webrtc, pad):
        if pad.get_direction() != PAD_SRC:
            return
        mid = pad.get_property("transceiver").get_property("mid")
        caps = pad.get_current_caps()
        kind = caps.get_structure(0).get_string("media") if caps else None
        uid = self.mids.get(mid, "mid:" + str(mid))
        remote = self.remotes.setdefault(uid, Remote(uid))
        report("track", uid=uid, mid=mid, kind=kind)
        if kind == "audio":
            pad.add_probe(PROBE_BUFFER, self._count_audio, remote)
        dec = Gst.ElementFactory.make("decodebin")
        dec.connect("pad-added", self._decoded_pad, remote, kind)
        q = Gst.ElementFactory.make("queue")
        self.pipe.add(q)
        self.pipe.add(dec)
        q.link(dec)
        q.sync_state_with_parent()
        dec.sync_state_with_parent()
        pad.link(q.get_static_pad("sink"))

    def _decoded_pad(self, dec, pad, remote, kind):
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        sink.set_property("async", False)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))
        if kind == "video":
            pad.add_probe(PROBE_BUFFER, self._count_frame, remote)

    def _count_frame(self, pad, info, remote):
        remote.video_frames += 1
        if remote.first_frame is None:
            remote.first_frame = now_ms()
            GLib.idle_add(self.client.on_first_frame, remote)
        return PROBE_OK

    def _count_audio(self, pad, info, remote):
        remote.audio_packets += 1
        return PROBE_OK

    # -- ICE ------------------------------------------------------------------

    def _on_candidate(self, webrtc, mline, candidate, target):
        GLib.idle_add(self._send_candidate, target, {"candidate": candidate, "sdpMLineIndex": mline})

    def _send_candidate(self, target, cand):
        if target == "publisher" and not self.offer_sent:
            self.unsent[target].append(cand)
            return False
        if "sdpMid" not in cand:  # resolved now: the local description is known by the time it goes
            local = self.pub_local_sdp if target == "publisher" else self.sub_local_sdp
            secs = sdp_sections(local)
            idx = cand["sdpMLineIndex"]
            cand["sdpMid"] = secs[idx]["mid"] if idx < len(secs) else None
        self.client.rtc.request("trickle", {"target": target, "candidate": cand})
        return False

    def _gathering(self, webrtc, pspec, target):
        state = webrtc.get_property("ice-gathering-state")
        if state == GATHERING_COMPLETE:
            GLib.idle_add(self._end_of_candidates, target)

    def _end_of_candidates(self, target):
        """Tells the server this connection has no more candidates (candidate "")."""
        debug("%s: gathering complete" % target)
        self._send_candidate(target, {"candidate": "", "sdpMLineIndex": 0})
        return False

    def _connection_state(self, webrtc, pspec, target):
        state = webrtc.get_property("connection-state")
        name = state.value_nick
        GLib.idle_add(lambda: (report("connection", target=target, state=name), False)[1])

    def add_candidate(self, target, cand):
        remote_set = self.sub_remote_set if target == "subscriber" else self.pub_remote_set
        if not remote_set:
            self.held[target].append(cand)
            return
        self._add(target, cand)

    def _flush(self, target):
        held, self.held[target] = self.held[target], []
        for c in held:
            self._add(target, c)

    def _add(self, target, cand):
        # An empty candidate is the end of candidates: webrtcbin takes it as such.
        text = cand.get("candidate") or ""
        webrtc = self.pub if target == "publisher" else self.sub
        webrtc.emit("add-ice-candidate", cand.get("sdpMLineIndex") or 0, text)

    def snapshot(self):
        return {uid: {"videoFrames": r.video_frames, "audioPackets": r.audio_packets} for uid, r in self.remotes.items()}


# ---------------------------------------------------------------------------
# The client: ringing on /v1/ws, the media session on /v1/rtc.


class Client:
    def __init__(self, args, loop):
        self.args = args
        self.loop = loop
        self.http = Soup.Session()
        base = urllib.parse.urlsplit(args.server)
        self.ws_base = ("wss" if base.scheme == "https" else "ws") + "://" + base.netloc
        self.ws = None
        self.rtc = None
        self.media = Media(self)
        self.uid = None
        self.session_id = None
        self.measuring = False
        self.measured = False
        self.hung_up = False
        self.ended = False
        self.quitting = False
        self.exit_code = 0

    def url(self, path):
        return self.ws_base + path

    def start(self):
        # GStreamer's DTLS makes one RSA-2048 certificate per process, on the
        # first DTLS element: about 1.2 s of CPU here. Make it now, before any
        # call, not between the accept and the first frame.
        Gst.ElementFactory.make("dtlsdec")
        self.ws = Socket(self.http, self.url("/v1/ws"), self.args.token, "ws", self.on_ws_event, self.on_socket_closed)
        self.ws.open(lambda s: None)

    def fail(self, message):
        report("error", where="client", message=message)
        self.exit_code = 1
        self.quit()

    def quit(self):
        if self.quitting:
            return
        self.quitting = True
        if self.rtc is not None:
            self.rtc.close()
        if self.ws is not None:
            self.ws.close()
        self.media.stop()
        report("done", code=self.exit_code)
        self.loop.quit()

    # -- /v1/ws -----------------------------------------------------------------

    def on_ws_event(self, sock, event, data):
        handler = {
            "connected": self.on_connected,
            "incomingCall": self.on_incoming,
            "outgoingCallAccepted": self.on_outgoing_accepted,
            "outgoingCallRejected": lambda d: self.fail("call rejected: %s" % d.get("reason")),
            "incomingCallCancelled": lambda d: report("cancelled", reason=d.get("reason")),
            "callEnded": self.on_call_ended,
        }.get(event)
        if handler is not None:
            handler(data)

    def on_call_ended(self, call):
        if call.get("sessionId") == self.session_id:
            self.ended = True
        report("ended", where="ws", reason=call.get("reason"))

    def on_connected(self, data):
        self.uid = data["user"]["uid"]
        report("ready", uid=self.uid)
        if self.args.call or self.args.call_group:
            self.media.start(self.args.loopback, self.args.width, self.args.height, self.args.latency_ms)
            group = bool(self.args.call_group)
            params = {
                "receiverId": self.args.call_group if group else self.args.call,
                "receiverType": "group" if group else "user",
                "callType": "video",
            }
            self.ws.request("initiateCall", params, self.on_initiated)

    def on_initiated(self, call, error):
        if error:
            self.fail("initiateCall: %s: %s" % (error.get("code"), error.get("message")))
            return
        self.session_id = call["sessionId"]
        report("ringing", sessionId=self.session_id)

    def on_outgoing_accepted(self, call):
        if call["sessionId"] != self.session_id:
            return
        report("accepted", sessionId=self.session_id)
        self.join(call["callToken"])

    def on_incoming(self, call):
        if not self.args.answer or self.session_id is not None:
            return
        self.session_id = call["sessionId"]
        report("incoming", sessionId=self.session_id, caller=call["initiator"]["uid"])
        self.media.start(self.args.loopback, self.args.width, self.args.height, self.args.latency_ms)  # the preview while it rings
        GLib.timeout_add(self.args.answer_delay_ms, self.accept)

    def accept(self):
        report("accepted", sessionId=self.session_id)
        self.ws.request("acceptCall", {"sessionId": self.session_id}, self.on_accept_reply)
        return False

    def on_accept_reply(self, result, error):
        if error:
            self.fail("acceptCall: %s: %s" % (error.get("code"), error.get("message")))
            return
        self.join(result["callToken"])

    def hangup(self):
        if self.session_id is None or self.hung_up or self.ended:
            return
        self.hung_up = True
        self.ws.request("endCall", {"sessionId": self.session_id}, self.on_hung_up)

    def on_hung_up(self, call, error):
        if error:
            report("error", where="endCall", message="%s: %s" % (error.get("code"), error.get("message")))
            return
        report("hungUp", status=call.get("status"))
        if self.args.auto:
            self.read_log()

    def read_log(self):
        def got(calls, error):
            if error:
                report("error", where="listCalls", message=error.get("message"))
                return
            mine = [c for c in calls if c["sessionId"] == self.session_id]
            report("log", sessionId=self.session_id, status=mine[0]["status"] if mine else None)
            if self.args.auto:
                self.quit()

        self.ws.request("listCalls", {"limit": 5}, got)

    # -- /v1/rtc ----------------------------------------------------------------

    def join(self, call_token):
        self.rtc = Socket(self.http, self.url("/v1/rtc"), call_token, "rtc", self.on_rtc_event, self.on_socket_closed)
        self.rtc.open(lambda s: None)

    def on_rtc_event(self, sock, event, data):
        m = self.media
        if event == "joined":
            for tr in data.get("tracks") or []:
                if tr.get("mid") is not None:
                    m.mids[tr["mid"]] = tr["uid"]
            report("joined", others=[p["uid"] for p in data.get("participants", [])])
            m.allow_offer()
        elif event == "subscriberOffer":
            m.on_subscriber_offer(data["sdp"])
        elif event == "trickle":
            m.add_candidate(data["target"], data["candidate"])
        elif event == "trackPublished":
            if data.get("mid") is not None:
                m.mids[data["mid"]] = data["uid"]
        elif event == "callEnded":
            report("ended", where="rtc", reason=data.get("reason"))
            self.ended = True
            m.stop()
            if self.args.auto and not self.hung_up:
                self.read_log()
        elif event == "error":
            report("error", where="rtc", message="%s: %s" % (data.get("code"), data.get("message")))

    def on_socket_closed(self, sock, why):
        report("closed", socket=sock.name, why=why)
        if sock is self.ws and not self.quitting:
            self.fail("/v1/ws closed: %s" % why)

    # -- measuring ----------------------------------------------------------------

    def on_first_frame(self, remote):
        report("firstFrame", uid=remote.uid, frameAt=remote.first_frame)
        self.maybe_measure()
        return False

    def maybe_measure(self):
        if self.measuring or self.measured:
            return
        ready = [r for r in self.media.remotes.values() if r.first_frame is not None]
        if len(ready) < self.args.expect:
            return
        self.measuring = True
        base = self.media.snapshot()

        def done():
            end = self.media.snapshot()
            out = {}
            for uid, v in end.items():
                b = base.get(uid, {"videoFrames": 0, "audioPackets": 0})
                out[uid] = {k: v[k] - b[k] for k in v}
            self.measuring, self.measured = False, True
            report("stats", seconds=self.args.measure, remotes=out)
            if self.args.auto:
                GLib.timeout_add(self.args.hangup_delay_ms, lambda: (self.hangup(), False)[1])
            return False

        GLib.timeout_add(int(self.args.measure * 1000), done)

    # -- stdin commands -------------------------------------------------------------

    def on_stdin(self, channel, cond):
        line = channel.readline()
        if not line:  # EOF: whoever started us is gone
            self.quit()
            return False
        cmd = line.strip()
        if cmd == "hangup":
            self.hangup()
        elif cmd == "log":
            self.read_log()
        elif cmd == "quit":
            self.quit()
            return False
        elif cmd:
            report("error", where="stdin", message="unknown command %r" % cmd)
        return True


NEEDED = ["webrtcbin", "nicesrc", "dtlssrtpenc", "srtpenc", "sctpenc", "videotestsrc", "audiotestsrc",
          "vp8enc", "vp8dec", "rtpvp8pay", "opusenc", "opusdec", "rtpopuspay", "decodebin", "fakesink"]


def check():
    """Prints the GStreamer elements this client needs that are missing; exit 0 when none."""
    Gst.init(None)
    missing = [n for n in NEEDED if Gst.ElementFactory.find(n) is None]
    print(json.dumps({"ev": "check", "gstreamer": Gst.version_string(), "missing": missing}))
    sys.exit(1 if missing else 0)


def main():
    if sys.argv[1:] == ["--check"]:
        check()
    p = argparse.ArgumentParser(description="switchboard reference native client (GStreamer webrtcbin)")
    p.add_argument("--server", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"), help="auth token (or env SWITCHBOARD_TOKEN)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--call", metavar="UID", help="ring this user")
    who.add_argument("--call-group", metavar="GUID", help="ring this group")
    who.add_argument("--answer", action="store_true", help="wait for a call and accept it")
    p.add_argument("--answer-delay-ms", type=int, default=0, help="ring this long before accepting")
    p.add_argument("--expect", type=int, default=1, help="remote videos to wait for before measuring")
    p.add_argument("--measure", type=float, default=5.0, help="seconds to count frames and packets")
    p.add_argument("--auto", action="store_true",
                   help="hang up after measuring (unless the other side did first), read the call log, exit")
    p.add_argument("--hangup-delay-ms", type=int, default=1000, help="with --auto: wait this long after measuring")
    p.add_argument("--loopback", action="store_true", help="ICE on 127.0.0.1 only (tests)")
    p.add_argument("--latency-ms", type=int, default=int(os.environ.get("GSTCLIENT_LATENCY_MS", "50")), help="receive jitter buffer (webrtcbin's default is 200)")
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=240)
    p.add_argument("--timeout", type=float, default=120, help="give up after this many seconds")
    args = p.parse_args()
    if not args.token:
        p.error("--token or SWITCHBOARD_TOKEN is required")
    Gst.init(None)
    loop = GLib.MainLoop()
    client = Client(args, loop)

    def crashed(kind, value, tb):
        """A bug in a callback: report it and exit instead of carrying on."""
        import traceback

        traceback.print_exception(kind, value, tb)
        report("error", where="python", message="%s: %s" % (kind.__name__, value))
        client.exit_code = 2
        GLib.idle_add(lambda: (client.quit(), False)[1])

    sys.excepthook = crashed
    stdin = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(stdin, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, client.on_stdin)
    GLib.timeout_add(int(args.timeout * 1000), lambda: (client.fail("timed out after %.0f s" % args.timeout), False)[1])
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: (client.quit(), False)[1])
    client.start()
    loop.run()
    sys.exit(client.exit_code)


if __name__ == "__main__":
    main()
