package server

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec stores a session's values — the account id, its session version, the last-seen time and a
// flash message — in a small binary form. scs's default, gob, built a fresh decoder with its type
// descriptions for every request: a tenth of a list page's CPU, for four values.
//
// Layout: the magic "ys1", the deadline in Unix nanoseconds (8 bytes), the number of values, then per value
// its key, a type byte and the value, keys in sorted order. Strings are a uvarint length and the bytes; integers are varints.
// A session written by gob before this codec decodes with gob, so a deployment signs nobody out.
type sessionCodec struct{}

const sessionMagic = "ys1"

const (
	sessString byte = 's'
	sessInt    byte = 'i'
	sessInt64  byte = 'I'
	sessBool   byte = 'b'
)

var _ scs.Codec = sessionCodec{}

// Encode refuses a value of a type it does not know, so that a new kind of session value fails in the tests
// of its handler rather than vanishing.
func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, sessionMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(deadline.UnixNano()))
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := values[k].(type) {
		case string:
			b = append(b, sessString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int:
			b = append(b, sessInt)
			b = binary.AppendVarint(b, int64(v))
		case int64:
			b = append(b, sessInt64)
			b = binary.AppendVarint(b, v)
		case bool:
			b = append(b, sessBool)
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		default:
			return nil, fmt.Errorf("session value %q: type %T is not stored in sessions", k, v)
		}
	}
	return b, nil
}

var errSessionData = errors.New("session data is damaged")

func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < len(sessionMagic) || string(b[:len(sessionMagic)]) != sessionMagic {
		return scs.GobCodec{}.Decode(b)
	}
	b = b[len(sessionMagic):]
	if len(b) < 8 {
		return time.Time{}, nil, errSessionData
	}
	deadline := time.Unix(0, int64(binary.BigEndian.Uint64(b)))
	count, w := binary.Uvarint(b[8:])
	if w <= 0 || count > uint64(len(b)) {
		return time.Time{}, nil, errSessionData
	}
	b = b[8+w:]
	values := make(map[string]any, count)
	for range count {
		k, rest, ok := sessionBytes(b)
		if !ok || len(rest) == 0 {
			return time.Time{}, nil, errSessionData
		}
		typ, rest := rest[0], rest[1:]
		switch typ {
		case sessString:
			v, after, ok := sessionBytes(rest)
			if !ok {
				return time.Time{}, nil, errSessionData
			}
			values[string(k)], b = string(v), after
		case sessInt, sessInt64:
			v, n := binary.Varint(rest)
			if n <= 0 {
				return time.Time{}, nil, errSessionData
			}
			if typ == sessInt {
				values[string(k)] = int(v)
			} else {
				values[string(k)] = v
			}
			b = rest[n:]
		case sessBool:
			if len(rest) == 0 || rest[0] > 1 {
				return time.Time{}, nil, errSessionData
			}
			values[string(k)], b = rest[0] == 1, rest[1:]
		default:
			return time.Time{}, nil, errSessionData
		}
	}
	if len(b) != 0 || len(values) != int(count) {
		return time.Time{}, nil, errSessionData
	}
	return deadline, values, nil
}

// sessionBytes reads a uvarint length and that many bytes.
func sessionBytes(b []byte) (v, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}
