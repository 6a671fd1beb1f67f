package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// PublicPhotoItem is a photo on the public profile.
type PublicPhotoItem struct {
	Thumb, Full, Alt string
}

// NewPublicPhotos are the profile's photos of group org: each names its activity and date, never a person.
func NewPublicPhotos(org int64, list []registry.PublicPhoto) []PublicPhotoItem {
	var out []PublicPhotoItem
	base := "/orgs/" + strconv.FormatInt(org, 10) + "/photos/"
	for _, p := range list {
		href := base + strconv.FormatInt(p.ID, 10)
		out = append(out, PublicPhotoItem{Thumb: href + "/thumb", Full: href,
			Alt: p.Title + "（" + Date(p.Date) + "）照片 " + strconv.Itoa(p.Position)})
	}
	return out
}

// PhotoPublicForm marks which photos of a report the public profile shows; empty when the viewer may not.
type PhotoPublicForm struct {
	Action  string
	Version string
	Photos  []PhotoMark
}

// PhotoMark is one photo's checkbox.
type PhotoMark struct {
	ID, Label, Thumb string
	Public           bool
}
