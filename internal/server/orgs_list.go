package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// orgListRoutes mounts the organization lists and their exports in a tier's area.
func (s *Server) orgListRoutes(r chi.Router, tier portal.Tier) {}
