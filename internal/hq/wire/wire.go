// Package wire is the hall ↔ headquarters sync protocol as bytes: the shapes
// of requests and answers, the headers, and the encoding and bounded
// decoding of a batch. Both the hall's client and HQ's server use it, so
// the two cannot drift apart. docs/sync-protocol.md describes it for people.
package wire

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"servicehall/internal/hall"
)

// Protocol versions. A request names its version in HeaderProtocol; HQ
// answers 426 to one older than MinProtocol.
const (
	Protocol    = 1
	MinProtocol = 1
)

// Headers.
const (
	HeaderProtocol = "X-Servicehall-Protocol"
	// HeaderDigest carries the SHA-256 of the body as sent (the gzip bytes),
	// in RFC 9530 form: sha-256=:BASE64:. HQ also accepts the older RFC 3230
	// form in HeaderLegacyDigest: sha-256=BASE64.
	HeaderDigest       = "Content-Digest"
	HeaderLegacyDigest = "Digest"
)

// Paths.
const (
	PathBatches = "/v1/batches"
	PathNotices = "/v1/notices"
)

// Limits bound what HQ reads from one request.
type Limits struct {
	MaxBody         int64 // compressed bytes on the wire
	MaxDecompressed int64 // bytes after gunzip
	MaxRecords      int   // records in one batch
	MaxPayload      int   // bytes of one record's payload
}

// DefaultLimits are HQ's limits. A hall sends at most 500 records or about
// 1 MiB of them per batch (under 2 MiB of JSON), far inside them. Decoding
// holds up to about twice MaxDecompressed in memory, so it is kept modest.
var DefaultLimits = Limits{
	MaxBody:         8 << 20,
	MaxDecompressed: 32 << 20,
	MaxRecords:      10000,
	MaxPayload:      1 << 20,
}

// Batch is the body of POST /v1/batches, before gzip. It covers every
// sequence number from FirstSeq to LastSeq: each is either in Records or in
// Missing, the hall's declaration that its own log lacks that number.
type Batch struct {
	HallClaim
	HallClock time.Time `json:"hall_clock"` // the hall's clock when it built the batch, for skew reports
	// HallLastSeq is the newest number in the hall's log when it built the
	// batch (0: not said): HQ shows the hall's backlog with it.
	HallLastSeq int64    `json:"hall_last_seq,omitempty"`
	FirstSeq    int64    `json:"first_seq"`
	LastSeq     int64    `json:"last_seq"`
	Records     []Record `json:"records"`
	Missing     []int64  `json:"missing,omitempty"`
}

// Record is one event of the hall's log as sent.
type Record struct {
	Seq     int64  `json:"seq"`
	UUID    string `json:"uuid"`
	Kind    string `json:"kind"`
	At      int64  `json:"at"`      // Unix milliseconds, UTC: what the digest covers
	Payload []byte `json:"payload"` // the stored bytes, base64 in JSON so they arrive exactly
	SHA256  string `json:"sha256"`  // lowercase hex of hall.Event.ComputeDigest
}

// FromEvent builds a record from a hall event.
func FromEvent(e hall.Event) Record {
	return Record{Seq: e.Seq, UUID: e.UUID, Kind: string(e.Kind), At: e.At.UnixMilli(),
		Payload: e.Payload, SHA256: hex.EncodeToString(e.Digest[:])}
}

// Event is the record as a hall event, its Digest parsed from SHA256 (zero
// when that is not 64 hex digits).
func (r Record) Event() hall.Event {
	e := hall.Event{Seq: r.Seq, UUID: r.UUID, Kind: hall.Kind(r.Kind), At: time.UnixMilli(r.At).UTC(), Payload: r.Payload}
	if b, err := hex.DecodeString(r.SHA256); err == nil && len(b) == 32 {
		copy(e.Digest[:], b)
	}
	return e
}

// Statuses of a record in an answer.
const (
	StatusInserted  = "inserted"  // stored now
	StatusDuplicate = "duplicate" // stored before, the same content
	StatusRejected  = "rejected"  // refused for what it is (digest, form); kept aside at HQ
	StatusConflict  = "conflict"  // its uuid or seq is already HQ's with other content
	StatusMissing   = "missing"   // a number the hall declared missing from its log
)

// Settled reports whether HQ took the status as final for that number
// without storing the record: the hall quarantines such records.
func Settled(status string) bool {
	return status == StatusRejected || status == StatusConflict || status == StatusMissing
}

// Result is HQ's word on one record, or on one declared-missing number
// (UUID empty).
type Result struct {
	Seq    int64  `json:"seq"`
	UUID   string `json:"uuid,omitempty"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"` // Chinese, for the duty director
}

// Answer is HQ's reply to a batch: 200, or 409 with Error "conflict" (the
// batch was applied; Results say which records conflict) or "gap" (nothing
// was applied; resend from AckedThrough+1).
type Answer struct {
	Error        string   `json:"error,omitempty"`
	Message      string   `json:"message,omitempty"`
	AckedThrough int64    `json:"acked_through_seq"`
	Results      []Result `json:"results,omitempty"`
}

