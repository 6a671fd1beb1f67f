package photos

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// withExif is jpg with an Exif block, written as a camera writes it (in byte order order), naming orientation o.
func withExif(jpg []byte, order binary.ByteOrder, o uint16) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1)       // one entry
	order.PutUint16(tiff[10:], 0x0112) // Orientation
	order.PutUint16(tiff[12:], 3)      // SHORT
	order.PutUint32(tiff[14:], 1)      // one value
	order.PutUint16(tiff[18:], o)      // the value, left-justified
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// halves is a w × h JPEG whose left half is red and right half blue.
func halves(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 220, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func redAt(img image.Image, x, y int) bool {
	r, _, b, _ := img.At(x, y).RGBA()
	return r > 2*b
}

// A phone's portrait photo — stored on its side with orientation 6 — gets an upright thumbnail and upright
// dimensions; the other orientations turn or mirror it as Exif defines.
func TestThumbnailsFollowExifOrientation(t *testing.T) {
	s := New(t.TempDir())
	plain := halves(t, 80, 40) // stored landscape: red left, blue right
	cases := []struct {
		o       uint16
		order   binary.ByteOrder
		w, h    int
		redTop  bool // for the portrait cases: red in the top half
		redLeft bool // for the landscape cases: red in the left half
	}{
		{1, binary.BigEndian, 80, 40, false, true},
		{2, binary.LittleEndian, 80, 40, false, false},
		{3, binary.BigEndian, 80, 40, false, false},
		{4, binary.BigEndian, 80, 40, false, true},
		{5, binary.LittleEndian, 40, 80, true, false},
		{6, binary.BigEndian, 40, 80, true, false},
		{6, binary.LittleEndian, 40, 80, true, false},
		{7, binary.BigEndian, 40, 80, false, false},
		{8, binary.BigEndian, 40, 80, false, false},
	}
	for _, c := range cases {
		p, err := s.Prepare(context.Background(), bytes.NewReader(withExif(plain, c.order, c.o)))
		if err != nil {
			t.Fatalf("orientation %d: %v", c.o, err)
		}
		if p.Width != c.w || p.Height != c.h {
			t.Errorf("orientation %d: recorded %d×%d, want %d×%d", c.o, p.Width, p.Height, c.w, c.h)
		}
		th, err := jpeg.Decode(bytes.NewReader(p.thumb))
		if err != nil {
			t.Fatal(err)
		}
		if b := th.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("orientation %d: thumbnail %v, want %d×%d", c.o, b, c.w, c.h)
		}
		if c.w > c.h {
			if got := redAt(th, 10, 20); got != c.redLeft {
				t.Errorf("orientation %d: red on the left = %v, want %v", c.o, got, c.redLeft)
			}
		} else if got := redAt(th, 20, 10); got != c.redTop {
			t.Errorf("orientation %d: red at the top = %v, want %v", c.o, got, c.redTop)
		}
	}
}

// Whatever bytes follow the JPEG signature, reading the orientation never panics and answers 1–8.
func FuzzExifOrientation(f *testing.F) {
	f.Add(withExif([]byte{0xFF, 0xD8, 0xFF, 0xD9}, binary.BigEndian, 6))
	f.Add(withExif([]byte{0xFF, 0xD8, 0xFF, 0xD9}, binary.LittleEndian, 3))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x02})
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := exifOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}
