package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// filingRoutes mounts 备案 (filing) work in a tier's area.
func (s *Server) filingRoutes(r chi.Router, tier portal.Tier) {}

// publicRoutes mounts the pages anyone may open: the 备案证明 verification page and the public directory.
func (s *Server) publicRoutes(r chi.Router) {}
