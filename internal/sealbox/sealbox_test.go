package sealbox

import (
	"bytes"
	"testing"
)

func TestSealOpenRoundTripAndRefusals(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := b.Seal("13812345678", "leader_phone")
	if bytes.Contains(sealed, []byte("13812345678")) {
		t.Fatal("sealed value contains the plain text")
	}
	if again := b.Seal("13812345678", "leader_phone"); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	got, err := b.Open(sealed, "leader_phone")
	if err != nil || got != "13812345678" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := b.Open(sealed, "leader_id"); err == nil {
		t.Fatal("a value opened under another context")
	}
	other, _ := New(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(sealed, "leader_phone"); err == nil {
		t.Fatal("a value opened with another key")
	}
	if b.Seal("", "x") != nil {
		t.Fatal("empty value should seal to nil")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}

func TestDigestMatchesEqualValuesOnly(t *testing.T) {
	key := make([]byte, 32)
	b, _ := New(key)
	key[0] = 1
	other, _ := New(key)
	d := b.Digest("500112199001011234", "trainee_id")
	if !bytes.Equal(d, b.Digest("500112199001011234", "trainee_id")) {
		t.Fatal("equal values digest differently")
	}
	if bytes.Equal(d, b.Digest("500112199001011235", "trainee_id")) || bytes.Equal(d, b.Digest("500112199001011234", "leader_id")) ||
		bytes.Equal(d, other.Digest("500112199001011234", "trainee_id")) {
		t.Fatal("different value, context or key gives the same digest")
	}
	if b.Digest("", "trainee_id") != nil {
		t.Fatal("empty value has a digest")
	}
}
