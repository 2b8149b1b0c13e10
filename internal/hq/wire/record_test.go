package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"reflect"
	"testing"
	"time"
)

// stdBatch decodes with encoding/json alone.
func stdBatch(data []byte) (Batch, error) {
	var b Batch
	err := json.Unmarshal(data, &b)
	return b, err
}

// FuzzFastBatch holds the direct batch parser to encoding/json: on any
// input it accepts, encoding/json gives the same batch.
func FuzzFastBatch(f *testing.F) {
	canonical, _ := json.Marshal(Batch{HallClock: time.Date(2026, 12, 1, 8, 0, 0, 123e6, time.UTC), HallLastSeq: 40, FirstSeq: 1, LastSeq: 3,
		Records: []Record{{Seq: 1, UUID: "0193aaaa-0000-7000-8000-000000000001", Kind: "ticket.issued", At: 1796083200123, Payload: []byte(`{"a":1}`), SHA256: "9f86"},
			{Seq: 3, UUID: "u", Kind: "k", At: -1}}, Missing: []int64{2}})
	claimed, _ := json.Marshal(Batch{HallClaim: HallClaim{HallID: 3, Hall: "城关"}, FirstSeq: 1, LastSeq: 1, Records: []Record{{Seq: 1, Payload: []byte{}}}})
	for _, s := range []string{string(canonical), string(claimed),
		`{"hall_clock":"0001-01-01T00:00:00Z","first_seq":1,"last_seq":1,"records":[]}`,
		`{"hall_clock":"2026-12-01T08:00:00+08:00","first_seq":01,"last_seq":1,"records":null,"missing":null}`,
		`{"hall_clock":"x","first_seq":1,"last_seq":1,"records":[{"seq":1,"uuid":"a\u0041","kind":"\xff","at":1e3,"payload":"A===","sha256":"c"}]} `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastBatch(data)
		if !ok {
			return
		}
		std, err := stdBatch(data)
		if err != nil {
			t.Fatalf("fast path accepted %q, encoding/json refuses it: %v", data, err)
		}
		if !reflect.DeepEqual(std, fast) {
			t.Fatalf("%q:\nfast %+v\nstd  %+v", data, fast, std)
		}
	})
}

func TestTheHallsOwnBatchesTakeTheFastPath(t *testing.T) {
	for _, b := range []Batch{
		{HallClock: time.Now().UTC(), HallLastSeq: 900, FirstSeq: 7, LastSeq: 9, Missing: []int64{8},
			Records: []Record{{Seq: 7, UUID: "0193aaaa-0000-7000-8000-000000000007", Kind: "complaint.recorded", At: 1796083200123,
				Payload: []byte(`{"what":"等候太久","who":"王**","x":"<&>"}`), SHA256: "ab12"}, {Seq: 9, UUID: "x", Kind: "y", Payload: []byte{}}}},
		{HallClock: time.Now(), FirstSeq: 1, LastSeq: 1, Records: []Record{{Seq: 1}}},
	} {
		body, _, err := Encode(&b)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		js, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := fastBatch(js)
		if !ok {
			t.Fatalf("the hall's own encoding missed the fast path: %s", js)
		}
		std, err := stdBatch(js)
		if err != nil || !reflect.DeepEqual(std, got) {
			t.Fatalf("%s:\nfast %+v\nstd  %+v (%v)", js, got, std, err)
		}
	}
	// Not canonical: not taken (encoding/json decodes it instead).
	for _, s := range []string{
		` {"first_seq":1,"last_seq":1,"records":[{"seq":1}]}`,
		`{"hall_clock":"2026-12-01T08:00:00Z","first_seq":1,"last_seq":1,"records":[{"seq":1,"uuid":"a\"b","kind":"k","at":1,"payload":null,"sha256":""}]}`,
		`{"hall_clock":"2026-12-01T08:00:00Z","first_seq":1,"last_seq":1,"records":[]}{}`,
	} {
		if _, ok := fastBatch([]byte(s)); ok {
			t.Errorf("fast path took %s", s)
		}
	}
}
