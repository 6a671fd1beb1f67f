package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// inboxOf is the header's link to a's 站内消息 and its unread count ("" for none, "99+" past the cap).
func inboxOf(a portal.Account) (href, unread string) {
	if !portal.Allowed(a, portal.ViewMessages) {
		return "", ""
	}
	href = "/" + string(a.Tier) + "/messages"
	switch {
	case a.Unread > registry.UnreadShown:
		unread = strconv.Itoa(registry.UnreadShown) + "+"
	case a.Unread > 0:
		unread = strconv.Itoa(a.Unread)
	}
	return href, unread
}

// InboxView is an account's 站内消息, newest first.
type InboxView struct {
	Page
	Rows      []MessageRow
	NextHref  string
	FirstHref string
}

// MessageRow is one message; an unread one has a 标为已读 form carrying its version.
type MessageRow struct {
	ID      int64
	Anchor  string
	Kind    string
	Subject string
	Href    string
	At      string
	Unread  bool
	ReadAt  string
	Action  string // the 标为已读 form's address
	Version string
}

// NewInboxView builds the inbox from the store's rows (one more than a page when there is a next page).
func NewInboxView(ms []registry.Message, p Paths) InboxView {
	var v InboxView
	if len(ms) > registry.MessagesPerPage {
		ms = ms[:registry.MessagesPerPage]
		v.NextHref = p.Root() + "/messages?before=" + strconv.FormatInt(ms[len(ms)-1].ID, 10)
	}
	for _, m := range ms {
		id := strconv.FormatInt(m.ID, 10)
		row := MessageRow{ID: m.ID, Anchor: "m" + id, Kind: registry.MessageKindLabel(m.Kind), Subject: m.Subject,
			Href: m.Href, At: DateTime(m.CreatedAt), Unread: m.ReadAt == nil, ReadAt: DateTimePtr(m.ReadAt),
			Action: p.Root() + "/messages/" + id + "/read", Version: strconv.Itoa(m.Version)}
		v.Rows = append(v.Rows, row)
	}
	return v
}
