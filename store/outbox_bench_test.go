package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkOutboxFlow is the store's share of a ringing flow with pushes
// and webhooks on (switchboard bench --ringing-push): per flow the call is
// saved twice (ongoing, ended) and 9 outbox items are stored (7 webhook
// events of ~900 bytes, 2 pushes of ~500 bytes) and marked delivered, in
// batches of 16 flows. "apart": calls and items in two transactions per
// batch (the outbox's own writer beside the call writer); "together": one
// (SaveCallsOutbox: the call writer stores the outbox's items); "v4": push
// event ids from random UUIDs instead of time-ordered ones (version 7).
// Outcomes are recorded every 4 batches (the recorder's linger). Reported
// per flow.
func BenchmarkOutboxFlow(b *testing.B) {
	b.Run("apart-v4", func(b *testing.B) { benchOutboxFlow(b, false, false) })
	b.Run("apart", func(b *testing.B) { benchOutboxFlow(b, false, true) })
	b.Run("together", func(b *testing.B) { benchOutboxFlow(b, true, true) })
}

func benchOutboxFlow(b *testing.B, together, ordered bool) {
	const batch = 16
	ctx := context.Background()
	s := benchStore(b)
	hook := bytes.Repeat([]byte("x"), 900)
	pushBody := bytes.Repeat([]byte("p"), 500)
	var prev []Call
	var done []OutboxResult
	n, rounds := 0, 0
	cpu0 := cpuTime()
	w0, c0 := procWrites()
	for b.Loop() {
		var calls, cur []Call
		var items []OutboxItem
		for _, c := range prev {
			c.Status, c.EndedAt, c.EndReason = CallEnded, c.JoinedAt.Add(time.Second), "ended"
			calls = append(calls, c)
		}
		for range batch {
			sid := fmt.Sprintf("s%09d", n)
			c := oneToOne(sid, fmt.Sprintf("u%03d", n%200), fmt.Sprintf("u%03d", 200+n%200), n/1000)
			c.Status, c.JoinedAt = CallOngoing, c.InitiatedAt.Add(time.Second)
			cur = append(cur, c)
			for seq := 1; seq <= 7; seq++ {
				items = append(items, benchItem(fmt.Sprintf("evt_%s_%d", sid, seq), "webhook", "app", hook))
			}
			for range 2 {
				items = append(items, benchItem("push_"+benchUUID(ordered), "push", "u/phone", pushBody))
			}
			n++
		}
		calls = append(calls, cur...)
		var stored []OutboxItem
		var err error
		if together {
			stored, err = s.SaveCallsOutbox(ctx, calls, items)
		} else if err = s.SaveCalls(ctx, calls); err == nil {
			stored, err = s.EnqueueOutbox(ctx, items)
		}
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range stored {
			done = append(done, OutboxResult{ID: it.ID, State: OutboxDelivered, At: time.Now()})
		}
		if rounds++; rounds%4 == 0 {
			if err := s.FinishOutbox(ctx, done); err != nil {
				b.Fatal(err)
			}
			done = done[:0]
		}
		prev = cur
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "us/flow")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n), "cpu-us/flow")
	if w1, c1 := procWrites(); w1 > 0 { // the steady figures: bytes and write calls the store made
		b.ReportMetric(float64(w1-w0)/1024/float64(n), "KiB-written/flow")
		b.ReportMetric(float64(c1-c0)/float64(n), "writes/flow")
	}
}

// procWrites returns the bytes this process passed to write calls and how
// many calls it made (Linux /proc/self/io: wchar, syscw; 0 elsewhere).
func procWrites() (bytes, calls int64) {
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "wchar":
			bytes = n
		case "syscw":
			calls = n
		}
	}
	return bytes, calls
}

func benchItem(id, channel, target string, payload []byte) OutboxItem {
	return OutboxItem{EventID: id, Channel: channel, Target: target, OrderKey: channel + "/" + target,
		Payload: payload, Deadline: time.Now().Add(time.Hour)}
}

// benchUUID is a random UUID, led by the time in milliseconds if ordered.
func benchUUID(ordered bool) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	if ordered {
		binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16|uint64(b[6])<<8|uint64(b[7]))
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
