package bench

import (
	"context"
	"testing"
)

func TestFloorMeasuresEveryProfile(t *testing.T) {
	res, err := MeasureFloor(context.Background(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(floorProfiles) || !res[0].Negotiated || res[0].Cipher != "AEAD_AES_128_GCM" {
		t.Fatalf("results %+v", res)
	}
	for _, r := range res {
		t.Logf("%s: encrypt %.3f us + send %.3f us = %.3f us", r.Cipher, r.EncryptUS, r.SendUS, r.TotalUS)
		if r.TotalUS <= 0 || r.EncryptUS <= 0 || r.TotalUS < r.EncryptUS {
			t.Errorf("%s: encrypt %.2f us, total %.2f us: want 0 < encrypt <= total", r.Cipher, r.EncryptUS, r.TotalUS)
		}
	}
}
