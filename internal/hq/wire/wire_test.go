package wire_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/hq/wire"
)

// record makes a valid record at seq.
func record(tb testing.TB, seq int64, payload string) wire.Record {
	tb.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		tb.Fatal(err)
	}
	e := hall.Event{Seq: seq, UUID: id.String(), Kind: hall.KindTicketIssued, At: time.UnixMilli(1_790_000_000_000 + seq).UTC(), Payload: []byte(payload)}
	e.Digest = e.ComputeDigest()
	return wire.FromEvent(e)
}

func validBatch(tb testing.TB) *wire.Batch {
	return &wire.Batch{HallClock: time.Unix(1_790_000_000, 0).UTC(), FirstSeq: 1, LastSeq: 3,
		Records: []wire.Record{record(tb, 1, `{"a":1}`), record(tb, 3, `{"b":"<&>"}`)}, Missing: []int64{2}}
}

func gz(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func status(err error) int {
	var re *wire.RequestError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	b := validBatch(t)
	body, digest, err := wire.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set(wire.HeaderDigest, digest)
	if err := wire.CheckDigest(h, body); err != nil {
		t.Fatalf("digest of an encoded batch: %v", err)
	}
	got, err := wire.DecodeBatch(body, wire.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, b)
	}
	for _, r := range got.Records {
		if v := wire.CheckRecord(r, wire.DefaultLimits); v != "" {
			t.Fatalf("record %d: %s", r.Seq, v)
		}
	}
}

