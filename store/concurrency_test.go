package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentSaveAndList runs writers and readers at once (run with
// -race). Every save must land, every read must see whole calls (a call and
// all of its participants, never half of a SaveCall), and no call may fail
// with "database is locked".
func TestConcurrentSaveAndList(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const writers, callsEach, readers = 4, 15, 4

	var wg sync.WaitGroup
	errs := make(chan error, writers*callsEach+readers*callsEach)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range callsEach {
				c := oneToOne(fmt.Sprintf("w%d-%02d", w, i), "ann", fmt.Sprintf("peer%d", w), i)
				c.Participants = append(c.Participants, Participant{UID: "obs", Status: "initiated"})
				if err := s.SaveCall(ctx, c); err != nil {
					errs <- err
					return
				}
				c.Status = CallOngoing // update in place: participants replaced
				if err := s.SaveCall(ctx, c); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range callsEach {
				calls, err := s.ListCalls(ctx, CallQuery{UID: "ann", Limit: 100})
				if err != nil {
					errs <- err
					return
				}
				for _, c := range calls {
					if len(c.Participants) != 3 {
						errs <- fmt.Errorf("call %s read with %d participants, want 3", c.SessionID, len(c.Participants))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Every save landed, in its final state.
	for w := range writers {
		got, err := s.ListCalls(ctx, CallQuery{UID: fmt.Sprintf("peer%d", w), Limit: 100})
		if err != nil || len(got) != callsEach {
			t.Fatalf("peer%d has %d calls (%v), want %d", w, len(got), err, callsEach)
		}
		for _, c := range got {
			if c.Status != CallOngoing || len(c.Participants) != 3 {
				t.Fatalf("call %s = %s with %d participants, want ongoing with 3", c.SessionID, c.Status, len(c.Participants))
			}
		}
	}
}

// TestConcurrentAddMembers adds overlapping members from many goroutines.
func TestConcurrentAddMembers(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	var uids []string
	for i := range 20 {
		uids = append(uids, fmt.Sprintf("u%02d", i))
	}
	mustCreateUsers(t, s, uids...)
	if _, err := s.CreateGroup(ctx, Group{GUID: "g", Name: "G"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.AddMembers(ctx, "g", uids[i:i+10])
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if g, _ := s.GetGroup(ctx, "g"); g.Members != 19 {
		t.Fatalf("group has %d members, want 19 (u00..u18)", g.Members)
	}
}
