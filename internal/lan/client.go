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
}

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
	return &Client{base: base, cred: credential, rc: rc, hc: &http.Client{}}
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
	resp, err := c.rc.R().SetContext(ctx).
		SetHeader(HeaderIdemKey, newKey()).
		SetHeader("Content-Type", "application/json").
		SetBody(body). // []byte: resent whole on a retry
		Post(c.base + PathCall + method)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrDisconnected.with(err)
	}
	return decodeAnswer(method, resp.StatusCode(), resp.Body(), out)
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
