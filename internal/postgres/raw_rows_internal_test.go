package postgres

import (
	"encoding/binary"
	"slices"
	"testing"
)

// textArray is PostgreSQL's binary form of a one-dimensional text[].
func textArray(elems ...string) []byte {
	b := binary.BigEndian.AppendUint32(nil, 1)               // dimensions
	b = binary.BigEndian.AppendUint32(b, 0)                  // flags: no NULLs
	b = binary.BigEndian.AppendUint32(b, oidText)            // element type
	b = binary.BigEndian.AppendUint32(b, uint32(len(elems))) // length of the dimension
	b = binary.BigEndian.AppendUint32(b, 1)                  // lower bound
	for _, e := range elems {
		b = binary.BigEndian.AppendUint32(b, uint32(len(e)))
		b = append(b, e...)
	}
	return b
}

func TestTextArrayDecoding(t *testing.T) {
	var arena textArena
	var lists stringLists
	var got [][]string
	for _, want := range [][]string{{"文体娱乐", "邻里互助"}, {}, {""}, {"养老服务"}} {
		var dest []string
		if err := lists.decode(textArray(want...), &arena, &dest); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dest, want) || dest == nil {
			t.Fatalf("decoded %q, want %q", dest, want)
		}
		got = append(got, dest)
	}
	// Lists share a chunk but not their ends: appending to one must not change the next.
	_ = append(got[0], "x")
	if !slices.Equal(got[1], []string{}) || !slices.Equal(got[2], []string{""}) {
		t.Fatalf("an append wrote into a neighbour: %q", got)
	}
	empty := binary.BigEndian.AppendUint32(nil, 0)
	empty = binary.BigEndian.AppendUint32(empty, 0)
	empty = binary.BigEndian.AppendUint32(empty, oidText)
	var dest []string
	if err := lists.decode(empty, &arena, &dest); err != nil || dest == nil || len(dest) != 0 {
		t.Fatalf("empty array: %q, %v", dest, err)
	}
	// A NULL element, a cut, a second dimension: refused, not guessed.
	withNull := binary.BigEndian.AppendUint32(textArray("a")[:20], 0xffffffff)
	for name, bad := range map[string][]byte{"NULL element": withNull, "cut short": textArray("文体娱乐")[:25],
		"two dimensions": append(binary.BigEndian.AppendUint32(nil, 2), textArray("a")[4:]...), "tiny": {0, 0}} {
		if err := lists.decode(bad, &arena, &dest); err == nil {
			t.Errorf("%s: decoded %q", name, dest)
		}
	}
}

// FuzzTextArrayDecoding: whatever the bytes, decoding returns an error or lists that re-encode to the input.
func FuzzTextArrayDecoding(f *testing.F) {
	f.Add(textArray("文体娱乐", "邻里互助"))
	f.Add(textArray())
	f.Add([]byte{0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		var arena textArena
		var lists stringLists
		var dest []string
		if err := lists.decode(b, &arena, &dest); err != nil {
			return
		}
		if binary.BigEndian.Uint32(b) == 0 {
			if len(dest) != 0 {
				t.Fatalf("no dimensions gave %q", dest)
			}
			return
		}
		again := textArray(dest...)
		// Flags, element type and lower bound are not kept; the lengths and bytes are.
		if !slices.Equal(again[12:16], b[12:16]) || !slices.Equal(again[20:], b[20:len(again)]) {
			t.Fatalf("%x decoded to %q, which encodes as %x", b, dest, again)
		}
	})
}

func TestTextArenaKeepsEveryString(t *testing.T) {
	var a textArena
	var got []string
	var want []string
	for i := range 3000 {
		s := string(rune('一'+i%500)) + "社区"
		if i%700 == 0 {
			s = string(make([]byte, textArenaChunk+5)) // larger than a chunk
		}
		src := []byte(s)
		got = append(got, a.text(src))
		clear(src) // the arena copied it
		want = append(want, s)
	}
	if !slices.Equal(got, want) {
		t.Fatal("a string changed after later ones were added")
	}
	if a.text(nil) != "" {
		t.Fatal("empty text")
	}
}
