package uploads

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func samplePDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

func sampleImage(t *testing.T, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func samplePNG(t *testing.T) []byte {
	return sampleImage(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
}

func sampleJPEG(t *testing.T) []byte {
	return sampleImage(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestCheckAndSaveAccepted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	s := New(dir)
	for _, c := range []struct {
		name, ct, ext string
		data          []byte
	}{
		{"章程.pdf", "application/pdf", ".pdf", samplePDF()},
		{"名册.png", "image/png", ".png", samplePNG(t)},
		{"scan.jpeg", "image/jpeg", ".jpg", sampleJPEG(t)},
	} {
		ct, err := s.Check(bytes.NewReader(c.data), int64(len(c.data)))
		if err != nil || ct != c.ct {
			t.Fatalf("%s: Check = %q, %v", c.name, ct, err)
		}
		f, err := s.Save(bytes.NewReader(c.data), c.name)
		if err != nil {
			t.Fatalf("%s: Save: %v", c.name, err)
		}
		sum := sha256.Sum256(c.data)
		if f.ContentType != c.ct || f.Size != int64(len(c.data)) || f.SHA256 != hex.EncodeToString(sum[:]) ||
			!validKey(f.Key) || !strings.HasSuffix(f.Filename, c.ext) {
			t.Fatalf("%s: stored %+v", c.name, f)
		}
		got, err := os.ReadFile(filepath.Join(dir, f.Key))
		if err != nil || !bytes.Equal(got, c.data) {
			t.Fatalf("%s: stored bytes differ (%v)", c.name, err)
		}
		st, _ := os.Stat(filepath.Join(dir, f.Key))
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", c.name, st.Mode())
		}
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("upload dir mode %v (%v)", st.Mode(), err)
	}
}

func TestRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	s := New(dir)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	// An executable or a page renamed .pdf, a PNG look-alike, and text that holds %PDF- further on all fail.
	fakePNG := []byte("\x89PNX\r\n\x1a\nnot really")
	for name, data := range map[string][]byte{"virus.pdf": exe, "page.pdf": html, "fake.png": fakePNG,
		"text.pdf": []byte("just some text %PDF-1.4")} {
		if _, err := s.Check(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrType) {
			t.Errorf("%s: Check = %v, want ErrType", name, err)
		}
		if _, err := s.Save(bytes.NewReader(data), name); !errors.Is(err, ErrType) {
			t.Errorf("%s: Save = %v, want ErrType", name, err)
		}
	}
	if _, err := s.Check(bytes.NewReader(nil), 0); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("files left behind: %v", got)
	}
}

func TestTooLarge(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	big := append(samplePDF(), bytes.Repeat([]byte("x"), MaxFileSize)...)
	if _, err := s.Check(bytes.NewReader(big), int64(len(big))); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Check = %v", err)
	}
	// A client that understates the size is caught while copying, and the partial file removed.
	if _, err := s.Save(bytes.NewReader(big), "big.pdf"); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Save = %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("files left behind: %v", got)
	}
	exact := append(samplePDF(), bytes.Repeat([]byte("x"), MaxFileSize-len(samplePDF()))...)
	if _, err := s.Save(bytes.NewReader(exact), "exact.pdf"); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
}

func TestServeAsAttachment(t *testing.T) {
	s := New(t.TempDir())
	f, err := s.Save(bytes.NewReader(samplePDF()), `C:\docs\社区"章程".pdf`)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := s.Serve(rec, httptest.NewRequest(http.MethodGet, "/x", nil), f); err != nil {
		t.Fatal(err)
	}
	h := rec.Header()
	if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "application/pdf" {
		t.Errorf("headers %v", h)
	}
	if !bytes.Equal(rec.Body.Bytes(), samplePDF()) {
		t.Errorf("body differs")
	}
	if f.Filename != "社区章程.pdf" {
		t.Errorf("filename %q", f.Filename)
	}
	if err := s.Serve(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil),
		File{Key: "../../etc/passwd"}); err == nil {
		t.Error("a key that is not ours was served")
	}
	if err := s.Remove(f.Key); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(f.Key); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}
