package postgres

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// scanPage reads every row of a list page into a new element of *rs, decoding each column straight into the
// field that dest points at. It is rows.Scan for the few types a list shows (boolean, bigint, integer, text,
// text[], date, timestamptz; NULL only where the destination can say so: a nil list, a nil time), without
// Scan's per-value plan lookup and interface conversions, and
// with every text of the page sharing a few allocations (textArena) instead of one string each. On the list
// pages Scan and the strings it allocated were a large share of the portal's CPU per request.
//
// A column of any other type, or a destination of a type it does not know, is an error, not a guess: tests of
// every list catch it at once.
func scanPage[T any](rs *[]T, dest func(*T, []any) []any) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var r rowDecoder
		for rows.Next() {
			var zero T
			*rs = append(*rs, zero)
			r.d = dest(&(*rs)[len(*rs)-1], r.d[:0])
			if err := r.decode(rows, "list page"); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// rowDecoder decodes rows column by column into the destinations in d (decodeColumn), its texts sharing a
// few allocations across the rows of a page.
type rowDecoder struct {
	d      []any
	arena  textArena
	lists  stringLists
	fields []pgconn.FieldDescription // known once a row has come: a failed statement has none
}

// decode reads the row rows is on into r.d; what names the statement in an error.
func (r *rowDecoder) decode(rows pgx.Rows, what string) error {
	if r.fields == nil {
		r.fields = rows.FieldDescriptions()
	}
	raw := rows.RawValues()
	if len(raw) != len(r.d) || len(r.fields) != len(r.d) {
		return fmt.Errorf("%s: %d columns for %d destinations", what, len(raw), len(r.d))
	}
	for i, src := range raw {
		if err := decodeColumn(&r.fields[i], src, r.d[i], &r.arena, &r.lists); err != nil {
			return fmt.Errorf("%s: column %s: %w", what, r.fields[i].Name, err)
		}
	}
	return nil
}

// keptRows walks the rows of a statement over kept counts by their raw column bytes, without Scan's work per
// value (a plan lookup and an interface conversion for each of a district's ~9,000 values): each column is
// text or bigint, checked once against the row description, and each(raw) reads a bigint with rawBigint.
func keptRows(rows pgx.Rows, columns int, each func(raw [][]byte) error) error {
	checked := false
	for rows.Next() {
		raw := rows.RawValues()
		if !checked {
			fields := rows.FieldDescriptions()
			if len(raw) != columns || len(fields) != columns {
				return fmt.Errorf("kept counts: %d columns, %d expected", len(raw), columns)
			}
			for _, f := range fields {
				if f.DataTypeOID != oidText && (f.DataTypeOID != oidInt8 || f.Format != pgtype.BinaryFormatCode) {
					return fmt.Errorf("kept counts: column %s of type %d (format %d)", f.Name, f.DataTypeOID, f.Format)
				}
			}
			checked = true
		}
		if err := each(raw); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rawBigint is a binary bigint column's value; a NULL or a value of another size is an error.
func rawBigint(src []byte) (int64, error) {
	if len(src) != 8 {
		return 0, fmt.Errorf("kept counts: %d bytes for a bigint", len(src))
	}
	return int64(binary.BigEndian.Uint64(src)), nil
}

// The type oids scanPage decodes.
const (
	oidBool        = 16
	oidInt4        = 23
	oidInt8        = 20
	oidText        = 25
	oidTextArray   = 1009
	oidDate        = 1082
	oidTimestamptz = 1184
)

// pgEpoch is day 0 of PostgreSQL's binary dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func decodeColumn(fd *pgconn.FieldDescription, src []byte, dest any, arena *textArena, lists *stringLists) error {
	if fd.Format != pgtype.BinaryFormatCode && fd.DataTypeOID != oidText {
		return fmt.Errorf("type %d in text format", fd.DataTypeOID)
	}
	switch fd.DataTypeOID {
	case oidBool:
		p, ok := dest.(*bool)
		if !ok {
			return fmt.Errorf("boolean into %T", dest)
		}
		if len(src) != 1 {
			return fmt.Errorf("%d bytes for a boolean (NULL?)", len(src))
		}
		*p = src[0] != 0
	case oidInt8, oidInt4:
		var n int64
		switch {
		case src == nil:
			return fmt.Errorf("NULL for a number")
		case fd.DataTypeOID == oidInt8 && len(src) == 8:
			n = int64(binary.BigEndian.Uint64(src))
		case fd.DataTypeOID == oidInt4 && len(src) == 4:
			n = int64(int32(binary.BigEndian.Uint32(src)))
		default:
			return fmt.Errorf("%d bytes for an integer", len(src))
		}
		switch p := dest.(type) {
		case *int64:
			*p = n
		case *int:
			*p = int(n)
		default:
			return fmt.Errorf("integer into %T", dest)
		}
	case oidText:
		p, ok := dest.(*string)
		if !ok {
			return fmt.Errorf("text into %T", dest)
		}
		if src == nil {
			return fmt.Errorf("NULL for a text")
		}
		*p = arena.text(src)
	case oidTextArray:
		p, ok := dest.(*[]string)
		if !ok {
			return fmt.Errorf("text[] into %T", dest)
		}
		if src == nil {
			*p = nil // no list, as Scan reads it (the directory's edge row has no 服务领域)
			return nil
		}
		return lists.decode(src, arena, p)
	case oidDate, oidTimestamptz:
		var t time.Time
		if src != nil {
			var err error
			if t, err = decodeTime(fd.DataTypeOID, src); err != nil {
				return err
			}
		}
		switch p := dest.(type) {
		case *time.Time: // NULL is the zero time
			*p = t
		case **time.Time:
			*p = nil
			if src != nil {
				at := t // allocated only here: taking t's address would allocate it for every column
				*p = &at
			}
		default:
			return fmt.Errorf("time into %T", dest)
		}
	default:
		return fmt.Errorf("type %d is not decoded here", fd.DataTypeOID)
	}
	return nil
}

// decodeTime reads a binary date (days since 2000-01-01, as midnight UTC, which is what pgx gives) or
// timestamptz (microseconds since 2000-01-01 UTC). The infinities have no time.Time and are refused.
func decodeTime(oid uint32, src []byte) (time.Time, error) {
	if oid == oidDate {
		if len(src) != 4 {
			return time.Time{}, fmt.Errorf("%d bytes for a date", len(src))
		}
		days := int32(binary.BigEndian.Uint32(src))
		if days == math.MaxInt32 || days == math.MinInt32 {
			return time.Time{}, fmt.Errorf("an infinite date")
		}
		return pgEpoch.AddDate(0, 0, int(days)), nil
	}
	if len(src) != 8 {
		return time.Time{}, fmt.Errorf("%d bytes for a timestamp", len(src))
	}
	us := int64(binary.BigEndian.Uint64(src))
	if us == math.MaxInt64 || us == math.MinInt64 {
		return time.Time{}, fmt.Errorf("an infinite timestamp")
	}
	const unixToPG = 946_684_800_000_000 // microseconds from 1970-01-01 to 2000-01-01
	us += unixToPG
	return time.Unix(us/1_000_000, (us%1_000_000)*1000), nil
}

// textArena hands out strings that share a few large allocations. Each string's bytes are copied in once and
// never written again: when a chunk is full the arena starts a new one rather than growing it in place, so
// earlier strings keep their chunk alive and unchanged, as unsafe.String requires.
type textArena struct{ buf []byte }

const textArenaChunk = 8 << 10

func (a *textArena) text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, max(textArenaChunk, len(b)))
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[start], len(b))
}

