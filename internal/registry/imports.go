package registry

import (
	"github.com/yubei-cso/portal/internal/portal"
)

// MayImport says whether scope may import guided groups from a 台账: a 村(居)委会 into its own community, a
// 镇街 into its communities. The district registers nothing this way.
func MayImport(scope portal.Scope) bool {
	return portal.Can(scope.Tier, portal.ImportOrgs)
}

// ImportCommunity is a community a clerk may import into, with the names its groups' names are made of.
type ImportCommunity struct {
	Code         string
	Name         string
	TownName     string
	DistrictName string
}
