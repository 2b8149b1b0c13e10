package hq_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"servicehall/internal/hq"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hq/wire"
)

var ctx = context.Background()

type env struct {
	store *sqlitestore.Store
	srv   *httptest.Server
}

func newEnv(t *testing.T, opt hq.Options) *env {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if opt.Logf == nil {
		opt.Logf = t.Logf
	}
	srv := httptest.NewServer(hq.NewServer(st, opt).Handler())
	t.Cleanup(srv.Close)
	return &env{store: st, srv: srv}
}

func (e *env) addHall(t *testing.T, name string) (hq.Hall, string) {
	t.Helper()
	tok, err := hq.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	h, err := e.store.AddHall(ctx, name, hq.HashToken(tok), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return h, tok
}

type req struct {
	token    string
	body     []byte
	digest   string // "" computes it; "-" sends none
	protocol string // "" sends the current one; "-" none
	encoding string // "" gzip
}

func (e *env) post(t *testing.T, r req) (int, []byte) {
	t.Helper()
	hr, err := http.NewRequest(http.MethodPost, e.srv.URL+wire.PathBatches, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	switch r.digest {
	case "":
		hr.Header.Set(wire.HeaderDigest, wire.DigestOf(r.body))
	case "-":
	default:
		hr.Header.Set(wire.HeaderDigest, r.digest)
	}
	switch r.protocol {
	case "":
		hr.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.Protocol))
	case "-":
	default:
		hr.Header.Set(wire.HeaderProtocol, r.protocol)
	}
	if r.encoding == "" {
		r.encoding = "gzip"
	}
	hr.Header.Set("Content-Encoding", r.encoding)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get(wire.HeaderProtocol); got != strconv.Itoa(wire.Protocol) {
		t.Errorf("answer's %s = %q", wire.HeaderProtocol, got)
	}
	return resp.StatusCode, b
}

func encode(t *testing.T, b *wire.Batch) []byte {
	t.Helper()
	body, _, err := wire.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func batchOf(rs ...wire.Record) *wire.Batch {
	return &wire.Batch{HallClock: time.Now().UTC(), FirstSeq: rs[0].Seq, LastSeq: rs[len(rs)-1].Seq, Records: rs}
}

func answer(t *testing.T, b []byte) wire.Answer {
	t.Helper()
	var a wire.Answer
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("answer %q: %v", b, err)
	}
	return a
}

func TestCredentialsAndProtocolVersion(t *testing.T) {
	e := newEnv(t, hq.Options{})
	_, tok := e.addHall(t, "城关")
	body := encode(t, batchOf(rec(t, 1, `{}`)))
	tests := []struct {
		name string
		r    req
		want int
	}{
		{"no credential", req{body: body}, 401},
		{"unknown credential", req{token: "shq_nobody", body: body}, 401},
		{"no protocol header", req{token: tok, body: body, protocol: "-"}, 426},
		{"protocol too old", req{token: tok, body: body, protocol: "0"}, 426},
		{"protocol garbage", req{token: tok, body: body, protocol: "one"}, 426},
		{"protocol too new", req{token: tok, body: body, protocol: "99"}, 400},
		{"not gzip", req{token: tok, body: body, encoding: "identity"}, 415},
		{"good", req{token: tok, body: body}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, b := e.post(t, tt.r); got != tt.want {
				t.Fatalf("status = %d (%s), want %d", got, b, tt.want)
			}
		})
	}
}

