package lan

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"servicehall/internal/hall"
)

// ClientStore keeps the credentials of paired PCs, hashed.
type ClientStore interface {
	AddLANClient(ctx context.Context, c PairedClient) error
	LANClient(ctx context.Context, credentialHash string) (PairedClient, bool, error)
}

// AnswerStore keeps, with the hall's data, the answers of the calls whose
// changes the hall committed (hall.WithCallKey), so a call a PC sends
// again after the node restarted is answered, not done twice. The client
// store of a hall database is one (lansqlite).
type AnswerStore interface {
	// CallAnswer reports whether the call named key was done and, if it
	// was kept, the answer sent.
	CallAnswer(ctx context.Context, key string) (status int, body []byte, done, answered bool, err error)
	// SaveCallAnswer keeps the answer of a call that was done.
	SaveCallAnswer(ctx context.Context, key string, status int, body []byte) error
}

// PairedClient is a PC that joined the hall.
type PairedClient struct {
	ID       string
	Name     string
	Hash     string // hex SHA-256 of the credential
	PairedAt time.Time
	Revoked  bool
}

// ServerOptions tune a Server.
type ServerOptions struct {
	// PairingTTL is how long a pairing code is good for [10 min].
	PairingTTL time.Duration
	// OnPairingCode is called with each new pairing code, for the node to
	// show. It must not block.
	OnPairingCode func(code string, until time.Time)
	// Logf logs operational events (never customer data).
	Logf func(format string, args ...any)
	// Now is the clock [time.Now].
	Now func() time.Time
	// Heartbeat is how often an idle event stream gets a comment line, so
	// that dead connections are noticed [15 s].
	Heartbeat time.Duration
}

// Server serves a hall over the LAN.
type Server struct {
	svc     hall.Service
	clients ClientStore
	answers AnswerStore // nil: answers are remembered in memory only
	opt     ServerOptions
	methods map[string]reflect.Method // by name, of hall.Service
	idem    *idemCache
	hub     *hub
	mux     *http.ServeMux

	mu       sync.Mutex
	code     string
	until    time.Time
	failures int // wrong codes since the current one was made
}

// serviceType is hall.Service's interface type.
var serviceType = reflect.TypeFor[hall.Service]()

// callable reports whether a method can be called over /api/v1/call.
func callable(m reflect.Method) bool { return m.Name != "Subscribe" }

// NewServer serves svc, checking credentials against clients.
func NewServer(svc hall.Service, clients ClientStore, opt ServerOptions) *Server {
	if opt.PairingTTL <= 0 {
		opt.PairingTTL = 10 * time.Minute
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Heartbeat <= 0 {
		opt.Heartbeat = 15 * time.Second
	}
	s := &Server{svc: svc, clients: clients, opt: opt, methods: map[string]reflect.Method{}, idem: newIdemCache(10*time.Minute, 20000),
		hub: newHub(svc, 4096)}
	s.answers, _ = clients.(AnswerStore)
	for i := range serviceType.NumMethod() {
		m := serviceType.Method(i)
		if callable(m) {
			s.methods[m.Name] = m
		}
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+PathCall+"{method}", s.authed(s.handleCall))
	s.mux.HandleFunc("GET "+PathEvents, s.authed(s.handleEvents))
	s.mux.HandleFunc("POST "+PathPair, s.handlePair)
	s.mux.HandleFunc("GET "+PathHealth, s.handleHealth)
	s.displayRoutes()
	return s
}

// ServeHTTP serves the LAN API and the display page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// PairingCode returns the code a PC can pair with now, making a new one
// when the last has expired.
func (s *Server) PairingCode() (string, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.code == "" || !s.opt.Now().Before(s.until) {
		s.newCodeLocked()
	}
	return s.code, s.until
}

func (s *Server) newCodeLocked() {
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	s.code = fmt.Sprintf("%06d", n.Int64())
	s.until = s.opt.Now().Add(s.opt.PairingTTL)
	s.failures = 0
	if s.opt.OnPairingCode != nil {
		s.opt.OnPairingCode(s.code, s.until)
	}
}

// HashCredential is the stored form of a credential.
func HashCredential(cred string) string {
	h := sha256.Sum256([]byte(cred))
	return hex.EncodeToString(h[:])
}

func newCredential() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "lan_" + base64.RawURLEncoding.EncodeToString(b), nil
}

type clientKey struct{}

