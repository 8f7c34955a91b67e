package sfu

import "testing"

// A participant's connection turns poor in the first window that loses
// more than 10 % either way or counts a freeze of its own, and good again
// after two windows without; windows with too few packets say nothing.
func TestConnectionQualityWindows(t *testing.T) {
	var c connQuality
	at := connQuality{}
	step := func(downExp, downLost, upExp, upLost, own int64) (changed, poor bool) {
		at.downExp += downExp
		at.downLst += downLost
		at.upExp += uint64(upExp)
		at.upGot += uint64(upExp - upLost)
		at.own += own
		changed = c.judge(at)
		return changed, c.poor
	}
	for i, tc := range []struct {
		name                                  string
		downExp, downLost, upExp, upLost, own int64
		changed, poor                         bool
	}{
		{"clean", 400, 4, 300, 0, 0, false, false},
		{"9% down: still good", 400, 36, 300, 0, 0, false, false},
		{"15% down: poor", 400, 60, 300, 0, 0, true, true},
		{"clean once: still poor", 400, 0, 300, 0, 0, false, true},
		{"clean twice: good", 400, 0, 300, 0, 0, true, false},
		{"20% up: poor", 400, 0, 300, 60, 0, true, true},
		{"a freeze of its own resets the count", 400, 0, 300, 0, 1, false, true},
		{"clean", 400, 0, 300, 0, 0, false, true},
		{"clean: good", 400, 0, 300, 0, 0, true, false},
		{"all lost of 10 packets: too few to tell", 10, 10, 10, 10, 0, false, false},
	} {
		changed, poor := step(tc.downExp, tc.downLost, tc.upExp, tc.upLost, tc.own)
		if changed != tc.changed || poor != tc.poor {
			t.Errorf("window %d (%s): changed %v, poor %v; want %v, %v", i, tc.name, changed, poor, tc.changed, tc.poor)
		}
	}
}
