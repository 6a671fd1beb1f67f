package photos

import (
	"bytes"
	"encoding/binary"
)

// stripMetadata gives the photo without the metadata that can identify a person or a place (PIPL Art. 51):
// in a JPEG every Exif, XMP and IPTC segment (APP1, APP3–APP13, APP15) and comments go, and the Exif
// orientation, which says how to show the picture upright, comes back alone in a minimal Exif segment; in a
// PNG the eXIf, text and time chunks go. The pixels are not touched. A file it cannot walk is returned as is
// (Prepare decoded it already, so that does not happen for a photo that was accepted).
func stripMetadata(b []byte, contentType string) []byte {
	switch contentType {
	case "image/jpeg":
		if out, ok := stripJPEG(b); ok {
			return out
		}
	case "image/png":
		if out, ok := stripPNG(b); ok {
			return out
		}
	}
	return b
}

func stripJPEG(b []byte) ([]byte, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, false
	}
	orientation := exifOrientation(b)
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	inserted := false
	insert := func() {
		if !inserted && orientation != 1 {
			out = append(out, orientationSegment(orientation)...)
		}
		inserted = true
	}
	p := 2
	for p+4 <= len(b) {
		if b[p] != 0xFF {
			return nil, false
		}
		marker := b[p+1]
		if marker == 0xFF { // fill byte
			p++
			continue
		}
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			out = append(out, b[p:p+2]...)
			p += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan: the rest is the picture
			insert()
			return append(out, b[p:]...), true
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return nil, false
		}
		drop := marker == 0xE1 || (marker >= 0xE3 && marker <= 0xED) || marker == 0xEF || marker == 0xFE
		if marker != 0xE0 { // the orientation goes after JFIF's APP0, which must come first
			insert()
		}
		if !drop {
			out = append(out, b[p:p+2+n]...)
		}
		p += 2 + n
	}
	return nil, false
}

// orientationSegment is an APP1 Exif segment holding only the orientation tag (big-endian TIFF, one entry).
func orientationSegment(orientation int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // header, first IFD at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, // Orientation, SHORT, 1, value
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// pngDropped are the chunks that carry metadata rather than pixels.
var pngDropped = map[string]bool{"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true, "tIME": true}

func stripPNG(b []byte) ([]byte, bool) {
	if !bytes.HasPrefix(b, pngMagic) {
		return nil, false
	}
	out := make([]byte, 0, len(b))
	out = append(out, pngMagic...)
	for p := len(pngMagic); p < len(b); {
		if p+8 > len(b) {
			return nil, false
		}
		n := int(binary.BigEndian.Uint32(b[p:]))
		end := p + 12 + n
		if n < 0 || end > len(b) {
			return nil, false
		}
		if !pngDropped[string(b[p+4:p+8])] {
			out = append(out, b[p:end]...)
		}
		p = end
	}
	return out, true
}
