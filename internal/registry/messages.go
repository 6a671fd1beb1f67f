package registry

import "time"

// Message is one 站内消息 in an account's inbox.
type Message struct {
	ID        int64
	Kind      string // application, filing, notice, work_report
	Subject   string
	Href      string // the record it is about, under the recipient's own tier
	CreatedAt time.Time
	ReadAt    *time.Time
	Version   int
}

// MessageKindLabel is a message's kind as clerks say it.
func MessageKindLabel(kind string) string {
	return map[string]string{"application": "登记申请", "filing": "备案", "notice": "重大活动",
		"work_report": "定期工作报告"}[kind]
}

// UnreadShown caps the unread count a header shows ("99+"): the count reads at most this many rows.
const UnreadShown = 99

// MessagesPerPage is one inbox page.
const MessagesPerPage = 50
