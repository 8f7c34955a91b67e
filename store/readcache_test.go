package store

import (
	"context"
	"testing"
)

// Every device and user write is seen by the next read, although reads
// are cached on SQLite (on PostgreSQL this runs without a cache).
func TestReadCacheSeesWrites(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	mustCreateUsers(t, s, "bob", "carol")
	list := func(uid string) []Device {
		t.Helper()
		devs, err := s.ListDevices(ctx, uid)
		if err != nil {
			t.Fatal(err)
		}
		return devs
	}
	if len(list("bob")) != 0 || len(list("carol")) != 0 { // both cached, empty
		t.Fatal("devices before any was registered")
	}
	d := Device{UID: "bob", DeviceID: "phone", Kind: DeviceFCM, Token: "tok:1", AppID: "com.example.app"}
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got := list("bob"); len(got) != 1 || got[0].Token != "tok:1" {
		t.Fatalf("bob after PutDevice: %+v", got)
	}
	got := list("bob")
	got[0].Token = "changed by the caller" // a copy: the cache keeps its own
	_ = append(got[:0], Device{UID: "x"})
	if again := list("bob"); len(again) != 1 || again[0].Token != "tok:1" {
		t.Fatalf("a caller's change reached the cache: %+v", again)
	}
	d.UID = "carol" // the same phone, another login: bob's list changes too
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	if b, c := list("bob"), list("carol"); len(b) != 0 || len(c) != 1 {
		t.Fatalf("after the token moved: bob %+v carol %+v", b, c)
	}
	if ok, err := s.DeleteDeviceToken(ctx, DeviceFCM, "tok:1"); err != nil || !ok {
		t.Fatalf("DeleteDeviceToken = %v, %v", ok, err)
	}
	if c := list("carol"); len(c) != 0 {
		t.Fatalf("carol after her dead token went: %+v", c)
	}
	d.DeviceID, d.Token = "tablet", "tok:2"
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	_ = list("carol")
	if err := s.DeleteDevice(ctx, "carol", "tablet", ""); err != nil {
		t.Fatal(err)
	}
	if c := list("carol"); len(c) != 0 {
		t.Fatalf("carol after DeleteDevice: %+v", c)
	}

	for i, edit := range []func() error{
		func() error {
			avatar := "https://example.com/1.png"
			_, err := s.UpdateUser(ctx, "bob", UserEdit{Avatar: &avatar})
			return err
		},
		func() error {
			_, err := s.UpsertUser(ctx, User{UID: "bob", Avatar: "https://example.com/2.png"})
			return err
		},
	} {
		if _, err := s.GetUser(ctx, "bob"); err != nil { // cached
			t.Fatal(err)
		}
		if err := edit(); err != nil {
			t.Fatal(err)
		}
		u, err := s.GetUser(ctx, "bob")
		if want := []string{"https://example.com/1.png", "https://example.com/2.png"}[i]; err != nil || u.Avatar != want {
			t.Fatalf("edit %d: GetUser = %+v, %v; want avatar %s", i, u, err, want)
		}
	}
	if _, err := s.GetUser(ctx, "dave"); err == nil { // a miss is not cached as a user
		t.Fatal("GetUser of an unknown user succeeded")
	}
	mustCreateUsers(t, s, "dave")
	if u, err := s.GetUser(ctx, "dave"); err != nil || u.UID != "dave" {
		t.Fatalf("GetUser after CreateUser = %+v, %v", u, err)
	}
}

// A read that began before an invalidation is not kept.
func TestReadCacheDropsRacedRead(t *testing.T) {
	var c readCache[int]
	_, ok, gen := c.get("k")
	if ok {
		t.Fatal("hit in an empty cache")
	}
	c.invalidate() // a write landed while the read ran
	c.put("k", 1, gen)
	if _, ok, _ := c.get("k"); ok {
		t.Fatal("a read older than the last write was kept")
	}
	_, _, gen = c.get("k")
	c.put("k", 2, gen)
	if v, ok, _ := c.get("k"); !ok || v != 2 {
		t.Fatalf("get = %d, %v; want 2, true", v, ok)
	}
	var none *readCache[int] // PostgreSQL
	none.put("k", 1, 0)
	none.invalidate()
	if _, ok, _ := none.get("k"); ok {
		t.Fatal("a nil cache had something")
	}
}
