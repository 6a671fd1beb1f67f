package registry

import (
	"errors"

	"github.com/yubei-cso/portal/internal/portal"
)

// AccountFilter narrows the account list.
type AccountFilter struct {
	Query string // part of the username or display name
	Tier  portal.Tier
}

// NewAccount is what an administrator or a command enters to create an account.
type NewAccount struct {
	Username     string
	DisplayName  string
	Tier         portal.Tier
	Role         portal.Role
	DivisionCode string
	Phone        string
	PasswordHash string
}

// ErrUsernameTaken says the username exists already.
var ErrUsernameTaken = errors.New("username taken")

// AccountChange is one administrative change to a managed account.
type AccountChange struct {
	ID      int64
	Version int // the version the administrator saw; a different one means someone else acted first

	Disable      *bool   // disable or enable
	DivisionCode *string // move to another division of the same tier inside the scope
	PasswordHash *string // reset the password
	Unlock       bool    // clear a lockout
	Role         *string // give the account another role of its tier (issue 17)
}
