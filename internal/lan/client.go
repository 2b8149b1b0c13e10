package lan

//go:generate go run ./gen -o client_gen.go ../hall/service.go

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"servicehall/internal/hall"
)

// Client is hall.Service on a hall node across the LAN. Its methods are
// generated from the interface (client_gen.go); each is one call.
type Client struct {
	base string
	cred string
	rc   *resty.Client
	hc   *http.Client // for the event stream, which has no timeout

	mu sync.Mutex
	// unsure holds the keys of calls that ended without an answer (the
	// node unreachable, or gone mid-call): whether they were done is not
	// known. The same call made again (the same method and arguments: the
	// person pressing again) goes with the same key, so the node answers
	// it as a retry — once it is back, even after a restart — and does not
	// do it twice.
	unsure map[string]unsureCall
}

// unsureCall is the key of a call whose outcome is unknown, and when it
// was last tried.
type unsureCall struct {
	key string
	at  time.Time
}

// unsureKeep is how long the same call is taken for a retry of one whose
// outcome is unknown; unsureMax bounds how many are held.
const (
	unsureKeep = 2 * time.Minute
	unsureMax  = 64
)

var _ hall.Service = (*Client)(nil)

// ClientOptions tune a Client.
type ClientOptions struct {
	// Retries is how many times a call is sent again after a transport
	// failure or a 502/503/504 [4]; the idempotency key makes it safe.
	Retries int
	// RetryWait and RetryMaxWait bound the backoff between tries [100 ms, 1 s].
	RetryWait, RetryMaxWait time.Duration
	// Timeout bounds one try [15 s].
	Timeout time.Duration
}

// NewClient talks to the hall node at baseURL (http://HOST:PORT) with a
// paired PC's credential.
func NewClient(baseURL, credential string, opt ClientOptions) *Client {
	if opt.Retries == 0 {
		opt.Retries = 4
	}
	if opt.RetryWait <= 0 {
		opt.RetryWait = 100 * time.Millisecond
	}
	if opt.RetryMaxWait <= 0 {
		opt.RetryMaxWait = time.Second
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 15 * time.Second
	}
	base := strings.TrimRight(baseURL, "/")
	rc := resty.New().
		SetTimeout(opt.Timeout).
		SetRetryCount(max(opt.Retries, 0)).
		SetRetryWaitTime(opt.RetryWait).
		SetRetryMaxWaitTime(opt.RetryMaxWait).
		SetHeader(HeaderProtocol, Protocol).
		SetAuthToken(credential).
		// A retry condition replaces resty's default: transport errors
		// must be listed too.
		AddRetryCondition(func(r *resty.Response, err error) bool {
			if err != nil {
				return r == nil || r.Request == nil || r.Request.Context().Err() == nil
			}
			switch r.StatusCode() {
			case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				return true
			}
			return false
		})
	return &Client{base: base, cred: credential, rc: rc, hc: &http.Client{}, unsure: map[string]unsureCall{}}
}

func newKey() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// call calls method with args and decodes its one result into out (nil
// for methods that return only an error).
func (c *Client) call(ctx context.Context, method string, out any, args ...any) error {
	req := callRequest{Args: make([]json.RawMessage, len(args))}
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("lan: %s argument %d: %w", method, i+1, err)
		}
		req.Args[i] = b
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	sig := method + "\x00" + string(body)
	key := c.keyFor(sig)
	resp, err := c.rc.R().SetContext(ctx).
		SetHeader(HeaderIdemKey, key).
		SetHeader("Content-Type", "application/json").
		SetBody(body). // []byte: resent whole on a retry
		Post(c.base + PathCall + method)
	if err != nil {
		c.setUnsure(sig, key, true)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrDisconnected.with(err)
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		c.setUnsure(sig, key, true)
	default:
		c.setUnsure(sig, key, false)
	}
	return decodeAnswer(method, resp.StatusCode(), resp.Body(), out)
}

