package e2e

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	switchboard "github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// TestClusterBrowserMedia: two nodes on one Redis and PostgreSQL. Alice
// and Bob load the page from n1 (role signal) and call; the call's media
// is pinned to n2 (role media, another origin). The SDK opens /v1/rtc on
// the node the call token names: both see and hear each other through n2,
// and n1 hosts no media.
func TestClusterBrowserMedia(t *testing.T) {
	rd, dsn := redistest.Start(t), pgtest.Require(t).NewDSN(t)
	var keys map[string]string
	node := func(id, role string) func(*switchboard.Config) {
		return func(c *switchboard.Config) {
			if keys == nil {
				keys = c.Keys
			}
			c.Keys = keys
			c.Store.Driver, c.Store.DSN = store.DriverPostgres, dsn
			c.Cluster.Redis, c.Cluster.NodeID, c.Cluster.Role = rd.URL(), id, role
			c.Cluster.Keepalive, c.Cluster.Expiry = 200*time.Millisecond, time.Second
			c.Server.AllowedOrigins = []string{"*"} // the page's origin is n1's; media is on n2
		}
	}
	n1 := startServer(t, 20*time.Second, node("n1", cluster.RoleSignal))
	n2 := startServer(t, 20*time.Second, node("n2", cluster.RoleMedia))
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	videoCall(t, n1.url, alice, bob, "bob")
	if got := [2]int{n1.app.SFU().Participants(), n2.app.SFU().Participants()}; got != [2]int{0, 2} {
		t.Errorf("media participants on n1, n2: %v; want [0 2]", got)
	}
	alice.shot("cluster-in-call")
	alice.click("btn-hangup")
	bob.waitScreen("home")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
