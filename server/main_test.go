package server_test

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/store/pgtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Main(m)) }
