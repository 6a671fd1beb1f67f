// Package photos keeps the photos of activity reports: JPEG or PNG only, recognised by their content and decoded
// whole before anything is kept, at most MaxSize bytes and MaxPixels pixels each, stored with a JPEG thumbnail
// under random names in a folder that is never served directly (SECURITY.md 14).
//
// The documents package internal/uploads takes PDFs and ten megabytes and makes no thumbnails, so photos have
// their own, smaller rules here; the file naming (32 hex characters) is the same.
package photos

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
)

// Limits of one photo.
const (
	MaxSize    = 5 << 20          // bytes of the file as uploaded
	MaxPixels  = 25_000_000       // width × height: a 24-megapixel camera fits; a decompression bomb does not
	MaxCount   = 6                // photos per report
	ThumbWidth = 320              // a thumbnail fits in ThumbWidth × ThumbWidth
	thumbType  = "image/jpeg"     // thumbnails are always JPEG
	decodeSlot = 2                // photos decoded at once per process, to bound memory on a 2-core machine
	keyChars   = `^[0-9a-f]{32}$` // a stored file's name
)

// Errors a check reports; the caller turns them into a message at the form's field.
var (
	ErrEmpty    = errors.New("photos: empty file")
	ErrTooLarge = errors.New("photos: file too large")
	ErrType     = errors.New("photos: not a JPEG or PNG image")
	ErrPixels   = errors.New("photos: image has too many pixels")
	ErrChanged  = errors.New("photos: file changed between check and save")
)

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
	keyRe     = regexp.MustCompile(keyChars)
)

// Store is the photo folder.
type Store struct {
	dir   string
	slots chan struct{}
}

// New is the store in dir (created 0700 on first save).
func New(dir string) *Store { return &Store{dir: dir, slots: make(chan struct{}, decodeSlot)} }

// Prepared is a photo that passed every check, with its thumbnail made, ready to be saved. Width and Height are
// the upright picture's, after the turn its Exif orientation asks for.
type Prepared struct {
	ContentType string
	Size        int64
	Width       int
	Height      int
	SHA256      string
	thumb       []byte
}

// Stored is what the database records about a saved photo.
type Stored struct {
	Key         string
	ThumbKey    string
	ThumbType   string
	ContentType string
	Size        int64
	Width       int
	Height      int
	SHA256      string
}

// Prepare reads a photo whole (at most MaxSize bytes), recognises it by its content — the magic bytes and Go's
// sniffer must agree, and the image must decode completely — and makes its thumbnail. It writes nothing and
// keeps only the thumbnail, so a form of six photos does not hold thirty megabytes while it is checked.
func (s *Store) Prepare(ctx context.Context, r io.Reader) (Prepared, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Prepared{}, err
	}
	switch {
	case len(b) == 0:
		return Prepared{}, ErrEmpty
	case len(b) > MaxSize:
		return Prepared{}, ErrTooLarge
	}
	ct := detect(b)
	if ct == "" {
		return Prepared{}, ErrType
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || "image/"+format != ct {
		return Prepared{}, ErrType
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Prepared{}, ErrType
	}
	if cfg.Width*cfg.Height > MaxPixels || cfg.Width*cfg.Height*decodedBytesPerPixel(cfg.ColorModel) > maxDecoded {
		return Prepared{}, ErrPixels
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return Prepared{}, ctx.Err()
	}
	var img image.Image
	if ct == "image/png" {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return Prepared{}, ErrType
	}
	orientation := 1
	if ct == "image/jpeg" {
		orientation = exifOrientation(b)
	}
	width, height := cfg.Width, cfg.Height
	if orientation >= 5 {
		width, height = height, width
	}
	var thumb bytes.Buffer
	if err := jpeg.Encode(&thumb, upright(Thumbnail(img, ThumbWidth), orientation), &jpeg.Options{Quality: 80}); err != nil {
		return Prepared{}, err
	}
	sum := sha256.Sum256(b)
	return Prepared{ContentType: ct, Size: int64(len(b)), Width: width, Height: height,
		SHA256: hex.EncodeToString(sum[:]), thumb: thumb.Bytes()}, nil
}

// maxDecoded bounds the memory one decoded photo takes, so that decodeSlot decodes at once stay well under the
// portal's memory budget (300 MB resident with ten bombs at once, TestImageBombsKeepThePortalSmall): a JPEG of
// MaxPixels (3 bytes a pixel) fits, an 8-bit RGBA PNG fits up to 20 megapixels, a 16-bit one up to 10. At
// 100 MB, ten 25-megapixel RGBA PNGs at once took the portal to 286 MB.
const maxDecoded = 80 << 20