// keyFor is the idempotency key for the call sig: the key of the same
// call if its outcome is unknown, else a new one.
func (c *Client) keyFor(sig string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if u, ok := c.unsure[sig]; ok && time.Since(u.at) < unsureKeep {
		return u.key
	}
	return newKey()
}

// setUnsure records whether the call sig, sent with key, ended without
// knowing whether it was done.
func (c *Client) setUnsure(sig, key string, unsure bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !unsure {
		delete(c.unsure, sig)
		return
	}
	now := time.Now()
	if len(c.unsure) >= unsureMax {
		for s, u := range c.unsure {
			if now.Sub(u.at) >= unsureKeep {
				delete(c.unsure, s)
			}
		}
		for s := range c.unsure { // still full: drop any one
			if len(c.unsure) < unsureMax {
				break
			}
			delete(c.unsure, s)
		}
	}
	c.unsure[sig] = unsureCall{key: key, at: now}
}

// decodeAnswer turns the node's answer into out or an error.
func decodeAnswer(method string, status int, body []byte, out any) error {
	var cr callResponse
	if err := json.Unmarshal(body, &cr); err != nil {
		if status >= 500 {
			return ErrDisconnected.with(fmt.Errorf("%s: HTTP %d", method, status))
		}
		return ErrBadAnswer.with(fmt.Errorf("%s: HTTP %d: %w", method, status, err))
	}
	switch {
	case status == http.StatusOK:
	case status == http.StatusUnauthorized:
		return ErrUnpaired
	case status == http.StatusUpgradeRequired:
		return ErrProtocol
	case cr.Error != nil:
		return fromWire(cr.Error)
	default:
		return ErrBadAnswer.with(fmt.Errorf("%s: HTTP %d", method, status))
	}
	if out == nil {
		return nil
	}
	if len(cr.Result) != 1 {
		return ErrBadAnswer.with(fmt.Errorf("%s: %d results", method, len(cr.Result)))
	}
	if err := json.Unmarshal(cr.Result[0], out); err != nil {
		return ErrBadAnswer.with(fmt.Errorf("%s: %w", method, err))
	}
	return nil
}

// Subscribe streams the hall's events after afterSeq. The channel closes
// when ctx ends or the connection breaks; the windows then subscribe
// again from the last event they saw, as they do in-process.
func (c *Client) Subscribe(ctx context.Context, afterSeq int64) (<-chan hall.Event, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+PathEvents+"?after="+strconv.FormatInt(afterSeq, 10), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cred)
	req.Header.Set(HeaderProtocol, Protocol)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, ErrDisconnected.with(err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body) //nolint:errcheck // decoded below
		return nil, decodeAnswer("Subscribe", resp.StatusCode, buf.Bytes(), nil)
	}
	ch := make(chan hall.Event, 64)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var e hall.Event
			if err := json.Unmarshal([]byte(data), &e); err != nil {
				return
			}
			select {
			case ch <- e:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// Pair trades the pairing code shown on the hall node for this PC's
// credential.
func Pair(ctx context.Context, baseURL, code, name string) (PairResponse, error) {
	body, err := json.Marshal(PairRequest{Code: code, Name: name})
	if err != nil {
		return PairResponse{}, err
	}
	resp, err := resty.New().SetTimeout(15*time.Second).R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").SetBody(body).
		Post(strings.TrimRight(baseURL, "/") + PathPair)
	if err != nil {
		return PairResponse{}, ErrDisconnected.with(err)
	}
	if resp.StatusCode() != http.StatusOK {
		var cr callResponse
		if json.Unmarshal(resp.Body(), &cr) == nil && cr.Error != nil {
			if cr.Error.Code == ErrPairCode.Code {
				return PairResponse{}, ErrPairCode
			}
			return PairResponse{}, fromWire(cr.Error)
		}
		return PairResponse{}, ErrBadAnswer.with(fmt.Errorf("pair: HTTP %d", resp.StatusCode()))
	}
	var pr PairResponse
	if err := json.Unmarshal(resp.Body(), &pr); err != nil || pr.Credential == "" {
		return PairResponse{}, ErrBadAnswer.with(errors.New("pair: no credential"))
	}
	return pr, nil
}
