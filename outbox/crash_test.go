package outbox_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// helperMain runs the child of TestKill9LosesNothing when the test binary
// is started with OUTBOX_CRASH_DB set: it opens the store, enqueues the
// events with a receiver that never answers, says "stored" once they are
// in the store, and waits to be killed.
func helperMain() bool {
	db := os.Getenv("OUTBOX_CRASH_DB")
	if db == "" {
		return false
	}
	n, _ := strconv.Atoi(os.Getenv("OUTBOX_CRASH_EVENTS"))
	st, err := store.Open(context.Background(), store.Config{Path: db}, nil)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	hang := chanFunc(func(ctx context.Context, it store.OutboxItem) error { <-ctx.Done(); return ctx.Err() })
	d, _ := outbox.New(fastConfig(), outbox.Deps{Store: st, Channels: map[string]outbox.Channel{webhook.Channel: hang}})
	cfg := webhookConfig("https://127.0.0.1:1/hook", time.Hour)
	var items []store.OutboxItem
	for i := 1; i <= n; i++ {
		its, _ := cfg.Items(webhook.Event{ID: fmt.Sprint("evt_", i), Type: webhook.CallRinging, SessionID: "call0", Seq: i, Data: []byte(`{}`)}, time.Now())
		items = append(items, its...)
	}
	d.Enqueue(items...)
	for {
		all, _ := st.ListOutbox(context.Background(), store.OutboxQuery{Limit: 100})
		if len(all) == n {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Println("stored")
	select {} // kill -9 comes
}

// TestKill9LosesNothing: events stored in the outbox by a process that is
// killed (SIGKILL) before delivering them are delivered, in order, by the
// next process on the same database.
func TestKill9LosesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sb.db")
	const n = 20
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "OUTBOX_CRASH_DB="+db, "OUTBOX_CRASH_EVENTS="+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	k, _ := out.Read(buf)
	if string(buf[:k]) != "stored\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child said %q", buf[:k])
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()

	rcv, srv := receiver(t)
	cfg := webhookConfig(srv.URL, time.Hour)
	ws, _ := webhook.New(cfg, webhook.Deps{TLS: pushtest.ClientTLS(srv)})
	defer ws.Close()
	st := openStore(t, db)
	start(t, st, map[string]outbox.Channel{webhook.Channel: ws})
	inOrder(t, rcv.WaitEvents(n, 10*time.Second), 1, n)
}
