// Package uploads keeps the documents users upload (章程, 成员名册): checked by their content, stored under a
// random name in a folder that is never served directly, and handed back only as attachments (SECURITY.md 14).
package uploads

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFileSize is the largest document accepted: a scanned 章程 or 成员名册 of a few dozen pages fits easily.
const MaxFileSize = 10 << 20

// Errors a check reports; the caller turns them into a message at the form's field.
var (
	ErrEmpty    = errors.New("uploads: empty file")
	ErrTooLarge = errors.New("uploads: file too large")
	ErrType     = errors.New("uploads: not a PDF, JPEG or PNG")
)

// Content types accepted, each with the magic bytes its content must start with. http.DetectContentType and the
// magic bytes must agree: a sniffing table alone is wider than we want (it guesses), magic bytes alone would
// accept anything that merely starts right.
var accepted = []struct {
	contentType string
	magic       []byte
	ext         string
}{
	{"application/pdf", []byte("%PDF-"), ".pdf"},
	{"image/jpeg", []byte{0xFF, 0xD8, 0xFF}, ".jpg"},
	{"image/png", []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, ".png"},
}

// File is what the database records about a stored upload.
type File struct {
	Key         string // the random name in the upload folder
	Filename    string // as uploaded, cleaned, for the download's name only
	ContentType string // detected from the content
	Size        int64
	SHA256      string // hex
}

// Store is the upload folder.
type Store struct {
	dir string
	max int64
}

// New is the store in dir (created 0700 on first save).
func New(dir string) *Store { return &Store{dir: dir, max: MaxFileSize} }

// Check reads what it needs of f (size bytes long) and tells whether it would be accepted, returning the detected
// content type. It writes nothing, so a form can be checked whole before anything is kept.
func (s *Store) Check(f io.Reader, size int64) (string, error) {
	if size <= 0 {
		return "", ErrEmpty
	}
	if size > s.max {
		return "", ErrTooLarge
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	if n == 0 {
		return "", ErrEmpty
	}
	return detect(head[:n])
}

func detect(head []byte) (string, error) {
	sniffed := http.DetectContentType(head)
	for _, a := range accepted {
		if sniffed == a.contentType && len(head) >= len(a.magic) && string(head[:len(a.magic)]) == string(a.magic) {
			return a.contentType, nil
		}
	}
	return "", ErrType
}

// Save stores f under a new random name, checking its content and size again as it copies (the size a client
// declares is not trusted). Nothing is left behind when it fails.
func (s *Store) Save(f io.Reader, filename string) (File, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return File{}, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return File{}, err
	}
	if n == 0 {
		return File{}, ErrEmpty
	}
	ct, err := detect(head[:n])
	if err != nil {
		return File{}, err
	}
	key := newKey()
	path := filepath.Join(s.dir, key)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	w := io.MultiWriter(out, h)
	written, err := io.Copy(w, io.MultiReader(bytes.NewReader(head[:n]), io.LimitReader(f, s.max+1-int64(n))))
	if err == nil && written > s.max {
		err = ErrTooLarge
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return File{}, err
	}
	return File{Key: key, Filename: CleanFilename(filename, ct), ContentType: ct, Size: written,
		SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Remove deletes a stored file; a file already gone is not an error.
func (s *Store) Remove(key string) error {
	if !validKey(key) {
		return fmt.Errorf("uploads: bad key")
	}
	err := os.Remove(filepath.Join(s.dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Serve sends a stored file as an attachment named filename: never rendered inline by the browser, never sniffed
// into something executable.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, f File) error {
	if !validKey(f.Key) {
		return os.ErrNotExist
	}
	file, err := os.Open(filepath.Join(s.dir, f.Key))
	if err != nil {
		return err
	}
	defer file.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, file)
	return nil
}

var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func validKey(k string) bool { return keyPattern.MatchString(k) }

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// CleanFilename keeps the base of an uploaded file's name for the download, without path parts or control
// characters, at most 100 characters, ending in the extension of its real type.
func CleanFilename(name, contentType string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	ext := ""
	for _, a := range accepted {
		if a.contentType == contentType {
			ext = a.ext
		}
	}
	base := strings.TrimSuffix(name, filepath.Ext(name))
	if r := []rune(base); len(r) > 100 {
		base = string(r[:100])
	}
	if base == "" {
		base = "document"
	}
	return base + ext
}