// authed checks the credential and the protocol version.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, PairedClient)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get(HeaderProtocol); v != "" && v != Protocol {
			writeJSON(w, http.StatusUpgradeRequired, callResponse{Error: &wireError{Code: ErrProtocol.Code, Message: ErrProtocol.Message}})
			return
		}
		cred, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || cred == "" {
			s.unauthorized(w)
			return
		}
		c, found, err := s.clients.LANClient(r.Context(), HashCredential(cred))
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, callResponse{Error: toWire(err)})
			return
		}
		if !found || c.Revoked {
			s.unauthorized(w)
			return
		}
		h(w, r, c)
	}
}

func (s *Server) unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="servicehall"`)
	writeJSON(w, http.StatusUnauthorized, callResponse{Error: &wireError{Code: ErrUnpaired.Code, Message: ErrUnpaired.Message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"message":"应答编码失败"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b) //nolint:errcheck // the client went away
}

// handleCall calls one method of the hall.
func (s *Server) handleCall(w http.ResponseWriter, r *http.Request, c PairedClient) {
	name := r.PathValue("method")
	m, ok := s.methods[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, callResponse{Error: &wireError{Message: "没有这项操作", Detail: "no method " + name}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequest))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, callResponse{Error: &wireError{Message: "请求过大或不完整", Detail: err.Error()}})
		return
	}
	key := r.Header.Get(HeaderIdemKey)
	// A call runs to its end even when the PC's connection drops: the
	// PC's retry then gets its answer instead of a cancelled half.
	run := func() (int, []byte) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
		defer cancel()
		if key == "" || s.answers == nil {
			return s.call(ctx, m, body)
		}
		return s.callOnce(ctx, m, body, c.ID+":"+m.Name+":"+key)
	}
	var status int
	var out []byte
	if key == "" {
		status, out = run()
	} else {
		status, out = s.idem.do(c.ID+"\x00"+m.Name+"\x00"+key, run)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(out) //nolint:errcheck // the client went away; a retry gets the same answer
}

// callOnce calls m as the call named callKey, once: a call whose change
// the hall already holds (sent again after the node restarted, when the
// memory of idemCache is gone) gets the answer kept with it, or
// hall.ErrCallDone if none was kept. The answer of a sign-in is never
// kept: it carries the session's token, which the hall's file holds only
// hashed.
func (s *Server) callOnce(ctx context.Context, m reflect.Method, body []byte, callKey string) (int, []byte) {
	status, out, done, answered, err := s.answers.CallAnswer(ctx, callKey)
	switch {
	case err != nil:
		// Doing the call again could do it twice: refuse, and let the PC retry.
		s.opt.Logf("lan: %s: read the answers of earlier calls: %v", m.Name, err)
		return encodeAnswer(http.StatusServiceUnavailable, callResponse{Error: toWire(hall.ErrStore.WithMessage(hall.ErrStore.Message, "read call answer: %v", err))})
	case answered:
		return status, out
	case done:
		return encodeAnswer(http.StatusUnprocessableEntity, callResponse{Error: toWire(hall.ErrCallDone)})
	}
	// The hall keeps a successful answer with the call's change, in the
	// same transaction; any other (a refusal it wrote down, a method whose
	// answer it could not encode) is kept just after.
	secret := answersWithToken(m)
	ctx = hall.WithCallKey(ctx, callKey, func(result any) []byte {
		if secret {
			return nil
		}
		b, err := json.Marshal(result)
		if err != nil {
			return nil
		}
		_, body := encodeAnswer(http.StatusOK, callResponse{Result: []json.RawMessage{b}})
		return body
	})
	status, out = s.call(ctx, m, body)
	keep := status != http.StatusOK || (!secret && !bytes.Equal(hall.CallAnswerKept(ctx), out))
	if hall.CallCommitted(ctx) && keep {
		if err := s.answers.SaveCallAnswer(ctx, callKey, status, out); err != nil {
			s.opt.Logf("lan: %s: keep the answer: %v", m.Name, err)
		}
	}
	return status, out
}

// answersWithToken reports whether m's successful answer carries a
// session's token (hall.Session: SignIn, Unlock).
func answersWithToken(m reflect.Method) bool {
	ft := m.Type
	for i := range ft.NumOut() {
		if ft.Out(i) == reflect.TypeFor[hall.Session]() {
			return true
		}
	}
	return false
}

// encodeAnswer is the status and body of an answer.
func encodeAnswer(status int, v callResponse) (int, []byte) {
	b, err := json.Marshal(v)
	if err != nil {
		return http.StatusInternalServerError, []byte(`{"error":{"message":"应答编码失败"}}`)
	}
	return status, b
}

// call decodes the arguments, calls the method and encodes its answer.
func (s *Server) call(ctx context.Context, m reflect.Method, body []byte) (int, []byte) {
	enc := encodeAnswer
	var req callRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return enc(http.StatusBadRequest, callResponse{Error: &wireError{Message: "请求格式有误", Detail: err.Error()}})
	}
	ft := m.Type // func(ctx, args...) (results..., error)
	if len(req.Args) != ft.NumIn()-1 {
		return enc(http.StatusBadRequest, callResponse{Error: &wireError{Message: "请求参数个数有误",
			Detail: fmt.Sprintf("%s takes %d arguments, got %d", m.Name, ft.NumIn()-1, len(req.Args))}})
	}
	in := []reflect.Value{reflect.ValueOf(ctx)}
	for i, raw := range req.Args {
		p := reflect.New(ft.In(i + 1))
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return enc(http.StatusBadRequest, callResponse{Error: &wireError{Message: "请求参数有误", Detail: fmt.Sprintf("%s argument %d: %v", m.Name, i+1, err)}})
		}
		in = append(in, p.Elem())
	}
	outs := reflect.ValueOf(s.svc).MethodByName(m.Name).Call(in)
	if errV := outs[len(outs)-1]; !errV.IsNil() {
		err := errV.Interface().(error)
		status := http.StatusUnprocessableEntity
		var he *hall.Error
		if !errors.As(err, &he) {
			status = http.StatusInternalServerError
			s.opt.Logf("lan: %s: %v", m.Name, err)
		}
		return enc(status, callResponse{Error: toWire(err)})
	}
	res := make([]json.RawMessage, 0, len(outs)-1)
	for _, o := range outs[:len(outs)-1] {
		b, err := json.Marshal(o.Interface())
		if err != nil {
			return enc(http.StatusInternalServerError, callResponse{Error: &wireError{Message: "应答编码失败", Detail: err.Error()}})
		}
		res = append(res, b)
	}
	return enc(http.StatusOK, callResponse{Result: res})
}

// handleEvents streams the hall's events after ?after=SEQ as Server-Sent
// Events until the client goes away.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, _ PairedClient) {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		writeJSON(w, http.StatusBadRequest, callResponse{Error: &wireError{Message: "事件序号有误", Detail: "after=" + r.URL.Query().Get("after")}})
		return
	}
	s.fanOut(w, r, after)
}

// fanOut streams every event after seq from the hub, reading the log
// directly first when seq is older than the hub's ring.
func (s *Server) fanOut(w http.ResponseWriter, r *http.Request, seq int64) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ctx := r.Context()
	s.hub.join()
	defer s.hub.leave()
	startStream(w, fl)
	beat := time.NewTicker(s.opt.Heartbeat)
	defer beat.Stop()
	for {
		frames, covered, wake, failed := s.hub.after(seq)
		if !covered {
			if target, started := s.hub.lastSeq(); started {
				var err error
				if seq, err = s.catchUp(ctx, w, fl, seq, target); err != nil {
					return
				}
				continue
			}
		}
		for _, f := range frames {
			if _, err := w.Write(f); err != nil {
				return
			}
		}
		if len(frames) > 0 {
			fl.Flush()
			// The seq of the last frame written.
			seq = frameSeq(frames[len(frames)-1])
			continue
		}
		select {
		case <-wake:
		case <-failed:
			return // the hall's stream ended; the PC reconnects
		case <-beat.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-ctx.Done():
			return
		}
	}
}

// catchUp writes the events after seq up to target straight from the
// hall's log, and returns the last written.
func (s *Server) catchUp(ctx context.Context, w io.Writer, fl http.Flusher, seq, target int64) (int64, error) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := s.svc.Subscribe(cctx, seq)
	if err != nil {
		return seq, err
	}
	for seq < target {
		select {
		case e, ok := <-events:
			if !ok {
				return seq, ctx.Err()
			}
			f, err := encodeFrame(e)
			if err != nil {
				return seq, err
			}
			if _, err := w.Write(f.data); err != nil {
				return seq, err
			}
			seq = e.Seq
		case <-ctx.Done():
			return seq, ctx.Err()
		}
	}
	fl.Flush()
	return seq, nil
}

// frameSeq reads the id line of a frame.
func frameSeq(f []byte) int64 {
	var n int64
	fmt.Sscanf(string(f), "id: %d", &n) //nolint:errcheck // frames are ours
	return n
}

func startStream(w http.ResponseWriter, fl http.Flusher) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, ": servicehall\n\n") //nolint:errcheck // a broken stream ends at the next write
	fl.Flush()
}

// stream writes events from svc.Subscribe as SSE, each as pick makes it.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, after int64, pick func(hall.Event) (any, bool)) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	events, err := s.svc.Subscribe(ctx, after)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, callResponse{Error: toWire(err)})
		return
	}
	startStream(w, fl)
	beat := time.NewTicker(s.opt.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			v, keep := pick(e)
			if !keep {
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				return
			}
			if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.Seq, b); err != nil {
				return
			}
			fl.Flush()
		case <-beat.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-ctx.Done():
			return
		}
	}
}

// handlePair trades the pairing code for a credential. A wrong code
// counts; five in a row retire the code, so it cannot be guessed.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	var req PairRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, callResponse{Error: &wireError{Message: "配对请求格式有误", Detail: err.Error()}})
		return
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || utf8.RuneCountInString(name) > 40 {
		writeJSON(w, http.StatusBadRequest, callResponse{Error: &wireError{Message: "请填写本机名称（不超过40个字），如 3号窗口"}})
		return
	}
	s.mu.Lock()
	if s.code == "" || !s.opt.Now().Before(s.until) {
		s.newCodeLocked()
	}
	good := subtle.ConstantTimeCompare([]byte(strings.TrimSpace(req.Code)), []byte(s.code)) == 1
	if !good {
		s.failures++
		if s.failures >= 5 {
			s.newCodeLocked()
		}
		s.mu.Unlock()
		s.opt.Logf("lan: a wrong pairing code from %s", r.RemoteAddr)
		writeJSON(w, http.StatusForbidden, callResponse{Error: &wireError{Code: ErrPairCode.Code, Message: ErrPairCode.Message}})
		return
	}
	s.newCodeLocked() // a code pairs one PC
	s.mu.Unlock()
	cred, err := newCredential()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, callResponse{Error: toWire(err)})
		return
	}
	id, err := newCredential()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, callResponse{Error: toWire(err)})
		return
	}
	c := PairedClient{ID: strings.TrimPrefix(id, "lan_")[:16], Name: name, Hash: HashCredential(cred), PairedAt: s.opt.Now().UTC()}
	if err := s.clients.AddLANClient(r.Context(), c); err != nil {
		writeJSON(w, http.StatusInternalServerError, callResponse{Error: toWire(err)})
		return
	}
	s.opt.Logf("lan: paired %q from %s", name, r.RemoteAddr)
	hallName := ""
	if o, err := s.svc.Overview(r.Context()); err == nil {
		hallName = o.Hall.Name
	}
	writeJSON(w, http.StatusOK, PairResponse{Credential: cred, Hall: hallName})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.Overview(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, callResponse{Error: toWire(err)})
		return
	}
	writeJSON(w, http.StatusOK, Health{Hall: o.Hall.Name, Protocol: Protocol, LastSeq: o.LastSeq})
}

// idemCache remembers the answers of calls by idempotency key, so a call
// retried after a lost answer gets the first answer instead of running
// again; a retry that arrives while the first is running waits for it. A
// 503 is not remembered: it says the call did not run, and its retry must
// run it.
type idemCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[string]*idemEntry
}

type idemEntry struct {
	done   chan struct{}
	status int
	body   []byte
	at     time.Time
}

func newIdemCache(ttl time.Duration, max int) *idemCache {
	return &idemCache{ttl: ttl, max: max, entries: map[string]*idemEntry{}}
}

func (c *idemCache) do(key string, run func() (int, []byte)) (int, []byte) {
	c.mu.Lock()
	if e := c.entries[key]; e != nil {
		c.mu.Unlock()
		<-e.done
		return e.status, e.body
	}
	e := &idemEntry{done: make(chan struct{}), at: time.Now()}
	c.entries[key] = e
	if len(c.entries) > c.max {
		c.pruneLocked()
	}
	c.mu.Unlock()
	defer close(e.done)
	e.status, e.body = run()
	if e.status == http.StatusServiceUnavailable {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.status, e.body
}

// pruneLocked drops finished entries older than the TTL, then, if still
// too many, the oldest finished ones.
func (c *idemCache) pruneLocked() {
	cutoff := time.Now().Add(-c.ttl)
	for k, e := range c.entries {
		select {
		case <-e.done:
			if e.at.Before(cutoff) {
				delete(c.entries, k)
			}
		default:
		}
	}
	for len(c.entries) > c.max {
		var oldK string
		var oldAt time.Time
		for k, e := range c.entries {
			select {
			case <-e.done:
				if oldK == "" || e.at.Before(oldAt) {
					oldK, oldAt = k, e.at
				}
			default:
			}
		}
		if oldK == "" {
			return
		}
		delete(c.entries, oldK)
	}
}