// stringLists hands out the []string of text[] columns from shared chunks, the way textArena does strings.
// Each list is capped at its own length, so an append by its user copies instead of writing into a neighbour.
type stringLists struct{ buf []string }

const stringListsChunk = 128

// decode reads a one-dimensional text[] without NULL elements in PostgreSQL's binary array format: the number
// of dimensions, a flags word, the element type, then per dimension its length and lower bound, then each
// element as a length and its bytes.
func (l *stringLists) decode(src []byte, arena *textArena, dest *[]string) error {
	if len(src) < 12 {
		return fmt.Errorf("a text[] of %d bytes", len(src))
	}
	ndim := binary.BigEndian.Uint32(src)
	if ndim == 0 {
		*dest = []string{}
		return nil
	}
	if ndim != 1 || len(src) < 20 {
		return fmt.Errorf("a text[] of %d dimensions", ndim)
	}
	n := int(int32(binary.BigEndian.Uint32(src[12:])))
	if n < 0 || n > len(src)/4 {
		return fmt.Errorf("a text[] of %d elements in %d bytes", n, len(src))
	}
	if cap(l.buf)-len(l.buf) < n {
		l.buf = make([]string, 0, max(stringListsChunk, n))
	}
	start := len(l.buf)
	rest := src[20:]
	for range n {
		if len(rest) < 4 {
			return fmt.Errorf("a text[] cut short")
		}
		size := int32(binary.BigEndian.Uint32(rest))
		rest = rest[4:]
		if size < 0 || int(size) > len(rest) {
			return fmt.Errorf("a text[] element of %d bytes (NULL or cut short)", size)
		}
		l.buf = append(l.buf, arena.text(rest[:size]))
		rest = rest[size:]
	}
	*dest = l.buf[start:len(l.buf):len(l.buf)]
	return nil
}
