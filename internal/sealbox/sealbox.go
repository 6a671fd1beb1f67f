// Package sealbox encrypts personal data (负责人 phone numbers and 身份证号) before it reaches the database, with a
// key that lives in configuration, never in the database (SECURITY.md 15).
package sealbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// Box seals and opens values with AES-256-GCM. The key id byte in front of each sealed value lets a later key
// rotation tell old values from new.
type Box struct {
	aead  cipher.AEAD
	keyID byte
	mac   []byte // the key of Digest, derived from the sealing key
}

// New makes a box from a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, errors.New("sealbox: the key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sealbox digest key"))
	return &Box{aead: aead, keyID: 1, mac: m.Sum(nil)}, nil
}

// Seal encrypts plain; context binds the value to where it is stored (e.g. "leader_phone"), so a sealed value
// copied into another column does not open there. An empty value seals to nil.
func (b *Box) Seal(plain, context string) []byte {
	if plain == "" {
		return nil
	}
	nonce := make([]byte, b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	_, _ = rand.Read(nonce)
	out := append([]byte{b.keyID}, nonce...)
	return b.aead.Seal(out, nonce, []byte(plain), []byte(context))
}

// Open decrypts a value sealed with the same key and context; nil opens to "".
func (b *Box) Open(sealed []byte, context string) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != b.keyID {
		return "", errors.New("sealbox: not a value sealed with this key")
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(context))
	if err != nil {
		return "", errors.New("sealbox: the value does not open with this key")
	}
	return string(plain), nil
}

// Digest is a keyed digest of plain under context: equal values give equal digests, so a sealed column can be
// matched (a trainee found again by 身份证号) without opening it, and without the key the digest tells nothing of
// the value. An empty value digests to nil.
func (b *Box) Digest(plain, context string) []byte {
	if plain == "" {
		return nil
	}
	m := hmac.New(sha256.New, b.mac)
	m.Write([]byte(context))
	m.Write([]byte{0})
	m.Write([]byte(plain))
	return m.Sum(nil)
}
