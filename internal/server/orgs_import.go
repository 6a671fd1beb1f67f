package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// orgImportRoutes mounts the 台账 spreadsheet template and import in a tier's area.
func (s *Server) orgImportRoutes(r chi.Router, tier portal.Tier) {}
