package signaling

import (
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// maxListUsers bounds one listUsers reply.
const maxListUsers = 1000

func handleListCalls(c *conn, m protocol.Message) error {
	page, err := callLogOf(c, m)
	if err != nil {
		return err
	}
	return c.ws.Reply(m.ID, page.Calls)
}

// handleListCallPage is listCalls with a page's next: {calls, next}.
func handleListCallPage(c *conn, m protocol.Message) error {
	page, err := callLogOf(c, m)
	if err != nil {
		return err
	}
	return c.ws.Reply(m.ID, page)
}

// callLogOf reads the page of the call log a listCalls or listCallPage
// request asks for.
func callLogOf(c *conn, m protocol.Message) (protocol.CallPage, error) {
	var q protocol.LogQuery
	if err := protocol.DecodeParams(m.Params, &q); err != nil {
		return protocol.CallPage{}, err
	}
	return c.hub.CallLogPage(c.ctx, c.uid, q)
}

func handleListUsers(c *conn, m protocol.Message) error {
	var p protocol.ListUsersParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if p.Limit < 0 || p.Limit > maxListUsers {
		return badRequest("limit must be from 1 to %d, not %d", maxListUsers, p.Limit)
	}
	if p.Limit == 0 {
		p.Limit = maxListUsers
	}
	c.hub.watchStarted(c) // from now on this connection gets presence events
	out := make([]protocol.User, 0, 16)
	after := p.After
	for len(out) < p.Limit {
		want := min(100, p.Limit-len(out))
		page, err := c.hub.st.ListUsers(c.ctx, store.Page{Limit: want, After: after})
		if err != nil {
			return err
		}
		for _, u := range page {
			if !u.Disabled { // nobody can call them: not listed
				out = append(out, protocol.User{UID: u.UID, Name: u.Name, Avatar: u.Avatar})
			}
		}
		if len(page) < want {
			break
		}
		after = page[len(page)-1].UID
	}
	h := c.hub
	if merged := h.clusterPresence(c.ctx, out); merged != nil {
		for i := range out {
			out[i].Status = merged[out[i].UID]
			out[i].Online = out[i].Status != protocol.PresenceOffline
		}
		return c.ws.Reply(m.ID, out)
	}
	if err := h.run(func() {
		for i := range out {
			out[i].Online = h.online(out[i].UID)
			out[i].Status = h.presenceStatus(out[i].UID)
		}
	}); err != nil {
		return err
	}
	return c.ws.Reply(m.ID, out)
}

func handleListGroups(c *conn, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	groups, err := c.hub.st.GroupsOf(c.ctx, c.uid)
	if err != nil {
		return err
	}
	out := make([]protocol.Group, len(groups))
	for i, g := range groups {
		out[i] = protocol.Group{GUID: g.GUID, Name: g.Name, MembersCount: g.Members}
	}
	return c.ws.Reply(m.ID, out)
}

// handlePing answers on the hub loop, after the events of every command the
// loop ran before it are queued for their sockets: a client that has the
// reply has had every event of the requests answered before its ping
// (protocol.md, "ping"; the Go client's Sync). A command replies to its
// requester before it queues the events it causes, so another user's
// reply alone does not mean those went out.
func handlePing(c *conn, m protocol.Message) error {
	if err := protocol.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	var err error
	if rerr := c.hub.run(func() { err = c.ws.Reply(m.ID, map[string]int64{"now": c.hub.clock.Now().UnixMilli()}) }); rerr != nil {
		return rerr
	}
	return err
}
