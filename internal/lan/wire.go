// Package lan runs a hall over its local network: the hall node serves
// hall.Service over HTTP (Server), and every other PC of the hall — the
// kiosk, each counter, the evaluators, the TV — uses Client, which
// implements the same hall.Service, so the windows are the same code
// whether the hall is in-process or across the LAN.
//
// The protocol is written down in docs/lan-protocol.md. In short:
//
//   - POST /api/v1/call/{Method} with {"args": [...]} calls one method of
//     hall.Service (the context is not an argument). 200 answers
//     {"result": [...]} with the method's results but the error; 422
//     answers {"error": {code, message, detail, key, args}} for the hall's
//     typed errors, which the client turns back into *hall.Error, so
//     errors.Is, hall.Message and hall.MessageIn work as they do in-process.
//   - Every call carries Authorization: Bearer CREDENTIAL (a paired PC's)
//     and Idempotency-Key: a fresh key per logical call, kept across
//     retries, so a call retried after a lost answer is done once.
//   - GET /api/v1/events?after=SEQ streams the hall's events as
//     Server-Sent Events.
//   - POST /api/v1/pair {"code", "name"} trades the pairing code the node
//     shows for a credential.
//   - GET /display is the hall display as a web page for a TV's browser,
//     with /display/state and /display/events: public within the LAN,
//     read-only, and without any customer data.
package lan

import (
	"encoding/json"
	"errors"

	"servicehall/internal/hall"
)

// Paths and headers.
const (
	PathCall       = "/api/v1/call/"
	PathEvents     = "/api/v1/events"
	PathPair       = "/api/v1/pair"
	PathHealth     = "/api/v1/health"
	PathDisplay    = "/display"
	HeaderIdemKey  = "Idempotency-Key"
	HeaderProtocol = "X-Servicehall-LAN"
	// Protocol is this protocol's version; a node refuses other versions
	// with 426.
	Protocol = "1"
	// MaxRequest caps a call's body.
	MaxRequest = 1 << 20
)

// callRequest is a call's body.
type callRequest struct {
	Args []json.RawMessage `json:"args"`
}

// callResponse is a call's answer.
type callResponse struct {
	Result []json.RawMessage `json:"result,omitempty"`
	Error  *wireError        `json:"error,omitempty"`
}

// wireError is an error as it crosses the wire.
type wireError struct {
	Code    string `json:"code,omitempty"` // the hall's error code; "" for others
	Message string `json:"message"`        // Chinese, for people
	Detail  string `json:"detail,omitempty"`
	// Key and Args are the Chinese format of a hall error's message and
	// its arguments, so that a window in another language can translate it.
	Key  string   `json:"key,omitempty"`
	Args []string `json:"args,omitempty"`
}

// PairRequest asks for a credential with the node's pairing code.
type PairRequest struct {
	Code string `json:"code"`
	Name string `json:"name"` // what the PC is, e.g. 3号窗口
}

// PairResponse is a new credential, shown once.
type PairResponse struct {
	Credential string `json:"credential"`
	Hall       string `json:"hall"`
}

// Health is the node's unauthenticated self-description.
type Health struct {
	Hall     string `json:"hall"`
	Protocol string `json:"protocol"`
	LastSeq  int64  `json:"last_seq"`
}

// Error is a failure of the LAN itself, not of the hall: the node cannot
// be reached, refuses this PC, or answers nonsense.
type Error struct {
	Code    string
	Message string // Chinese, for people
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "lan: " + e.Code + ": " + e.Err.Error()
	}
	return "lan: " + e.Code
}

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Message }

func (e *Error) Unwrap() error { return e.Err }

// Is matches LAN errors by code.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// LAN errors. Compare with errors.Is.
var (
	ErrDisconnected = &Error{Code: "disconnected", Message: "连接中断，正在重连…"}
	ErrUnpaired     = &Error{Code: "unpaired", Message: "本机未与营业厅配对或配对已失效，请向管理员索取配对码重新配对"}
	ErrPairCode     = &Error{Code: "pair_code", Message: "配对码不正确或已过期，请在营业厅主机上查看新的配对码"}
	ErrProtocol     = &Error{Code: "protocol", Message: "本机程序与营业厅主机的版本不一致，请升级程序"}
	ErrBadAnswer    = &Error{Code: "bad_answer", Message: "营业厅主机的应答有误，请联系管理员"}
)

func (e *Error) with(err error) *Error { return &Error{Code: e.Code, Message: e.Message, Err: err} }

// toWire encodes an error for the wire.
func toWire(err error) *wireError {
	var he *hall.Error
	if errors.As(err, &he) {
		return &wireError{Code: string(he.Code), Message: he.Message, Detail: he.Detail, Key: he.Key, Args: he.Args}
	}
	return &wireError{Message: hall.Message(err), Detail: err.Error()}
}

// remoteError is an error from the node that is not one of the hall's
// typed errors (a store failure, say): its Chinese message comes along.
type remoteError struct{ msg, detail string }

func (e *remoteError) Error() string       { return "hall node: " + e.detail }
func (e *remoteError) UserMessage() string { return e.msg }

// fromWire decodes an error from the wire.
func fromWire(w *wireError) error {
	if w.Code != "" {
		return &hall.Error{Code: hall.Code(w.Code), Message: w.Message, Detail: w.Detail, Key: w.Key, Args: w.Args}
	}
	return &remoteError{msg: w.Message, detail: w.Detail}
}
