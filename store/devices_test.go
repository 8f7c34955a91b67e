package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestPutDeviceAndList(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	d := Device{UID: "bob", DeviceID: "iphone", Kind: DeviceAPNsVoIP, Token: strings.Repeat("ab", 32), AppID: "com.example.app"}
	got, err := s.PutDevice(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(clk.Now()) || got.Token != d.Token {
		t.Fatalf("PutDevice = %+v", got)
	}
	// Updating the same device replaces its token and keeps CreatedAt.
	clk.Advance(1e9)
	d.Token = strings.Repeat("cd", 32)
	upd, err := s.PutDevice(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if !upd.CreatedAt.Equal(got.CreatedAt) || !upd.UpdatedAt.Equal(clk.Now()) || upd.Token != d.Token {
		t.Fatalf("update = %+v", upd)
	}
	list, err := s.ListDevices(ctx, "bob")
	if err != nil || len(list) != 1 || list[0] != upd {
		t.Fatalf("ListDevices = %+v, %v", list, err)
	}
}

func TestPutDeviceMovesToken(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	d := Device{UID: "bob", DeviceID: "phone", Kind: DeviceFCM, Token: "tok:1", AppID: "com.example.app"}
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.UID = "carol" // the same phone, another login
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	bob, _ := s.ListDevices(ctx, "bob")
	carol, _ := s.ListDevices(ctx, "carol")
	if len(bob) != 0 || len(carol) != 1 {
		t.Fatalf("bob %+v carol %+v, want the token moved to carol", bob, carol)
	}
}

func TestPutDeviceRejects(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	ok := Device{UID: "bob", DeviceID: "d1", Kind: DeviceAPNs, Token: "abc", AppID: "com.example.app"}
	with := func(f func(*Device)) Device { d := ok; f(&d); return d }
	tests := []struct {
		name  string
		d     Device
		parts []string
	}{
		{"unknown kind", with(func(d *Device) { d.Kind = "sms" }), []string{`device kind "sms"`, "apns-voip"}},
		{"empty token", with(func(d *Device) { d.Token = "" }), []string{"token is empty"}},
		{"oversized token", with(func(d *Device) { d.Token = strings.Repeat("a", MaxDeviceTokenLen+1) }), []string{"4097 bytes", "4096"}},
		{"space in token", with(func(d *Device) { d.Token = "a b" }), []string{"printable ASCII"}},
		{"app id one part", with(func(d *Device) { d.AppID = "example" }), []string{"bundle id or package name"}},
		{"app id bad char", with(func(d *Device) { d.AppID = "com.ex ample.app" }), []string{"contains"}},
		{"app id empty part", with(func(d *Device) { d.AppID = "com..app" }), []string{"empty part"}},
		{"app id too long", with(func(d *Device) { d.AppID = "a." + strings.Repeat("b", MaxAppIDLen) }), []string{"1..155"}},
		{"bad device id", with(func(d *Device) { d.DeviceID = "a/b" }), []string{"deviceId"}},
		{"bad uid", with(func(d *Device) { d.UID = "" }), []string{"uid is empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.PutDevice(ctx, tc.d)
			wantErr(t, err, ErrInvalid, tc.parts...)
		})
	}
	if list, _ := s.ListDevices(ctx, "bob"); len(list) != 0 {
		t.Fatalf("devices after rejects = %+v, want none", list)
	}
}

func TestTooManyDevices(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	for i := range MaxDevicesPerUser {
		if _, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: fmt.Sprint("d", i), Kind: DeviceFCM,
			Token: fmt.Sprint("t", i), AppID: "com.example.app"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: "one-more", Kind: DeviceFCM, Token: "tx", AppID: "com.example.app"})
	wantErr(t, err, ErrInvalid, "already has 10 devices")
	// Updating an existing one is still fine.
	if _, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: "d0", Kind: DeviceFCM, Token: "new", AppID: "com.example.app"}); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.ListDevices(ctx, "bob"); len(list) != MaxDevicesPerUser {
		t.Fatalf("%d devices, want %d", len(list), MaxDevicesPerUser)
	}
}

func TestDeleteDevice(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	d := Device{UID: "bob", DeviceID: "d1", Kind: DeviceAPNsVoIP, Token: "dead", AppID: "com.example.app"}
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	wantErr(t, s.DeleteDevice(ctx, "bob", "nope"), ErrNotFound, `device "nope"`)
	gone, err := s.DeleteDeviceToken(ctx, DeviceAPNsVoIP, "dead")
	if err != nil || !gone {
		t.Fatalf("DeleteDeviceToken = %v, %v", gone, err)
	}
	if gone, _ := s.DeleteDeviceToken(ctx, DeviceAPNsVoIP, "dead"); gone {
		t.Fatal("deleted twice")
	}
	if _, err := s.PutDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDevice(ctx, "bob", "d1"); err != nil {
		t.Fatal(err)
	}
}
