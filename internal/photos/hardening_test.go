package photos

import (
	"image/color"
	"testing"
)

// The decoded-size bound refuses no camera's JPEG (MaxPixels at 3 bytes a pixel) but does refuse a PNG of
// MaxPixels in 8-bit RGBA: two of those decoding at once were most of the portal's memory budget.
func TestDecodedBoundTakesEveryCameraJPEGButNotTheLargestPNG(t *testing.T) {
	if n := MaxPixels * decodedBytesPerPixel(color.YCbCrModel); n > maxDecoded {
		t.Errorf("a JPEG of %d pixels decodes to %d bytes, over the bound %d", MaxPixels, n, maxDecoded)
	}
	if n := 5000 * 5000 * decodedBytesPerPixel(color.NRGBAModel); n <= maxDecoded {
		t.Errorf("a 25-megapixel RGBA PNG (%d bytes decoded) is within the bound %d", n, maxDecoded)
	}
	if decodeSlot*maxDecoded > 200<<20 {
		t.Errorf("%d decodes of %d bytes at once exceed 200 MB", decodeSlot, maxDecoded)
	}
}
