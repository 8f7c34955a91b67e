package signaling

import (
	"context"
	"fmt"
	"runtime"
	rtmetrics "runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// BenchmarkUnreadListUsersHeap is the heap scenario of issue 11 point 3:
// ten clients send listUsers(limit 1000) over 1,000 users as fast as their
// sockets take them for 12 s and never read a reply. It reports the peak
// and final live heap of this process (server and clients; sampled every
// 20 ms) and the heap before. Run once:
//
//	go test ./signaling -run '^$' -bench UnreadListUsersHeap -benchtime 1x
func BenchmarkUnreadListUsersHeap(b *testing.B) {
	e := newEnv(b, nil) // default limits: that is what is measured
	uids := make([]string, 1000)
	for i := range uids {
		uids[i] = fmt.Sprintf("u%04d", i)
	}
	e.users(uids...)
	runtime.GC()
	before := heapBytes()
	var peak uint64
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
		var wg sync.WaitGroup
		for i := range 10 {
			ws := e.raw(uids[i])
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ctx.Err() == nil; n++ {
					if ws.Write(ctx, websocket.MessageText, fmt.Appendf(nil, `{"id":"%d","method":"listUsers","params":{"limit":1000}}`, n)) != nil {
						return
					}
				}
			}()
		}
		tick := time.NewTicker(20 * time.Millisecond)
		for ctx.Err() == nil {
			<-tick.C
			peak = max(peak, heapBytes())
		}
		tick.Stop()
		wg.Wait()
		cancel()
	}
	b.ReportMetric(float64(before)/1e6, "heap-before-MB")
	b.ReportMetric(float64(peak)/1e6, "heap-peak-MB")
	b.ReportMetric(float64(heapBytes())/1e6, "heap-end-MB")
}

// heapBytes is the live heap (objects) now.
func heapBytes() uint64 {
	s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	rtmetrics.Read(s)
	return s[0].Value.Uint64()
}