// Error codes in answers.
const (
	ErrCodeGap      = "gap"
	ErrCodeConflict = "conflict"
)

// Notice is an outage or other notice HQ publishes to halls.
type Notice struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"` // outage, emergency, info (hall.NoticeKind)
	Text  string    `json:"text"`
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
}

// Notices is the body of GET /v1/notices.
type Notices struct {
	Notices []Notice `json:"notices"`
}

// ErrorBody is the body of every other error answer.
type ErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"` // Chinese
}

// Encode marshals and gzips a batch and returns the body with the value of
// its digest header. The body is bytes, not a stream, so a retry resends it
// whole.
func Encode(b *Batch) (body []byte, digest string, err error) {
	var buf bytes.Buffer
	buf.Grow(len(b.Records)*160 + 512)
	// BestSpeed: on a hall PC the drain is CPU-bound, and a LAN or WAN link
	// carries these small batches either way. A compressor holds about a
	// megabyte of state: it is reused, not made per batch. The JSON goes
	// straight into it (encoding/json reuses its own buffers), followed by
	// a newline.
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if err := json.NewEncoder(zw).Encode(b); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), DigestOf(buf.Bytes()), nil
}

var gzipWriters = sync.Pool{New: func() any {
	zw, err := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	if err != nil { // BestSpeed is a valid level
		panic(err)
	}
	return zw
}}

// DigestOf is the Content-Digest value of body.
func DigestOf(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// RequestError is a request HQ refuses as a whole; Status is the HTTP status.
type RequestError struct {
	Status  int
	Code    string
	Message string // Chinese
	Detail  string
}

func (e *RequestError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Code)
}

// UserMessage is the Chinese text for people.
func (e *RequestError) UserMessage() string { return e.Message }

func badRequest(code, zh, detail string, args ...any) *RequestError {
	return &RequestError{Status: http.StatusBadRequest, Code: code, Message: zh, Detail: fmt.Sprintf(detail, args...)}
}

// parseDigest reads a SHA-256 from a Content-Digest (sha-256=:B64:) or a
// Digest (sha-256=B64) header value; other algorithms in the list are
// skipped.
func parseDigest(v string, rfc9530 bool) ([]byte, bool) {
	for part := range strings.SplitSeq(v, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "sha-256") {
			continue
		}
		val = strings.TrimSpace(val)
		if rfc9530 {
			if len(val) < 2 || val[0] != ':' || val[len(val)-1] != ':' {
				return nil, false
			}
			val = val[1 : len(val)-1]
		}
		b, err := base64.StdEncoding.DecodeString(val)
		if err != nil || len(b) != sha256.Size {
			return nil, false
		}
		return b, true
	}
	return nil, false
}

// CheckDigest verifies body against the request's digest headers.
func CheckDigest(h http.Header, body []byte) error {
	var want []byte
	var ok bool
	if v := h.Get(HeaderDigest); v != "" {
		want, ok = parseDigest(v, true)
	} else if v := h.Get(HeaderLegacyDigest); v != "" {
		want, ok = parseDigest(v, false)
	} else {
		return badRequest("digest_missing", "请求缺少校验值", "no %s header", HeaderDigest)
	}
	if !ok {
		return badRequest("digest_malformed", "请求的校验值格式有误", "unreadable digest header")
	}
	got := sha256.Sum256(body)
	if !bytes.Equal(got[:], want) {
		return badRequest("digest_mismatch", "请求内容与校验值不符（传输中损坏或被截断）", "body sha-256 does not match")
	}
	return nil
}

// ReadBody reads at most lim.MaxBody bytes of a request body.
func ReadBody(r io.Reader, lim Limits) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, lim.MaxBody+1))
	if err != nil {
		return nil, badRequest("body_unreadable", "请求内容读取失败", "read body: %v", err)
	}
	if int64(len(b)) > lim.MaxBody {
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: "请求内容过大", Detail: fmt.Sprintf("body over %d bytes", lim.MaxBody)}
	}
	if len(b) == 0 {
		return nil, badRequest("body_empty", "请求内容为空", "empty body")
	}
	return b, nil
}

// countingReader stops at a limit and remembers that it reached it.
type countingReader struct {
	r       io.Reader
	left    int64
	reached bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body exactly at the limit from a larger one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.reached = true
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

var errTooLarge = errors.New("decompressed body over the limit")

// DecodeBatch gunzips and decodes a compressed batch body (its digest
// already checked) and validates its shape: sequence numbers ascending and
// covering FirstSeq..LastSeq exactly once. It streams through a bounded
// reader, so a gzip bomb costs at most lim.MaxDecompressed bytes of reading
// and far less memory when it is not JSON. Records are not checked here:
// CheckRecord judges each on its own.
func DecodeBatch(body []byte, lim Limits) (*Batch, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, badRequest("not_gzip", "请求内容不是 gzip 压缩格式", "gzip: %v", err)
	}
	zr.Multistream(false)
	cr := &countingReader{r: zr, left: lim.MaxDecompressed}
	br := bufio.NewReaderSize(cr, 4096)
	var b Batch
	if first, err := br.Peek(1); err == nil && first[0] == '{' {
		// What looks like a batch is read whole (within the limit, the
		// gzip CRC checked at its end) and parsed directly when it has the
		// hall's own form.
		// A batch compresses about 3 to 5 times: start near its size.
		buf := bytes.NewBuffer(make([]byte, 0, min(int64(len(body))*5+4096, lim.MaxDecompressed+1)))
		if _, err := buf.ReadFrom(br); err != nil {
			return nil, decodeError(cr, err)
		}
		raw := buf.Bytes()
		var ok bool
		if b, ok = fastBatch(raw); !ok {
			b = Batch{}
			if err := decodeStream(bytes.NewReader(raw), cr, &b); err != nil {
				return nil, err
			}
		}
	} else if err := decodeStream(br, cr, &b); err != nil {
		// Anything else is decoded as a stream, so that a gzip bomb that
		// is not JSON is refused at its first bytes.
		return nil, err
	}
	if err := b.validate(lim); err != nil {
		return nil, err
	}
	return &b, nil
}

