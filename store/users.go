package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxAvatarLen bounds an avatar URL, in bytes.
const MaxAvatarLen = 2048

// userCols are the columns a new user is inserted with; userReadCols what
// scanUser reads.
const (
	userCols     = `uid, name, avatar, created_at, updated_at`
	userReadCols = userCols + `, disabled_at`
)

func scanUser(sc scanner) (User, error) {
	var u User
	var created, updated, disabled sql.NullInt64
	if err := sc.Scan(&u.UID, &u.Name, &u.Avatar, &created, &updated, &disabled); err != nil {
		return User{}, err
	}
	u.CreatedAt, u.UpdatedAt, u.DisabledAt = fromMS(created), fromMS(updated), fromMS(disabled)
	u.Disabled = disabled.Valid
	return u, nil
}

func validateAvatar(avatar string) error {
	if len(avatar) > MaxAvatarLen {
		return fmt.Errorf("%w: avatar is %d bytes long; the limit is %d", ErrInvalid, len(avatar), MaxAvatarLen)
	}
	if !utf8.ValidString(avatar) {
		return fmt.Errorf("%w: avatar is not valid UTF-8", ErrInvalid)
	}
	for _, r := range avatar {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return fmt.Errorf("%w: avatar contains %U; use a URL without spaces or control characters", ErrInvalid, r)
		}
	}
	return nil
}

// validateUserEdit checks uid always, and name/avatar when set.
func validateUserEdit(u User) error {
	if err := ValidateID("uid", u.UID); err != nil {
		return err
	}
	if u.Name != "" {
		if err := ValidateName("name", u.Name); err != nil {
			return err
		}
	}
	return validateAvatar(u.Avatar)
}