// decodedBytesPerPixel is what Go's decoders allocate per pixel for an image of colour model m.
func decodedBytesPerPixel(m color.Model) int {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	}
	return 4
}

// detect names the content type when the magic bytes and http.DetectContentType agree, else "".
func detect(b []byte) string {
	sniffed := http.DetectContentType(b)
	switch {
	case sniffed == "image/jpeg" && bytes.HasPrefix(b, jpegMagic):
		return "image/jpeg"
	case sniffed == "image/png" && bytes.HasPrefix(b, pngMagic):
		return "image/png"
	}
	return ""
}

// Save stores a prepared photo, read again from src, and its thumbnail under two new random names. The bytes
// must be the ones Prepare checked (same size and SHA-256), or nothing is kept: ErrChanged. What is stored is the
// photo without its identifying metadata (stripMetadata: no GPS position, camera serial or author); Size and
// SHA256 of the result describe the stored file. Nothing is left behind when it fails.
func (s *Store) Save(p Prepared, src io.Reader) (Stored, error) {
	if len(p.thumb) == 0 {
		return Stored{}, ErrEmpty
	}
	b, err := io.ReadAll(io.LimitReader(src, MaxSize+1))
	if err != nil {
		return Stored{}, err
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != p.SHA256 {
		return Stored{}, ErrChanged
	}
	b = stripMetadata(b, p.ContentType)
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return Stored{}, err
	}
	key, err := s.write(bytes.NewReader(b))
	if err != nil {
		return Stored{}, err
	}
	thumbKey, err := s.write(bytes.NewReader(p.thumb))
	if err != nil {
		_ = s.Remove(key)
		return Stored{}, err
	}
	sum := sha256.Sum256(b)
	return Stored{Key: key, ThumbKey: thumbKey, ThumbType: thumbType, ContentType: p.ContentType,
		Size: int64(len(b)), Width: p.Width, Height: p.Height, SHA256: hex.EncodeToString(sum[:])}, nil
}

func (s *Store) write(r io.Reader) (string, error) {
	key := newKey()
	path := filepath.Join(s.dir, key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return "", err
	}
	return key, nil
}

// Remove deletes stored files; a file already gone is not an error.
func (s *Store) Remove(keys ...string) error {
	var errs []error
	for _, k := range keys {
		if !ValidKey(k) {
			errs = append(errs, errors.New("photos: bad key"))
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, k)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Open opens a stored file for reading.
func (s *Store) Open(key string) (*os.File, error) {
	if !ValidKey(key) {
		return nil, os.ErrNotExist
	}
	return os.Open(filepath.Join(s.dir, key))
}

// Path is where a stored file lives, for tests and backups.
func (s *Store) Path(key string) string { return filepath.Join(s.dir, key) }

// ValidKey reports whether k can name a stored file (and so cannot name anything outside the folder).
func ValidKey(k string) bool { return keyRe.MatchString(k) }

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Thumbnail scales img down to fit in size × size pixels (never up), averaging a grid of up to 4 × 4 samples of
// the source under each thumbnail pixel, and lays transparency over white, as a JPEG cannot hold it.
func Thumbnail(img image.Image, size int) *image.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if dw > size || dh > size {
		if sw >= sh {
			dw, dh = size, sh*size/sw
		} else {
			dw, dh = sw*size/sh, size
		}
	}
	dw, dh = max(dw, 1), max(dh, 1)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		y0, y1 := b.Min.Y+y*sh/dh, b.Min.Y+(y+1)*sh/dh
		if y1 <= y0 {
			y1 = y0 + 1
		}
		for x := range dw {
			x0, x1 := b.Min.X+x*sw/dw, b.Min.X+(x+1)*sw/dw
			if x1 <= x0 {
				x1 = x0 + 1
			}
			dst.SetRGBA(x, y, average(img, x0, y0, x1, y1))
		}
	}
	return dst
}

// average is the mean colour of up to 4 × 4 evenly spread samples of the box [x0,x1) × [y0,y1), over white.
func average(img image.Image, x0, y0, x1, y1 int) color.RGBA {
	nx, ny := min(4, x1-x0), min(4, y1-y0)
	var r, g, b, n uint64
	for j := range ny {
		sy := y0 + (2*j+1)*(y1-y0)/(2*ny)
		for i := range nx {
			sx := x0 + (2*i+1)*(x1-x0)/(2*nx)
			cr, cg, cb, ca := img.At(sx, sy).RGBA() // alpha-premultiplied, 16 bits
			white := uint64(0xffff - ca)
			r += uint64(cr) + white
			g += uint64(cg) + white
			b += uint64(cb) + white
			n++
		}
	}
	return color.RGBA{R: uint8(r / n >> 8), G: uint8(g / n >> 8), B: uint8(b / n >> 8), A: 0xff}
}