// decodeStream decodes one batch from r with encoding/json and reads r to
// its end, so that gzip checks its CRC and trailing data is refused.
func decodeStream(r io.Reader, cr *countingReader, b *Batch) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(b); err != nil {
		return decodeError(cr, err)
	}
	rest, err := io.ReadAll(io.MultiReader(dec.Buffered(), r))
	if err != nil {
		return decodeError(cr, err)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return badRequest("trailing_data", "请求内容有多余数据", "data after the batch")
	}
	return nil
}

func decodeError(cr *countingReader, err error) error {
	if cr.reached || errors.Is(err, errTooLarge) {
		return &RequestError{Status: http.StatusRequestEntityTooLarge, Code: "decompressed_too_large",
			Message: "请求内容解压后过大", Detail: err.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return badRequest("truncated", "请求内容不完整（被截断）", "%v", err)
	}
	return badRequest("undecodable", "请求内容无法解析", "%v", err)
}

// validate checks the batch as a whole.
func (b *Batch) validate(lim Limits) error {
	if len(b.Records) == 0 {
		return badRequest("no_records", "批次中没有记录", "empty batch")
	}
	if len(b.Records)+len(b.Missing) > lim.MaxRecords {
		return badRequest("too_many_records", "批次中的记录过多", "%d records", len(b.Records))
	}
	if b.FirstSeq < 1 || b.LastSeq < b.FirstSeq {
		return badRequest("bad_range", "批次的序号范围有误", "first %d last %d", b.FirstSeq, b.LastSeq)
	}
	if n := b.LastSeq - b.FirstSeq + 1; n != int64(len(b.Records)+len(b.Missing)) {
		return badRequest("bad_range", "批次的序号范围与记录数不符", "range of %d numbers, %d records and %d missing", n, len(b.Records), len(b.Missing))
	}
	// Merge records and missing numbers: together they must run
	// FirstSeq, FirstSeq+1, … LastSeq, each list ascending.
	next, i, j := b.FirstSeq, 0, 0
	for i < len(b.Records) || j < len(b.Missing) {
		switch {
		case i < len(b.Records) && b.Records[i].Seq == next:
			i++
		case j < len(b.Missing) && b.Missing[j] == next:
			j++
		default:
			return badRequest("bad_sequence", "批次的序号不连续或重复", "number %d is neither a record nor declared missing, in order", next)
		}
		next++
	}
	return nil
}

// Reasons a single record is rejected.
var (
	ReasonBadUUID    = "记录编号格式有误"
	ReasonBadKind    = "记录类别有误"
	ReasonTooLarge   = "记录内容过大"
	ReasonBadDigest  = "记录内容与校验值不符（记录在营业厅被改动或损坏）"
	ReasonBadPayload = "记录内容不是有效的 JSON"
)

// CheckRecord judges one record on its own: "" when it may be stored,
// otherwise the Chinese reason it is rejected. The digest is recomputed from
// the content, never trusted.
func CheckRecord(r Record, lim Limits) string {
	if !validUUID(r.UUID) {
		return ReasonBadUUID
	}
	if r.Kind == "" || len(r.Kind) > 64 {
		return ReasonBadKind
	}
	if len(r.Payload) > lim.MaxPayload {
		return ReasonTooLarge
	}
	want, err := hex.DecodeString(r.SHA256)
	if err != nil || len(want) != sha256.Size || r.SHA256 != strings.ToLower(r.SHA256) {
		return ReasonBadDigest
	}
	e := r.Event()
	got := e.ComputeDigest()
	if !bytes.Equal(got[:], want) {
		return ReasonBadDigest
	}
	if !json.Valid(r.Payload) {
		return ReasonBadPayload
	}
	return ""
}

// validUUID accepts the canonical 36-character lowercase form the hall
// writes, so one record has one spelling of its key.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// ParseProtocol reads the protocol header: 0 when absent or unreadable.
func ParseProtocol(h http.Header) int {
	v, err := strconv.Atoi(strings.TrimSpace(h.Get(HeaderProtocol)))
	if err != nil || v < 0 {
		return 0
	}
	return v
}
