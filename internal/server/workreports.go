package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// workReportRoutes mounts periodic work reports (定期工作报告) and yearly evaluations (评估评议).
func (s *Server) workReportRoutes(r chi.Router, tier portal.Tier) {}
