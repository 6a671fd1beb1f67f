package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// orgRecordRoutes mounts creating, viewing and changing one organization in a tier's area.
func (s *Server) orgRecordRoutes(r chi.Router, tier portal.Tier) {}
