package registry

import "time"

// Documents kept with the cultivation records: the 委托协议 of a platform an operator runs for the government,
// the 安家协议 of a group's home at a platform, and the 验收 report of a 购买服务 contract.
const (
	DocEntrustment   = "委托协议"
	DocHomeAgreement = "安家协议"
	DocAcceptance    = "验收报告"
)

// CultivationDocument is one stored document of a platform, a home or a contract.
type CultivationDocument struct {
	ID          int64
	Kind        string
	HousingID   int64  // the home an 安家协议 belongs to, 0 otherwise
	Of          string // the group of a home, "" for the platform's or the contract's own
	Filename    string
	ContentType string
	SizeBytes   int64
	StorageKey  string
	UploadedAt  time.Time
}
