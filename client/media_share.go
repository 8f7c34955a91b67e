package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Errors of StartScreenShare and of a stopped share's track.
var (
	ErrNoPublisher    = errors.New("client: this session publishes nothing (joined with no Audio, Video or Screen): it cannot share a screen")
	ErrAlreadySharing = errors.New("client: a screen share is on already: stop it first")
	ErrShareStopped   = errors.New("client: this screen share was stopped")
)

// StartScreenShare publishes a screen share in the call ("vp8", "h264" or
// "vp9"): a video track announced to the others with source "screen",
// whose packets the app writes to the returned track. Each share takes an
// m-line of its own on the publisher connection, as a native stack's
// addTrack after removeTrack does (the server counts only the m-lines that
// send). One share at a time; a share given with MediaOptions.Screen at
// join counts as one.
func (s *Session) StartScreenShare(ctx context.Context, codec string) (*LocalTrack, error) {
	c, err := videoCodec(codec)
	if err != nil {
		return nil, err
	}
	var lt *LocalTrack
	err = s.run(ctx, func(ctx context.Context) error {
		if s.pub == nil {
			return ErrNoPublisher
		}
		if s.screenTrack() != nil {
			return ErrAlreadySharing
		}
		s.shares++
		t, err := s.addLocal(c, "video", fmt.Sprintf("screen-%d", s.shares), protocol.SourceScreen)
		if err != nil {
			return err
		}
		if err := s.publish(ctx); err != nil {
			_ = s.dropLocal(t)
			return err
		}
		lt = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lt, nil
}

// StopScreenShare stops the screen share (the others get trackUnpublished;
// its track's writes return ErrShareStopped). Without a share it does
// nothing.
func (s *Session) StopScreenShare(ctx context.Context) error {
	return s.run(ctx, func(ctx context.Context) error {
		lt := s.screenTrack()
		if lt == nil {
			return nil
		}
		if err := s.dropLocal(lt); err != nil {
			return err
		}
		return s.publish(ctx)
	})
}

// screenTrack is the screen share being published, or nil (session goroutine).
func (s *Session) screenTrack() *LocalTrack {
	for _, lt := range s.local {
		if lt.Source == protocol.SourceScreen {
			return lt
		}
	}
	return nil
}

// dropLocal stops sending lt (its m-line stays, inactive) and forgets it
// (session goroutine).
func (s *Session) dropLocal(lt *LocalTrack) error {
	lt.stopped.Store(true)
	s.mu.Lock()
	s.local = slices.DeleteFunc(s.local, func(t *LocalTrack) bool { return t == lt }) // LocalTracks hands out copies
	s.mu.Unlock()
	return s.pub.RemoveTrack(lt.sender)
}
