package signaling

import (
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/wire"
)

// UserInfo is a listUsers entry.
type UserInfo struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
	Online bool   `json:"online"`
}

// GroupInfo is a listGroups entry.
type GroupInfo struct {
	GUID         string `json:"guid"`
	Name         string `json:"name"`
	MembersCount int    `json:"membersCount"`
}

type listUsersParams struct {
	Limit int    `json:"limit"` // 1..1000, 0 means 1000
	After string `json:"after"` // uids strictly greater than this
}

// maxListUsers bounds one listUsers reply.
const maxListUsers = 1000

func handleListCalls(c *conn, m wire.Message) error {
	var q LogQuery
	if err := wire.DecodeParams(m.Params, &q); err != nil {
		return err
	}
	calls, err := c.hub.CallLog(c.ctx, c.uid, q)
	if err != nil {
		return err
	}
	return c.ws.Reply(m.ID, calls)
}

func handleListUsers(c *conn, m wire.Message) error {
	var p listUsersParams
	if err := wire.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if p.Limit < 0 || p.Limit > maxListUsers {
		return badRequest("limit must be from 1 to %d, not %d", maxListUsers, p.Limit)
	}
	if p.Limit == 0 {
		p.Limit = maxListUsers
	}
	c.watching.Store(true) // from now on this connection gets presence events
	out := make([]UserInfo, 0, 16)
	after := p.After
	for len(out) < p.Limit {
		want := min(100, p.Limit-len(out))
		page, err := c.hub.st.ListUsers(c.ctx, store.Page{Limit: want, After: after})
		if err != nil {
			return err
		}
		for _, u := range page {
			out = append(out, UserInfo{UID: u.UID, Name: u.Name, Avatar: u.Avatar})
		}
		if len(page) < want {
			break
		}
		after = page[len(page)-1].UID
	}
	h := c.hub
	if err := h.run(func() {
		for i := range out {
			out[i].Online = h.online(out[i].UID)
		}
	}); err != nil {
		return err
	}
	return c.ws.Reply(m.ID, out)
}

func handleListGroups(c *conn, m wire.Message) error {
	if err := wire.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	groups, err := c.hub.st.GroupsOf(c.ctx, c.uid)
	if err != nil {
		return err
	}
	out := make([]GroupInfo, len(groups))
	for i, g := range groups {
		out[i] = GroupInfo{GUID: g.GUID, Name: g.Name, MembersCount: g.Members}
	}
	return c.ws.Reply(m.ID, out)
}

func handlePing(c *conn, m wire.Message) error {
	if err := wire.DecodeParams(m.Params, &struct{}{}); err != nil {
		return err
	}
	return c.ws.Reply(m.ID, map[string]int64{"now": c.hub.clock.Now().UnixMilli()})
}
