package e2e

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/store/pgtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(pgtest.Main(m)) // stops the PostgreSQL a cluster test started
}
