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
	wantErr(t, s.DeleteDevice(ctx, "bob", "nope", ""), ErrNotFound, `device "nope"`)
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
	if err := s.DeleteDevice(ctx, "bob", "d1", ""); err != nil {
		t.Fatal(err)
	}
}

// kinds lists a user's rows as "deviceId/kind=token", in order.
func kinds(t *testing.T, s Store, uid string) string {
	t.Helper()
	list, err := s.ListDevices(context.Background(), uid)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range list {
		out = append(out, d.DeviceID+"/"+d.Kind+"="+d.Token)
	}
	return strings.Join(out, " ")
}

// An iPhone registers its PushKit token and its alert token under one
// deviceId: both rows stay, each kind updated on its own; an install is
// of one platform, so an fcm token replaces them (and back).
func TestDeviceHoldsAPNsKinds(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	put := func(id, kind, tok string) {
		t.Helper()
		if _, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: id, Kind: kind, Token: tok, AppID: "com.example.app"}); err != nil {
			t.Fatal(err)
		}
	}
	put("iphone", DeviceAPNsVoIP, "voip1")
	put("iphone", DeviceAPNs, "alert1")
	put("ipad", DeviceAPNsVoIP, "voip2")
	if got, want := kinds(t, s, "bob"), "ipad/apns-voip=voip2 iphone/apns=alert1 iphone/apns-voip=voip1"; got != want {
		t.Fatalf("rows %q, want %q", got, want)
	}
	put("iphone", DeviceAPNs, "alert1b") // the same kind again: its token changes, the other kind stays
	if got, want := kinds(t, s, "bob"), "ipad/apns-voip=voip2 iphone/apns=alert1b iphone/apns-voip=voip1"; got != want {
		t.Fatalf("after a new alert token: rows %q, want %q", got, want)
	}
	put("iphone", DeviceFCM, "fcm1")
	if got, want := kinds(t, s, "bob"), "ipad/apns-voip=voip2 iphone/fcm=fcm1"; got != want {
		t.Fatalf("after an fcm token: rows %q, want %q", got, want)
	}
	put("iphone", DeviceAPNsVoIP, "voip1")
	if got, want := kinds(t, s, "bob"), "ipad/apns-voip=voip2 iphone/apns-voip=voip1"; got != want {
		t.Fatalf("after apns-voip again: rows %q, want %q", got, want)
	}
}

// Unregistering an install removes every kind it holds unless a kind is
// named; a dead token takes only its own row.
func TestDeleteDeviceKinds(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	for _, d := range []Device{
		{UID: "bob", DeviceID: "iphone", Kind: DeviceAPNsVoIP, Token: "voip1", AppID: "com.example.app"},
		{UID: "bob", DeviceID: "iphone", Kind: DeviceAPNs, Token: "alert1", AppID: "com.example.app"},
		{UID: "bob", DeviceID: "ipad", Kind: DeviceAPNsVoIP, Token: "voip2", AppID: "com.example.app"},
		{UID: "bob", DeviceID: "ipad", Kind: DeviceAPNs, Token: "alert2", AppID: "com.example.app"},
	} {
		if _, err := s.PutDevice(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if gone, err := s.DeleteDeviceToken(ctx, DeviceAPNs, "alert1"); err != nil || !gone {
		t.Fatalf("DeleteDeviceToken = %v, %v", gone, err)
	}
	if got, want := kinds(t, s, "bob"), "ipad/apns=alert2 ipad/apns-voip=voip2 iphone/apns-voip=voip1"; got != want {
		t.Fatalf("after a dead alert token: rows %q, want %q", got, want)
	}
	wantErr(t, s.DeleteDevice(ctx, "bob", "iphone", DeviceAPNs), ErrNotFound, `device "iphone"`, "apns token")
	wantErr(t, s.DeleteDevice(ctx, "bob", "iphone", "sms"), ErrInvalid, `device kind "sms"`)
	if err := s.DeleteDevice(ctx, "bob", "ipad", DeviceAPNsVoIP); err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(t, s, "bob"), "ipad/apns=alert2 iphone/apns-voip=voip1"; got != want {
		t.Fatalf("after unregistering ipad's apns-voip: rows %q, want %q", got, want)
	}
	if err := s.DeleteDevice(ctx, "bob", "ipad", ""); err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(t, s, "bob"), "iphone/apns-voip=voip1"; got != want {
		t.Fatalf("after unregistering ipad: rows %q, want %q", got, want)
	}
}

// The limit counts installs, not rows: ten iPhones with two tokens each
// fit; an eleventh install does not, another kind of one of the ten does.
func TestDeviceLimitCountsInstalls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	put := func(id, kind, tok string) error {
		_, err := s.PutDevice(ctx, Device{UID: "bob", DeviceID: id, Kind: kind, Token: tok, AppID: "com.example.app"})
		return err
	}
	for i := range MaxDevicesPerUser {
		if err := put(fmt.Sprint("d", i), DeviceAPNsVoIP, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
		if i < MaxDevicesPerUser-1 {
			if err := put(fmt.Sprint("d", i), DeviceAPNs, fmt.Sprint("a", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	wantErr(t, put("one-more", DeviceAPNs, "ax"), ErrInvalid, "already has 10 devices")
	if err := put(fmt.Sprint("d", MaxDevicesPerUser-1), DeviceAPNs, "a-last"); err != nil {
		t.Fatalf("a second kind of an install at the limit: %v", err)
	}
	if list, _ := s.ListDevices(ctx, "bob"); len(list) != 2*MaxDevicesPerUser {
		t.Fatalf("%d rows, want %d", len(list), 2*MaxDevicesPerUser)
	}
}
