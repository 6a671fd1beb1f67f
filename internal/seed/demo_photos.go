package seed

// Demo photos: the published demo 典型案例 and the latest activity report of a few demo groups get pictures, so
// that `make run` shows photos on the public case pages and on profiles. The pictures are drawn here (a sky, a
// sun and hills in a palette per picture), encoded as JPEG and stored through internal/photos, which checks them
// and strips any metadata as it does an upload; the report photos are marked public as a committee would.

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"math"

	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// demoPhotoReports is how many groups' latest reports get a public photo.
const demoPhotoReports = 4

// LoadDemoPhotos stores the demo photos once (the fact demo_photos_loaded), after LoadDemo; it reports whether
// it stored any.
func LoadDemoPhotos(ctx context.Context, db *postgres.DB, ph *photos.Store) (bool, error) {
	done, err := db.Fact(ctx, "demo_photos_loaded")
	if err != nil || done != "" {
		return false, err
	}
	cases, reports, err := db.DemoPhotoTargets(ctx, []string{"demo-community", "demo-community2"}, demoPhotoReports)
	if err != nil {
		return false, err
	}
	var keys []string
	n := 0
	store := func(count int) ([]registry.ReportPhotoInput, error) {
		var out []registry.ReportPhotoInput
		for range count {
			b, err := demoPicture(n)
			n++
			if err != nil {
				return nil, err
			}
			p, err := ph.Prepare(ctx, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			s, err := ph.Save(p, bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			keys = append(keys, s.Key, s.ThumbKey)
			out = append(out, registry.ReportPhotoInput{ContentType: s.ContentType, Size: s.Size, Width: s.Width,
				Height: s.Height, StorageKey: s.Key, ThumbKey: s.ThumbKey, ThumbType: s.ThumbType, SHA256: s.SHA256})
		}
		return out, nil
	}
	caseLoads, reportLoads := map[int64][]registry.ReportPhotoInput{}, map[int64][]registry.ReportPhotoInput{}
	err = func() error {
		for i, id := range cases {
			if caseLoads[id], err = store(1 + i%2); err != nil {
				return err
			}
		}
		for _, id := range reports {
			if reportLoads[id], err = store(1); err != nil {
				return err
			}
		}
		return db.LoadDemoPhotos(ctx, system, caseLoads, reportLoads)
	}()
	if err != nil {
		_ = ph.Remove(keys...)
		return false, err
	}
	return n > 0, db.SetFact(ctx, "demo_photos_loaded", "yes")
}

// demoPalettes are the sky, the far hills and the near hills of each picture.
var demoPalettes = [][3]color.RGBA{
	{{135, 190, 235, 255}, {96, 150, 110, 255}, {58, 112, 70, 255}},
	{{250, 200, 150, 255}, {170, 120, 110, 255}, {110, 80, 90, 255}},
	{{180, 215, 240, 255}, {120, 170, 190, 255}, {70, 120, 150, 255}},
	{{230, 230, 200, 255}, {150, 170, 90, 255}, {100, 130, 60, 255}},
	{{200, 225, 250, 255}, {140, 140, 170, 255}, {80, 95, 120, 255}},
}

// demoPicture draws picture i: 800×600, a vertical sky gradient, a sun and two ridges of hills.
func demoPicture(i int) ([]byte, error) {
	const w, h = 800, 600
	pal := demoPalettes[i%len(demoPalettes)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sunX, sunY := float64(150+(i*173)%500), float64(90+(i*61)%120)
	phase := float64(i) * 1.7
	for y := range h {
		for x := range w {
			fx, fy := float64(x), float64(y)
			far := 330 + 40*math.Sin(fx/90+phase) + 20*math.Sin(fx/37+phase*2)
			near := 430 + 50*math.Sin(fx/140+phase*3) + 15*math.Sin(fx/23)
			var c color.RGBA
			switch {
			case fy > near:
				c = shade(pal[2], 1-0.25*(fy-near)/float64(h))
			case fy > far:
				c = shade(pal[1], 1-0.2*(fy-far)/float64(h))
			case math.Hypot(fx-sunX, fy-sunY) < 45:
				c = color.RGBA{255, 235, 150, 255}
			default:
				c = shade(pal[0], 0.85+0.15*fy/far)
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 82})
	return b.Bytes(), err
}

func shade(c color.RGBA, f float64) color.RGBA {
	m := func(v uint8) uint8 { return uint8(math.Max(0, math.Min(255, float64(v)*f))) }
	return color.RGBA{m(c.R), m(c.G), m(c.B), 255}
}