// CreateUser inserts u. Name is required; zero CreatedAt/UpdatedAt are set
// to now.
func (s *sqlStore) CreateUser(ctx context.Context, u User) (User, error) {
	if err := validateUserEdit(u); err != nil {
		return User{}, err
	}
	if err := ValidateName("name", u.Name); err != nil {
		return User{}, err
	}
	u.CreatedAt = s.stamp(u.CreatedAt)
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	u.UpdatedAt = s.stamp(u.UpdatedAt)
	u.DisabledAt = time.Time{}
	if u.Disabled {
		u.DisabledAt = u.UpdatedAt
	}
	defer s.users.invalidate()
	_, err := s.w.ExecContext(ctx, `INSERT INTO users (`+userCols+`, disabled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
		u.UID, u.Name, u.Avatar, ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.DisabledAt))
	switch {
	case isConstraint(err):
		return User{}, fmt.Errorf("user %q %w", u.UID, ErrConflict)
	case err != nil:
		return User{}, fmt.Errorf("store: create user %q: %w", u.UID, err)
	}
	return u, nil
}

// UpsertUser creates u or updates its name and avatar. An empty Name or
// Avatar keeps the stored value (a new user without a name is named after
// its uid); UpdatedAt changes only when something did.
func (s *sqlStore) UpsertUser(ctx context.Context, u User) (User, error) {
	if err := validateUserEdit(u); err != nil {
		return User{}, err
	}
	defer s.users.invalidate()
	newName := u.Name
	if newName == "" {
		newName = u.UID
	}
	row := s.w.QueryRowContext(ctx, `
		INSERT INTO users (`+userCols+`) VALUES (?1, ?2, ?3, ?4, ?4)
		ON CONFLICT (uid) DO UPDATE SET
			name   = CASE WHEN ?5 = '' THEN users.name ELSE ?5 END,
			avatar = CASE WHEN ?3 = '' THEN users.avatar ELSE ?3 END,
			updated_at = CASE WHEN (?5 <> '' AND ?5 <> users.name) OR (?3 <> '' AND ?3 <> users.avatar)
				THEN ?4 ELSE users.updated_at END
		RETURNING `+userReadCols,
		u.UID, newName, u.Avatar, ms(s.stamp(u.UpdatedAt)), u.Name)
	got, err := scanUser(row)
	if err != nil {
		return User{}, fmt.Errorf("store: upsert user %q: %w", u.UID, err)
	}
	return got, nil
}

// UpdateUser applies e to an existing user; UpdatedAt changes when the
// name, the avatar or whether they are disabled does. ErrNotFound if the
// user does not exist.
func (s *sqlStore) UpdateUser(ctx context.Context, uid string, e UserEdit) (User, error) {
	if err := ValidateID("uid", uid); err != nil {
		return User{}, err
	}
	setName, name, setAvatar, avatar := 0, "", 0, ""
	if e.Name != nil {
		if err := ValidateName("name", *e.Name); err != nil {
			return User{}, err
		}
		setName, name = 1, *e.Name
	}
	if e.Avatar != nil {
		if err := validateAvatar(*e.Avatar); err != nil {
			return User{}, err
		}
		setAvatar, avatar = 1, *e.Avatar
	}
	setDisabled, disabled := 0, 0
	if e.Disabled != nil {
		setDisabled = 1
		if *e.Disabled {
			disabled = 1
		}
	}
	defer s.users.invalidate()
	// (every SET expression reads the row as it was)
	row := s.w.QueryRowContext(ctx, `
		UPDATE users SET name = CASE WHEN ?2 = 1 THEN ?3 ELSE name END,
			avatar = CASE WHEN ?4 = 1 THEN ?5 ELSE avatar END,
			disabled_at = CASE WHEN ?7 = 0 THEN disabled_at WHEN ?8 = 1 THEN COALESCE(disabled_at, ?6) ELSE NULL END,
			updated_at = CASE WHEN (?2 = 1 AND ?3 <> name) OR (?4 = 1 AND ?5 <> avatar)
				OR (?7 = 1 AND (?8 = 1) <> (disabled_at IS NOT NULL)) THEN ?6 ELSE updated_at END
		WHERE uid = ?1 RETURNING `+userReadCols,
		uid, setName, name, setAvatar, avatar, ms(s.stamp(time.Time{})), setDisabled, disabled)
	got, err := scanUser(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return User{}, fmt.Errorf("user %q %w", uid, ErrNotFound)
	case err != nil:
		return User{}, fmt.Errorf("store: update user %q: %w", uid, err)
	}
	return got, nil
}

// EraseUser deletes what the store holds about uid personally, for an
// account deleted in the app: their push targets and group memberships
// go, their name becomes their uid and their avatar is removed, and they
// stay as a disabled user (the uid is kept, so an unexpired token of
// theirs cannot bring them back; calls in other people's logs keep naming
// the uid). It returns the user as left; ErrNotFound if unknown.
func (s *sqlStore) EraseUser(ctx context.Context, uid string) (User, error) {
	if err := ValidateID("uid", uid); err != nil {
		return User{}, err
	}
	defer s.users.invalidate()
	defer s.devices.invalidate()
	now := ms(s.stamp(time.Time{}))
	var u User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET name = uid, avatar = '',
			disabled_at = COALESCE(disabled_at, ?2), updated_at = ?2
			WHERE uid = ?1 RETURNING `+userReadCols, uid, now))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE uid = ?1`, uid); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM group_members WHERE uid = ?1`, uid)
		return err
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return User{}, fmt.Errorf("user %q %w", uid, ErrNotFound)
	case err != nil:
		return User{}, fmt.Errorf("store: erase user %q: %w", uid, err)
	}
	return u, nil
}

// GetUser returns one user, or ErrNotFound.
func (s *sqlStore) GetUser(ctx context.Context, uid string) (User, error) {
	if err := ValidateID("uid", uid); err != nil {
		return User{}, err
	}
	u, ok, gen := s.users.get(uid)
	if ok {
		return u, nil
	}
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userReadCols+` FROM users WHERE uid = ?1`, uid))
	if err == nil {
		s.users.put(uid, u, gen)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return User{}, fmt.Errorf("user %q %w", uid, ErrNotFound)
	case err != nil:
		return User{}, fmt.Errorf("store: get user %q: %w", uid, err)
	}
	return u, nil
}

// ListUsers returns users ordered by uid, after p.After.
func (s *sqlStore) ListUsers(ctx context.Context, p Page) ([]User, error) {
	n, err := limit(p.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+userReadCols+` FROM users WHERE uid > ?1 ORDER BY uid LIMIT ?2`, p.After, n)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return collectUsers(rows)
}

func collectUsers(rows *sql.Rows) ([]User, error) {
	defer rows.Close()
	users := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan user: %w", err)
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return users, nil
}