func TestBadBodiesAre400AndStoreNothing(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	good := encode(t, batchOf(rec(t, 1, `{}`), rec(t, 2, `{}`)))
	tests := []struct {
		name string
		r    req
	}{
		{"empty", req{token: tok, body: []byte{}}},
		{"truncated, digest of the whole", req{token: tok, body: good[:len(good)-9], digest: wire.DigestOf(good)}},
		{"truncated, digest of what was sent", req{token: tok, body: good[:len(good)-9]}},
		{"digest mismatch", req{token: tok, body: good, digest: wire.DigestOf([]byte("other"))}},
		{"digest missing", req{token: tok, body: good, digest: "-"}},
		{"digest malformed", req{token: tok, body: good, digest: "sha-256=:abc:"}},
		{"not gzip bytes", req{token: tok, body: []byte(`{"first_seq":1}`)}},
		{"undecodable", req{token: tok, body: gzipBytes(t, []byte(`{"first_seq":"one"}`))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, b := e.post(t, tt.r); got != http.StatusBadRequest {
				t.Fatalf("status = %d (%s), want 400", got, b)
			}
		})
	}
	if rs, _ := e.store.Records(ctx, h.ID, 0, 10); len(rs) != 0 {
		t.Fatalf("bad bodies stored %d records", len(rs))
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// gzipBomb returns a valid gzip stream of prefix followed by n MiB of fill
// bytes, about 1 KiB per MiB. It repeats one deflate block compressed from
// a fresh state, which refers only to its own bytes, so copies of it
// concatenate into a valid stream without compressing n MiB here.
func gzipBomb(t *testing.T, prefix []byte, fill byte, n int) []byte {
	t.Helper()
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	var blk bytes.Buffer
	fw, _ := flate.NewWriter(&blk, flate.BestCompression)
	fw.Write(chunk)
	fw.Flush() // a sync flush ends the block on a byte boundary, not final
	var pre bytes.Buffer
	if len(prefix) > 0 {
		pw, _ := flate.NewWriter(&pre, flate.NoCompression)
		pw.Write(prefix)
		pw.Flush()
	}
	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	out.Write(pre.Bytes())
	crc := crc32.Update(0, crc32.IEEETable, prefix)
	for range n {
		out.Write(blk.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	out.Write([]byte{3, 0}) // final empty fixed-Huffman block
	var tail [8]byte
	binary.LittleEndian.PutUint32(tail[:4], crc)
	binary.LittleEndian.PutUint32(tail[4:], uint32(len(prefix)+n<<20))
	out.Write(tail[:])
	return out.Bytes()
}

// TestGzipBombIsRejectedWithBoundedMemory runs with a small decompressed
// limit, so that it stays fast under the race detector;
// TestVolumeGzipBombAtDefaultLimits repeats it at the real limits.
func TestGzipBombIsRejectedWithBoundedMemory(t *testing.T) {
	lim := wire.DefaultLimits
	lim.MaxDecompressed = 4 << 20
	testGzipBombs(t, lim)
}

func TestVolumeGzipBombAtDefaultLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the full decompressed limit")
	}
	// The bomb is a true gzip stream of 1 GiB, its CRC included.
	zr, err := gzip.NewReader(bytes.NewReader(gzipBomb(t, []byte("{"), ' ', 1024)))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, zr)
	if err != nil || n != 1+1<<30 {
		t.Fatalf("bomb expands to %d bytes (%v), want 1 GiB + 1", n, err)
	}
	testGzipBombs(t, wire.DefaultLimits)
}

func testGzipBombs(t *testing.T, lim wire.Limits) {
	e := newEnv(t, hq.Options{Limits: lim})
	_, tok := e.addHall(t, "城关")
	bombs := []struct {
		name string
		body []byte
		want int
	}{
		// 1 GiB of zeros: not JSON, refused at the first bytes.
		{"zeros", gzipBomb(t, nil, 0, 1024), 400},
		// JSON that does not end within the limit: read up to the
		// decompressed limit, then refused.
		{"spaces inside JSON", gzipBomb(t, []byte(`{"records":[`), ' ', 1024), 413},
	}
	for _, bb := range bombs {
		t.Run(bb.name, func(t *testing.T) {
			if len(bb.body) > int(lim.MaxBody) {
				t.Fatalf("bomb of %d bytes is over the body limit; it should pass that check", len(bb.body))
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got, b := e.post(t, req{token: tok, body: bb.body})
			runtime.ReadMemStats(&after)
			if got != bb.want {
				t.Fatalf("status = %d (%s), want %d", got, b, bb.want)
			}
			// The server runs in this process: all it allocated is counted.
			// Expanding the bomb would allocate over 1 GiB.
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d KiB compressed, %d MiB allocated refusing it (limit %d MiB)", bb.name, len(bb.body)>>10, alloc>>20, lim.MaxDecompressed>>20)
			if bound := uint64(lim.MaxDecompressed)*4 + 32<<20; alloc > bound {
				t.Fatalf("allocated %d MiB refusing a bomb, want under %d MiB", alloc>>20, bound>>20)
			}
			// Nothing of it is kept.
			runtime.GC()
			runtime.ReadMemStats(&after)
			if after.HeapInuse > before.HeapInuse+16<<20 {
				t.Fatalf("heap in use grew from %d to %d MiB and stayed", before.HeapInuse>>20, after.HeapInuse>>20)
			}
		})
	}
	t.Run("over the compressed limit", func(t *testing.T) {
		big := make([]byte, lim.MaxBody+1)
		if got, b := e.post(t, req{token: tok, body: big}); got != http.StatusRequestEntityTooLarge {
			t.Fatalf("status = %d (%s), want 413", got, b)
		}
	})
}

func TestTheHallComesFromTheCredentialNeverTheBody(t *testing.T) {
	e := newEnv(t, hq.Options{})
	a, tokA := e.addHall(t, "城关")
	b, _ := e.addHall(t, "城南")
	r := rec(t, 1, `{}`)
	// A valid credential posting for another hall, by id or by name, is
	// refused as a whole: 403, nothing stored under either hall.
	for _, claim := range []map[string]any{{"hall_id": b.ID}, {"hall": b.Name}, {"hall_id": a.ID, "hall": b.Name}} {
		body := map[string]any{"first_seq": 1, "last_seq": 1, "records": []any{
			map[string]any{"seq": r.Seq, "uuid": r.UUID, "kind": r.Kind, "at": r.At, "payload": r.Payload, "sha256": r.SHA256}}}
		for k, v := range claim {
			body[k] = v
		}
		js, _ := json.Marshal(body)
		got, resp := e.post(t, req{token: tokA, body: gzipBytes(t, js)})
		var eb wire.ErrorBody
		_ = json.Unmarshal(resp, &eb)
		if got != http.StatusForbidden || eb.Error != wire.ErrCodeWrongHall || eb.Message == "" {
			t.Fatalf("hall A's credential claiming %v: %d %s, want 403 %s", claim, got, resp, wire.ErrCodeWrongHall)
		}
	}
	for _, h := range []hq.Hall{a, b} {
		if rs, _ := e.store.Records(ctx, h.ID, 0, 10); len(rs) != 0 {
			t.Fatalf("a refused claim stored %d records under hall %d", len(rs), h.ID)
		}
	}
	// A claim of its own hall, or none, is fine; a hall_id inside a record
	// is not a claim and is ignored.
	js, _ := json.Marshal(map[string]any{"hall_id": a.ID, "hall": a.Name, "first_seq": 1, "last_seq": 1, "records": []any{
		map[string]any{"hall_id": b.ID, "seq": r.Seq, "uuid": r.UUID, "kind": r.Kind, "at": r.At, "payload": r.Payload, "sha256": r.SHA256},
	}})
	if got, body := e.post(t, req{token: tokA, body: gzipBytes(t, js)}); got != 200 {
		t.Fatalf("status = %d (%s)", got, body)
	}
	if rs, _ := e.store.Records(ctx, b.ID, 0, 10); len(rs) != 0 {
		t.Fatalf("hall A's credential wrote %d records under hall B", len(rs))
	}
	if rs, _ := e.store.Records(ctx, a.ID, 0, 10); len(rs) != 1 || rs[0].UUID != r.UUID {
		t.Fatalf("hall A's records = %+v", rs)
	}
	// The same uuid and number under B is B's own record, not a conflict.
	_, tokB := e.addHall(t, "城北")
	if got, body := e.post(t, req{token: tokB, body: encode(t, batchOf(r))}); got != 200 || answer(t, body).Results[0].Status != wire.StatusInserted {
		t.Fatalf("another hall's record with the same uuid: %d %s", got, body)
	}
}

func TestConflictIs409WithAnAlertAndNeverOverwrites(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	r1, r2, r3 := rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`), rec(t, 3, `{"n":3}`)
	if got, b := e.post(t, req{token: tok, body: encode(t, batchOf(r1, r2))}); got != 200 {
		t.Fatalf("first batch: %d %s", got, b)
	}
	changed := recWithID(2, r2.UUID, `{"n":"changed"}`)
	got, b := e.post(t, req{token: tok, body: encode(t, batchOf(changed, r3))})
	if got != http.StatusConflict {
		t.Fatalf("status = %d (%s), want 409", got, b)
	}
	a := answer(t, b)
	if a.Error != wire.ErrCodeConflict || a.AckedThrough != 3 || len(a.Results) != 2 ||
		a.Results[0].Status != wire.StatusConflict || a.Results[0].UUID != r2.UUID || a.Results[1].Status != wire.StatusInserted {
		t.Fatalf("answer = %+v", a)
	}
	rs, _ := e.store.Records(ctx, h.ID, 0, 10)
	if len(rs) != 3 || string(rs[1].Payload) != `{"n":2}` {
		t.Fatalf("records after a conflict = %+v", rs)
	}
	alerts, _ := e.store.Alerts(ctx, h.ID)
	if len(alerts) != 1 || alerts[0].Kind != hq.AlertConflict {
		t.Fatalf("alerts = %+v", alerts)
	}
	// Sent again, the conflict is answered the same and not alerted twice.
	if got, _ := e.post(t, req{token: tok, body: encode(t, batchOf(changed, r3))}); got != http.StatusConflict {
		t.Fatalf("resent conflict: %d", got)
	}
	if alerts, _ := e.store.Alerts(ctx, h.ID); len(alerts) != 1 {
		t.Fatalf("a resent conflict raised another alert: %+v", alerts)
	}
}

func TestGapIs409WithHQsCursor(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	if got, _ := e.post(t, req{token: tok, body: encode(t, batchOf(rec(t, 1, `{}`)))}); got != 200 {
		t.Fatal(got)
	}
	got, b := e.post(t, req{token: tok, body: encode(t, batchOf(rec(t, 5, `{}`)))})
	a := answer(t, b)
	if got != http.StatusConflict || a.Error != wire.ErrCodeGap || a.AckedThrough != 1 {
		t.Fatalf("gap: %d %+v", got, a)
	}
	if rs, _ := e.store.Records(ctx, h.ID, 0, 10); len(rs) != 1 {
		t.Fatalf("a gap batch stored records: %+v", rs)
	}
}

func TestRejectedRecordSettlesItsNumberAndIsKept(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	bad := rec(t, 2, `{"n":2}`)
	bad.Payload = []byte(`{"n":"edited"}`) // digest no longer matches
	got, b := e.post(t, req{token: tok, body: encode(t, batchOf(rec(t, 1, `{}`), bad, rec(t, 3, `{}`)))})
	a := answer(t, b)
	if got != 200 || a.AckedThrough != 3 || a.Results[1].Status != wire.StatusRejected || a.Results[1].Reason != wire.ReasonBadDigest {
		t.Fatalf("answer: %d %+v", got, a)
	}
	rs, _ := e.store.Records(ctx, h.ID, 0, 10)
	if len(rs) != 2 {
		t.Fatalf("stored %d records, want 2", len(rs))
	}
	c, _ := e.store.Cursor(ctx, h.ID)
	if c.AckedThrough != 3 || c.LastContact.IsZero() {
		t.Fatalf("cursor = %+v", c)
	}
	if alerts, _ := e.store.Alerts(ctx, h.ID); len(alerts) != 1 || alerts[0].Kind != hq.AlertRejected {
		t.Fatalf("alerts = %+v", alerts)
	}
}

func TestNoticesForAHall(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	e := newEnv(t, hq.Options{Now: func() time.Time { return now }})
	a, tokA := e.addHall(t, "城关")
	b, _ := e.addHall(t, "城南")
	add := func(text string, until time.Time, halls []int64) {
		if _, err := e.store.AddNotice(ctx, hq.Notice{Kind: "outage", Text: text, From: now, Until: until, Halls: halls, Created: now}); err != nil {
			t.Fatal(err)
		}
	}
	add("全县", now.Add(time.Hour), nil)
	add("城关", now.Add(time.Hour), []int64{a.ID})
	add("城南", now.Add(time.Hour), []int64{b.ID})
	if _, err := e.store.AddNotice(ctx, hq.Notice{Kind: "info", Text: "已过期", From: now.Add(-2 * time.Hour), Until: now.Add(-time.Minute), Created: now}); err != nil {
		t.Fatal(err)
	}
	hr, _ := http.NewRequest(http.MethodGet, e.srv.URL+wire.PathNotices, nil)
	hr.Header.Set("Authorization", "Bearer "+tokA)
	hr.Header.Set(wire.HeaderProtocol, "1")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ns wire.Notices
	if err := json.NewDecoder(resp.Body).Decode(&ns); err != nil || resp.StatusCode != 200 {
		t.Fatalf("notices: %d %v", resp.StatusCode, err)
	}
	var texts []string
	for _, n := range ns.Notices {
		texts = append(texts, n.Text)
	}
	if !eq(texts, []string{"全县", "城关"}) {
		t.Fatalf("hall A's notices = %v", texts)
	}
}

func TestConcurrentResendsOfOneBatchAreSerialised(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	var rs []wire.Record
	for i := int64(1); i <= 100; i++ {
		rs = append(rs, rec(t, i, `{}`))
	}
	body := encode(t, batchOf(rs...))
	const n = 6
	type result struct {
		status int
		a      wire.Answer
		err    error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			hr, _ := http.NewRequest(http.MethodPost, e.srv.URL+wire.PathBatches, bytes.NewReader(body))
			hr.Header.Set("Authorization", "Bearer "+tok)
			hr.Header.Set(wire.HeaderProtocol, "1")
			hr.Header.Set("Content-Encoding", "gzip")
			hr.Header.Set(wire.HeaderDigest, wire.DigestOf(body))
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			var a wire.Answer
			err = json.NewDecoder(resp.Body).Decode(&a)
			results <- result{resp.StatusCode, a, err}
		}()
	}
	inserted := 0
	for range n {
		r := <-results
		if r.err != nil || r.status != 200 || r.a.AckedThrough != 100 {
			t.Fatalf("a concurrent send: %d %+v %v", r.status, r.a, r.err)
		}
		for _, res := range r.a.Results {
			if res.Status == wire.StatusInserted {
				inserted++
			}
		}
	}
	if inserted != 100 {
		t.Fatalf("%d inserted over all answers, want each record once: 100", inserted)
	}
	if got, _ := e.store.Records(ctx, h.ID, 0, 1000); len(got) != 100 {
		t.Fatalf("HQ holds %d records", len(got))
	}
}
