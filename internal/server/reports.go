package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// reportRoutes mounts activity reports (活动报告) in a tier's area.
func (s *Server) reportRoutes(r chi.Router, tier portal.Tier) {}
