package server

import (
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

func TestSessionCodecRoundTrip(t *testing.T) {
	deadline := time.Date(2026, 11, 27, 10, 30, 0, 123456789, time.UTC)
	for _, values := range []map[string]any{
		{},
		{sessAccountID: int64(42), sessSessionVersion: 3, sessSeenAt: time.Now().UnixMilli()},
		{sessAccountID: int64(-1), sessFlash: "已提交备案，等待审核。", "ok": true, "no": false, "zero": 0, "empty": ""},
	} {
		b, err := sessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		checkDecodes(t, b, deadline, values)
	}
}

func checkDecodes(t *testing.T, b []byte, deadline time.Time, values map[string]any) {
	t.Helper()
	gotDeadline, got, err := sessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, values) {
		t.Errorf("decoded %v %#v, want %v %#v", gotDeadline, got, deadline, values)
	}
}

// A session that gob wrote before this codec still signs its user in.
func TestSessionCodecReadsGobSessions(t *testing.T) {
	deadline := time.Now().Add(time.Hour).Round(0)
	values := map[string]any{sessAccountID: int64(7), sessSessionVersion: 2, sessFlash: "旧会话"}
	b, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	checkDecodes(t, b, deadline, values)
}

func TestSessionCodecRefusesUnknownTypes(t *testing.T) {
	if _, err := (sessionCodec{}).Encode(time.Now(), map[string]any{"when": time.Now()}); err == nil {
		t.Fatal("a time.Time value was encoded; it would not decode as one")
	}
}

func TestSessionCodecRefusesDamagedData(t *testing.T) {
	good, err := sessionCodec{}.Encode(time.Now(), map[string]any{sessFlash: "消息", sessAccountID: int64(9)})
	if err != nil {
		t.Fatal(err)
	}
	for n := len(sessionMagic); n < len(good); n++ {
		if _, _, err := (sessionCodec{}).Decode(good[:n]); err == nil {
			t.Errorf("decoded %d of %d bytes without an error", n, len(good))
		}
	}
}

// FuzzSessionCodec: no input makes Decode panic, and what it accepts encodes back to the same values.
func FuzzSessionCodec(f *testing.F) {
	good, _ := sessionCodec{}.Encode(time.Unix(1, 0), map[string]any{sessFlash: "消息", sessAccountID: int64(9),
		sessSessionVersion: 1, "b": true})
	f.Add(good)
	f.Add([]byte(sessionMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < len(sessionMagic) || string(b[:len(sessionMagic)]) != sessionMagic {
			return // gob's to judge
		}
		deadline, values, err := sessionCodec{}.Decode(b)
		if err != nil {
			return
		}
		again, err := sessionCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		d2, v2, err := sessionCodec{}.Decode(again)
		if err != nil || !d2.Equal(deadline) || !reflect.DeepEqual(v2, values) {
			t.Fatalf("re-encoded %#v as %#v (%v)", values, v2, err)
		}
	})
}

// BenchmarkSessionDecode weighs the codec against scs's gob, which every request pays once.
func BenchmarkSessionDecode(b *testing.B) {
	deadline := time.Now().Add(time.Hour)
	values := map[string]any{sessAccountID: int64(7), sessSessionVersion: 2, sessSeenAt: time.Now().UnixMilli()}
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"binary", sessionCodec{}}, {"gob", scs.GobCodec{}}} {
		enc, err := c.codec.Encode(deadline, values)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.codec.Decode(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
