package seed

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

// sources is this package's own code, so that test templates can be named after what the demo data is made of.
//
//go:embed *.go *.csv
var sources embed.FS

// SourceDigest changes whenever the code or data that makes the demo data changes; testdb names its template
// database after it, so a changed seed never meets a stale template.
func SourceDigest() string {
	h := sha256.New()
	_ = fs.WalkDir(sources, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(sources, p)
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
