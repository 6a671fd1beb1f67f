package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// noticeRoutes mounts major-activity notices (重大活动报告) in a tier's area.
func (s *Server) noticeRoutes(r chi.Router, tier portal.Tier) {}
