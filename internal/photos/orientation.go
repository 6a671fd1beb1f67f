package photos

import (
	"encoding/binary"
	"image"
)

// Phones store a photo as the sensor saw it and note in its Exif block how to turn it for viewing. Browsers honour
// the note when they show the original, but a thumbnail re-encoded without it would lie on its side, so the
// thumbnail is turned here, and the recorded width and height are those of the upright picture.

// exifOrientation is the Orientation tag (1–8) of a JPEG's Exif block, or 1 when there is none or it cannot be
// read. It reads only the markers before the image data and checks every offset against the file's length.
func exifOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	for p := 2; p+4 <= len(b); {
		if b[p] != 0xFF {
			return 1
		}
		marker := b[p+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no Exif before the pixels
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return 1
		}
		seg := b[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 of the first image file directory of a TIFF structure.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := int(order.Uint16(t[ifd:]))
	for i := range count {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 1
		}
		if order.Uint16(t[e:]) == 0x0112 && order.Uint16(t[e+2:]) == 3 { // Orientation, SHORT
			if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// upright turns img as Exif orientation o asks (1: as stored; 2–4 mirror or turn it half way; 5–8 turn it a
// quarter, swapping width and height).
func upright(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			dst.SetRGBA(x, y, img.RGBAAt(img.Bounds().Min.X+sx, img.Bounds().Min.Y+sy))
		}
	}
	return dst
}