func TestLegacyDigestHeaderIsAccepted(t *testing.T) {
	body := []byte("abc")
	h := http.Header{}
	h.Set(wire.HeaderLegacyDigest, "sha-256=ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
	if err := wire.CheckDigest(h, body); err != nil {
		t.Fatal(err)
	}
	h.Set(wire.HeaderLegacyDigest, "sha-256=AAAAv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
	if status(wire.CheckDigest(h, body)) != http.StatusBadRequest {
		t.Fatal("a wrong legacy digest passed")
	}
}

func TestBadBatchesAreRefused(t *testing.T) {
	good := validBatch(t)
	js, _ := json.Marshal(good)
	mod := func(f func(b *wire.Batch)) []byte {
		c := *good
		c.Records = append([]wire.Record(nil), good.Records...)
		f(&c)
		out, _ := json.Marshal(&c)
		return gz(t, out)
	}
	full := gz(t, js)
	tests := []struct {
		name string
		body []byte
		want int
	}{
		{"not gzip", js, 400},
		{"truncated", full[:len(full)-10], 400},
		{"truncated inside the JSON", gz(t, js[:len(js)/2]), 400},
		{"trailing garbage", gz(t, append(append([]byte{}, js...), []byte(`{"x":1}`)...)), 400},
		{"not JSON", gz(t, []byte("hello")), 400},
		{"no records", mod(func(b *wire.Batch) { b.Records = nil; b.Missing = []int64{1, 2, 3} }), 400},
		{"range too short", mod(func(b *wire.Batch) { b.LastSeq = 2 }), 400},
		{"hole not declared", mod(func(b *wire.Batch) { b.Missing = nil; b.LastSeq = 2; b.Records[1].Seq = 2; b.Records = b.Records[:1] }), 400},
		{"out of order", mod(func(b *wire.Batch) { b.Records[0], b.Records[1] = b.Records[1], b.Records[0] }), 400},
		{"first seq zero", mod(func(b *wire.Batch) { b.FirstSeq, b.LastSeq = 0, 2 }), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wire.DecodeBatch(tt.body, wire.DefaultLimits)
			if got := status(err); got != tt.want {
				t.Fatalf("status = %d (%v), want %d", got, err, tt.want)
			}
		})
	}
}

func TestDecompressedLimit(t *testing.T) {
	js, _ := json.Marshal(validBatch(t))
	lim := wire.DefaultLimits
	lim.MaxDecompressed = int64(len(js))
	if _, err := wire.DecodeBatch(gz(t, js), lim); err != nil {
		t.Fatalf("a body exactly at the limit: %v", err)
	}
	lim.MaxDecompressed--
	if _, err := wire.DecodeBatch(gz(t, js), lim); status(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("one byte over: %v, want 413", err)
	}
}

func TestCheckRecord(t *testing.T) {
	good := record(t, 1, `{"x":"y"}`)
	tests := []struct {
		name string
		f    func(r *wire.Record)
		want string
	}{
		{"good", func(*wire.Record) {}, ""},
		{"payload changed", func(r *wire.Record) { r.Payload = []byte(`{"x":"z"}`) }, wire.ReasonBadDigest},
		{"time changed", func(r *wire.Record) { r.At++ }, wire.ReasonBadDigest},
		{"digest upper case", func(r *wire.Record) { r.SHA256 = string(bytes.ToUpper([]byte(r.SHA256))) }, wire.ReasonBadDigest},
		{"digest short", func(r *wire.Record) { r.SHA256 = r.SHA256[:10] }, wire.ReasonBadDigest},
		{"uuid not canonical", func(r *wire.Record) { r.UUID = "{" + r.UUID[1:] }, wire.ReasonBadUUID},
		{"no kind", func(r *wire.Record) { r.Kind = "" }, wire.ReasonBadKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.f(&r)
			if got := wire.CheckRecord(r, wire.DefaultLimits); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A payload that is not JSON but carries a correct digest.
	e := hall.Event{UUID: good.UUID, Kind: "k", At: time.UnixMilli(5), Payload: []byte("not json")}
	e.Digest = e.ComputeDigest()
	if got := wire.CheckRecord(wire.FromEvent(e), wire.DefaultLimits); got != wire.ReasonBadPayload {
		t.Fatalf("non-JSON payload: %q", got)
	}
}

// FuzzDecodeBatch feeds HQ's request decoding arbitrary bodies: it must
// never panic, and a body it accepts must be a well-formed batch that
// encodes and decodes to itself.
func FuzzDecodeBatch(f *testing.F) {
	body, _, err := wire.Encode(validBatch(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add(body[:len(body)/2])
	f.Add([]byte{})
	f.Add(gz(f, []byte(`{"first_seq":1,"last_seq":1,"records":[{"seq":1}]}`)))
	f.Add(gz(f, []byte(`{"first_seq":1,"last_seq":2,"records":[{"seq":2}],"missing":[1]}`)))
	f.Add(gz(f, []byte(`{"first_seq":9223372036854775807,"last_seq":-9223372036854775808,"records":[{"seq":1}]}`)))
	lim := wire.DefaultLimits
	lim.MaxDecompressed = 1 << 20
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := wire.DecodeBatch(body, lim)
		if err != nil {
			if status(err) == 0 {
				t.Fatalf("an error without an HTTP status: %v", err)
			}
			return
		}
		if len(b.Records) == 0 || b.FirstSeq < 1 || b.LastSeq < b.FirstSeq {
			t.Fatalf("accepted a malformed batch: %+v", b)
		}
		if n := b.LastSeq - b.FirstSeq + 1; n != int64(len(b.Records)+len(b.Missing)) {
			t.Fatalf("accepted a batch whose range does not match: %+v", b)
		}
		for i := 1; i < len(b.Records); i++ {
			if b.Records[i].Seq <= b.Records[i-1].Seq {
				t.Fatalf("accepted records out of order: %+v", b)
			}
		}
		for _, r := range b.Records {
			wire.CheckRecord(r, lim) // must not panic
		}
		again, _, err := wire.Encode(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := wire.DecodeBatch(again, lim)
		if err != nil {
			t.Fatalf("re-encoded batch refused: %v", err)
		}
		if !reflect.DeepEqual(normal(b), normal(b2)) {
			t.Fatalf("round trip changed the batch:\n%+v\n%+v", b, b2)
		}
	})
}

// normal drops differences JSON cannot carry (nil versus empty slices).
func normal(b *wire.Batch) wire.Batch {
	c := *b
	if len(c.Missing) == 0 {
		c.Missing = nil
	}
	c.Records = append([]wire.Record(nil), b.Records...)
	for i := range c.Records {
		if len(c.Records[i].Payload) == 0 {
			c.Records[i].Payload = nil
		}
	}
	c.HallClock = c.HallClock.UTC()
	return c
}
