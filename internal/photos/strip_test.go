package photos

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// segment is a JPEG marker segment with payload.
func segment(marker byte, payload string) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// pngChunk is a PNG chunk of type typ with data.
func pngChunk(typ, data string) []byte {
	c := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	copy(c[4:], typ)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// A stored photo keeps no GPS position, camera serial, author or comment (PIPL Art. 51), yet still shows upright
// and decodes; a PNG loses its eXIf and text chunks likewise.
func TestSavedPhotosLoseIdentifyingMetadata(t *testing.T) {
	const secret = "GPSLatitude 29.7165N 106.6312E serial CAM-0042 author 张三"
	jpg := withExif(halves(t, 64, 32), binary.LittleEndian, 6)
	// A second Exif-like block with the secrets (as a GPS IFD would hold them), XMP, IPTC and a comment.
	var extra []byte
	extra = append(extra, segment(0xE1, "Exif\x00\x00"+secret)...)
	extra = append(extra, segment(0xE1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+secret+"</x:xmpmeta>")...)
	extra = append(extra, segment(0xED, "Photoshop 3.0\x00"+secret)...)
	extra = append(extra, segment(0xFE, secret)...)
	at := 4 + int(binary.BigEndian.Uint16(jpg[4:])) // after the camera's own Exif segment
	jpg = append(append(append([]byte{}, jpg[:at]...), extra...), jpg[at:]...)

	pngBytes := encoded(t, 40, 30, true)
	var withText []byte
	withText = append(withText, pngBytes[:33]...) // signature and IHDR
	withText = append(withText, pngChunk("tEXt", "Author\x00"+secret)...)
	withText = append(withText, pngChunk("eXIf", "MM\x00*"+secret)...)
	withText = append(withText, pngBytes[33:]...)

	s := New(t.TempDir())
	for name, b := range map[string][]byte{"jpeg": jpg, "png": withText} {
		p, err := s.Prepare(context.Background(), bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st, err := s.Save(p, bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stored, err := os.ReadFile(s.Path(st.Key))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte("29.7165N")) || bytes.Contains(stored, []byte("CAM-0042")) ||
			bytes.Contains(stored, []byte("张三")) || bytes.Contains(stored, []byte("xmpmeta")) {
			t.Errorf("%s: the stored photo still holds identifying metadata", name)
		}
		if st.Size != int64(len(stored)) {
			t.Errorf("%s: recorded size %d, stored %d bytes", name, st.Size, len(stored))
		}
		if name == "jpeg" {
			if _, err := jpeg.Decode(bytes.NewReader(stored)); err != nil {
				t.Errorf("the stripped JPEG does not decode: %v", err)
			}
			if o := exifOrientation(stored); o != 6 {
				t.Errorf("the stripped JPEG's orientation is %d, want 6 (kept, so it shows upright)", o)
			}
		} else if _, err := png.Decode(bytes.NewReader(stored)); err != nil {
			t.Errorf("the stripped PNG does not decode: %v", err)
		}
	}
}

// A 16-bit PNG whose pixels would take 8 bytes each is refused by its header before it is decoded, where an
// 8-bit one of the same size would be taken (the decoded size, not just the pixel count, is bounded).
func TestDecodedSizeIsBoundedBeforeDecoding(t *testing.T) {
	ihdr := func(w, h uint32, depth, colorType byte) []byte {
		d := make([]byte, 13)
		binary.BigEndian.PutUint32(d, w)
		binary.BigEndian.PutUint32(d[4:], h)
		d[8], d[9] = depth, colorType
		b := append([]byte{}, pngMagic...)
		b = append(b, pngChunk("IHDR", string(d))...)
		return append(b, pngChunk("IDAT", "\x78\x9c")...)
	}
	_, err := New(t.TempDir()).Prepare(context.Background(), bytes.NewReader(ihdr(5000, 4000, 16, 6)))
	if err != ErrPixels {
		t.Fatalf("a 20-megapixel 16-bit PNG: %v, want ErrPixels before decoding", err)
	}
}
