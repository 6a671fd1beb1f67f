package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// applicationRoutes mounts registration applications (登记申请) in a tier's area.
func (s *Server) applicationRoutes(r chi.Router, tier portal.Tier) {}
