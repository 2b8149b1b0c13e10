package hq

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"servicehall/internal/hq/wire"
)

// Options tune a Server.
type Options struct {
	Now    func() time.Time // default time.Now
	Limits wire.Limits      // zero: wire.DefaultLimits
	// MaxInFlight bounds batches being read and applied at once; more are
	// answered 503 with Retry-After, which bounds memory. Default 8.
	MaxInFlight int
	Logf        func(format string, args ...any) // default log.Printf
	// Location is the zone of the staff page's days and times; default
	// Asia/Shanghai.
	Location *time.Location
}

// Server is HQ's sync endpoint.
type Server struct {
	store Storage
	now   func() time.Time
	lim   wire.Limits
	slots chan struct{}
	logf  func(format string, args ...any)
	keys  keyring
	loc   *time.Location
	// logins counts failed staff sign-ins.
	logins loginLimiter
}

// NewServer serves halls from store.
func NewServer(store Storage, opt Options) *Server {
	s := &Server{store: store, now: opt.Now, lim: opt.Limits, logf: opt.Logf}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lim == (wire.Limits{}) {
		s.lim = wire.DefaultLimits
	}
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = 8
	}
	s.slots = make(chan struct{}, opt.MaxInFlight)
	if s.logf == nil {
		s.logf = log.Printf
	}
	s.loc = opt.Location
	if s.loc == nil {
		var err error
		if s.loc, err = time.LoadLocation("Asia/Shanghai"); err != nil {
			s.loc = time.FixedZone("CST", 8*3600)
		}
	}
	return s
}

// Handler routes the protocol's paths.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+wire.PathBatches, s.batches)
	mux.HandleFunc("GET "+wire.PathNotices, s.notices)
	mux.HandleFunc("POST "+wire.PathCheckpoints, s.checkpoints)
	s.staffRoutes(mux)
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.HeaderProtocol, strconv.Itoa(wire.Protocol))
		w.Write([]byte("ok\n"))
	})
	return mux
}

// retryAfterBusy is what a hall is told to wait when HQ is full.
const retryAfterBusy = 2 * time.Second

func (s *Server) batches(w http.ResponseWriter, r *http.Request) {
	h, ok := s.admit(w, r)
	if !ok {
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfterBusy/time.Second)))
		writeError(w, http.StatusServiceUnavailable, "busy", "总部繁忙，请稍后重试")
		return
	}
	if enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc != "gzip" {
		writeError(w, http.StatusUnsupportedMediaType, "not_gzip", "请求内容须为 gzip 压缩")
		return
	}
	b, err := s.readBatch(w, r)
	if err != nil {
		var re *wire.RequestError
		if errors.As(err, &re) {
			writeError(w, re.Status, re.Code, re.Message)
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", "请求有误")
		return
	}
	if !checkClaim(w, h, b.HallClaim) {
		return
	}
	verdicts := make([]string, len(b.Records))
	for i, rec := range b.Records {
		verdicts[i] = wire.CheckRecord(rec, s.lim)
	}
	out, err := s.store.ApplyBatch(r.Context(), h.ID, b, verdicts, s.now())
	if err != nil {
		s.logf("hq: apply batch of hall %d (%s) seq %d..%d: %v", h.ID, h.Name, b.FirstSeq, b.LastSeq, err)
		writeError(w, http.StatusInternalServerError, "store", "总部保存失败，请稍后重试")
		return
	}
	a := wire.Answer{AckedThrough: out.AckedThrough, Results: out.Results}
	status := http.StatusOK
	switch {
	case out.Gap:
		status, a.Error, a.Message = http.StatusConflict, wire.ErrCodeGap, "批次与总部已收到的记录之间有缺口，请从确认位置之后重发"
	case out.Conflict():
		status, a.Error, a.Message = http.StatusConflict, wire.ErrCodeConflict, "批次中有记录与总部已存的记录冲突"
	}
	writeJSON(w, status, a)
}

// readBatch reads, checks and decodes the body within the limits.
func (s *Server) readBatch(w http.ResponseWriter, r *http.Request) (*wire.Batch, error) {
	// MaxBytesReader also tells the server to close the connection rather
	// than drain an oversized body.
	body, err := wire.ReadBody(http.MaxBytesReader(w, r.Body, s.lim.MaxBody+1), s.lim)
	if err != nil {
		return nil, err
	}
	if err := wire.CheckDigest(r.Header, body); err != nil {
		return nil, err
	}
	return wire.DecodeBatch(body, s.lim)
}

func (s *Server) notices(w http.ResponseWriter, r *http.Request) {
	h, ok := s.admit(w, r)
	if !ok {
		return
	}
	ns, err := s.store.Notices(r.Context(), h.ID, s.now())
	if err != nil {
		s.logf("hq: notices for hall %d: %v", h.ID, err)
		writeError(w, http.StatusInternalServerError, "store", "总部读取公告失败，请稍后重试")
		return
	}
	out := wire.Notices{Notices: make([]wire.Notice, 0, len(ns))}
	for _, n := range ns {
		out.Notices = append(out.Notices, wire.Notice{ID: n.ID, Kind: n.Kind, Text: n.Text, From: n.From.UTC(), Until: n.Until.UTC()})
	}
	writeJSON(w, http.StatusOK, out)
}

// admit checks the protocol version and the credential; the hall comes
// from the credential alone, never from anything the body says.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) (Hall, bool) {
	w.Header().Set(wire.HeaderProtocol, strconv.Itoa(wire.Protocol))
	switch v := wire.ParseProtocol(r.Header); {
	case v < wire.MinProtocol:
		w.Header().Set("Upgrade", "servicehall-sync/"+strconv.Itoa(wire.Protocol))
		writeError(w, http.StatusUpgradeRequired, "upgrade_required", "营业厅程序版本过旧，请升级后再同步")
		return Hall{}, false
	case v > wire.Protocol:
		writeError(w, http.StatusBadRequest, "protocol_too_new", "营业厅程序比总部新，请先升级总部服务")
		return Hall{}, false
	}
	tok, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="servicehall-hq"`)
		writeError(w, http.StatusUnauthorized, "unauthorized", "缺少营业厅凭据")
		return Hall{}, false
	}
	h, err := s.store.HallByToken(r.Context(), HashToken(tok))
	switch {
	case errors.Is(err, ErrUnknownHall):
		w.Header().Set("WWW-Authenticate", `Bearer realm="servicehall-hq", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "unauthorized", "营业厅凭据无效")
		return Hall{}, false
	case err != nil:
		s.logf("hq: look up credential: %v", err)
		writeError(w, http.StatusInternalServerError, "store", "总部暂时无法核对凭据，请稍后重试")
		return Hall{}, false
	}
	return h, true
}

func bearer(v string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, code, zh string) {
	writeJSON(w, status, wire.ErrorBody{Error: code, Message: zh})
}

// Serve runs srv until ctx ends, then shuts it down gracefully, letting
// batches in flight finish so that no answer is cut after a commit.
func Serve(ctx context.Context, srv *http.Server, serve func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
