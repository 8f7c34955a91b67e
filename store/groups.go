package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

const groupSelect = `SELECT g.guid, g.name, g.created_at,
	(SELECT COUNT(*) FROM group_members m WHERE m.guid = g.guid) FROM groups g `

func scanGroup(sc scanner) (Group, error) {
	var g Group
	var created sql.NullInt64
	if err := sc.Scan(&g.GUID, &g.Name, &created, &g.Members); err != nil {
		return Group{}, err
	}
	g.CreatedAt = fromMS(created)
	return g, nil
}

// CreateGroup inserts an empty group; a zero CreatedAt is set to now.
func (s *sqlStore) CreateGroup(ctx context.Context, g Group) (Group, error) {
	if err := ValidateID("guid", g.GUID); err != nil {
		return Group{}, err
	}
	if err := ValidateName("group name", g.Name); err != nil {
		return Group{}, err
	}
	g.CreatedAt, g.Members = s.stamp(g.CreatedAt), 0
	_, err := s.w.ExecContext(ctx, `INSERT INTO groups (guid, name, created_at) VALUES (?1, ?2, ?3)`,
		g.GUID, g.Name, ms(g.CreatedAt))
	switch {
	case isConstraint(err):
		return Group{}, fmt.Errorf("group %q %w", g.GUID, ErrConflict)
	case err != nil:
		return Group{}, fmt.Errorf("store: create group %q: %w", g.GUID, err)
	}
	return g, nil
}

// GetGroup returns one group with its member count, or ErrNotFound.
func (s *sqlStore) GetGroup(ctx context.Context, guid string) (Group, error) {
	if err := ValidateID("guid", guid); err != nil {
		return Group{}, err
	}
	return getGroup(ctx, s.r, guid)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getGroup(ctx context.Context, q queryRower, guid string) (Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, groupSelect+`WHERE g.guid = ?1`, guid))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Group{}, fmt.Errorf("group %q %w", guid, ErrNotFound)
	case err != nil:
		return Group{}, fmt.Errorf("store: get group %q: %w", guid, err)
	}
	return g, nil
}

// RenameGroup changes a group's name and returns the group; ErrNotFound
// if it is missing.
func (s *sqlStore) RenameGroup(ctx context.Context, guid, name string) (Group, error) {
	if err := ValidateID("guid", guid); err != nil {
		return Group{}, err
	}
	if err := ValidateName("group name", name); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE groups SET name = ?2 WHERE guid = ?1`, guid, name)
		if err != nil {
			return fmt.Errorf("store: rename group %q: %w", guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("group %q %w", guid, ErrNotFound)
		}
		g, err = getGroup(ctx, tx, guid)
		return err
	})
	return g, err
}

// ListGroups returns groups ordered by guid, after p.After.
func (s *sqlStore) ListGroups(ctx context.Context, p Page) ([]Group, error) {
	n, err := limit(p.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, groupSelect+`WHERE g.guid > ?1 ORDER BY g.guid LIMIT ?2`, p.After, n)
	if err != nil {
		return nil, fmt.Errorf("store: list groups: %w", err)
	}
	return collectGroups(rows)
}

func collectGroups(rows *sql.Rows) ([]Group, error) {
	defer rows.Close()
	groups := []Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan group: %w", err)
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list groups: %w", err)
	}
	return groups, nil
}

// DeleteGroup removes a group and its memberships, or returns ErrNotFound.
func (s *sqlStore) DeleteGroup(ctx context.Context, guid string) error {
	if err := ValidateID("guid", guid); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE guid = ?1`, guid); err != nil {
			return fmt.Errorf("store: delete group %q: %w", guid, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE guid = ?1`, guid)
		if err != nil {
			return fmt.Errorf("store: delete group %q: %w", guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("group %q %w", guid, ErrNotFound)
		}
		return nil
	})
}

// AddMembers adds users to a group, all or nothing: if the group or any
// user is missing, nothing is written and the ErrNotFound names every
// missing uid. Users already in the group are left as they are.
func (s *sqlStore) AddMembers(ctx context.Context, guid string, uids []string) error {
	if err := ValidateID("guid", guid); err != nil {
		return err
	}
	if len(uids) == 0 {
		return fmt.Errorf("%w: uids is empty; give at least one user to add", ErrInvalid)
	}
	for _, uid := range uids {
		if err := ValidateID("uid", uid); err != nil {
			return err
		}
	}
	now := ms(s.stamp(s.now()))
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getGroup(ctx, tx, guid); err != nil {
			return err
		}
		if err := requireUsers(ctx, tx, uids); err != nil {
			return err
		}
		for _, uid := range uids {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO group_members (guid, uid, added_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING`,
				guid, uid, now); err != nil {
				return fmt.Errorf("store: add %q to group %q: %w", uid, guid, err)
			}
		}
		return nil
	})
}

// requireUsers returns ErrNotFound naming every uid that has no user.
func requireUsers(ctx context.Context, tx *sql.Tx, uids []string) error {
	missing := map[string]bool{}
	for _, uid := range uids {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE uid = ?1`, uid).Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			missing[uid] = true
		case err != nil:
			return fmt.Errorf("store: look up user %q: %w", uid, err)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, 0, len(missing))
	for uid := range missing {
		names = append(names, fmt.Sprintf("%q", uid))
	}
	sort.Strings(names)
	noun := "user"
	if len(names) > 1 {
		noun = "users"
	}
	return fmt.Errorf("%s %s %w (nothing was added)", noun, strings.Join(names, ", "), ErrNotFound)
}

// RemoveMember removes one user from a group. ErrNotFound if the group does
// not exist or the user is not a member.
func (s *sqlStore) RemoveMember(ctx context.Context, guid, uid string) error {
	if err := ValidateID("guid", guid); err != nil {
		return err
	}
	if err := ValidateID("uid", uid); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getGroup(ctx, tx, guid); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE guid = ?1 AND uid = ?2`, guid, uid)
		if err != nil {
			return fmt.Errorf("store: remove %q from group %q: %w", uid, guid, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: user %q is not a member of group %q", ErrNotFound, uid, guid)
		}
		return nil
	})
}

// ListMembers returns a group's members ordered by uid, or ErrNotFound if
// the group does not exist.
func (s *sqlStore) ListMembers(ctx context.Context, guid string) ([]User, error) {
	if err := ValidateID("guid", guid); err != nil {
		return nil, err
	}
	var users []User
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getGroup(ctx, tx, guid); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT u.uid, u.name, u.avatar, u.created_at, u.updated_at, u.disabled_at
			FROM group_members m JOIN users u ON u.uid = m.uid WHERE m.guid = ?1 ORDER BY u.uid`, guid)
		if err != nil {
			return fmt.Errorf("store: list members of %q: %w", guid, err)
		}
		users, err = collectUsers(rows)
		return err
	})
	return users, err
}

// GroupsOf returns the groups uid belongs to, ordered by guid (empty for an
// unknown user).
func (s *sqlStore) GroupsOf(ctx context.Context, uid string) ([]Group, error) {
	if err := ValidateID("uid", uid); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, groupSelect+
		`JOIN group_members gm ON gm.guid = g.guid WHERE gm.uid = ?1 ORDER BY g.guid`, uid)
	if err != nil {
		return nil, fmt.Errorf("store: groups of %q: %w", uid, err)
	}
	return collectGroups(rows)
}
