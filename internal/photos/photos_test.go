package photos

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
)

func encoded(t *testing.T, w, h int, asPNG bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPrepareChecksContent(t *testing.T) {
	s := New(t.TempDir())
	ctx := context.Background()
	good := encoded(t, 1000, 400, false)
	p, err := s.Prepare(ctx, bytes.NewReader(good))
	if err != nil || p.ContentType != "image/jpeg" || p.Width != 1000 || p.Height != 400 {
		t.Fatalf("jpeg: %+v %v", p, err)
	}
	thumb, err := jpeg.DecodeConfig(bytes.NewReader(p.thumb))
	if err != nil || thumb.Width != ThumbWidth || thumb.Height != 128 {
		t.Fatalf("thumbnail: %+v %v", thumb, err)
	}
	pngBytes := encoded(t, 50, 60, true)
	for name, c := range map[string]struct {
		b    []byte
		want error
	}{
		"text":          {[]byte("hello, this is text"), ErrType},
		"empty":         {nil, ErrEmpty},
		"truncated png": {pngBytes[:len(pngBytes)/2], ErrType},
		"png magic, text after": {append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
			[]byte(strings.Repeat("x", 100))...), ErrType},
		"gif":       {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ErrType},
		"too large": {append(append([]byte{}, good...), make([]byte, MaxSize)...), ErrTooLarge},
	} {
		if _, err := s.Prepare(ctx, bytes.NewReader(c.b)); !errors.Is(err, c.want) {
			t.Errorf("%s: want %v, got %v", name, c.want, err)
		}
	}
}

func TestSaveStoresBothAndChecksTheBytes(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	b := encoded(t, 30, 20, true)
	p, err := s.Prepare(context.Background(), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Save(p, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !ValidKey(st.Key) || !ValidKey(st.ThumbKey) || st.ContentType != "image/png" || st.ThumbType != "image/jpeg" {
		t.Fatalf("stored: %+v", st)
	}
	if got, _ := os.ReadFile(s.Path(st.Key)); !bytes.Equal(got, b) {
		t.Error("original not stored as uploaded")
	}
	if _, err := s.Save(p, bytes.NewReader(encoded(t, 30, 20, false))); !errors.Is(err, ErrChanged) {
		t.Errorf("other bytes: want ErrChanged, got %v", err)
	}
	if err := s.Remove(st.Key, st.ThumbKey); err != nil {
		t.Fatal(err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("files left: %d", len(es))
	}
	if _, err := s.Open("../etc/passwd"); err == nil {
		t.Error("a path outside the folder opened")
	}
}
