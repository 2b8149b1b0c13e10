package hqsync

import (
	"errors"
	"fmt"
	"time"
)

// Kind sorts the ways a sync attempt fails.
type Kind string

// Kinds of failure.
const (
	KindUnreachable  Kind = "unreachable"  // no answer: network, DNS, HQ down, timeout
	KindUnauthorized Kind = "unauthorized" // HQ does not know the credential
	KindUpgrade      Kind = "upgrade"      // HQ requires a newer program
	KindRefused      Kind = "refused"      // HQ refused the request as malformed or too large
	KindServer       Kind = "server"       // HQ answered 429 or 5xx, retries spent
	KindProtocol     Kind = "protocol"     // an answer that breaks the protocol
	KindInconsistent Kind = "inconsistent" // HQ found the register inconsistent with its last checkpoint
)

// Error is a failed sync attempt. Message is Chinese for the duty director.
type Error struct {
	Kind       Kind
	Status     int           // HTTP status, 0 without an answer
	Message    string        // Chinese
	RetryAfter time.Duration // what HQ asked the hall to wait, if it did
	Err        error
}

func (e *Error) Error() string {
	s := "hq sync: " + string(e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error of the same kind, so the sentinels below work
// with errors.Is.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Kind == e.Kind && t.Status == 0 && t.Err == nil
}

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Message }

// Sentinels to compare with errors.Is.
var (
	ErrUnreachable  = &Error{Kind: KindUnreachable}
	ErrUnauthorized = &Error{Kind: KindUnauthorized}
	ErrUpgrade      = &Error{Kind: KindUpgrade}
	ErrRefused      = &Error{Kind: KindRefused}
	ErrServer       = &Error{Kind: KindServer}
	ErrProtocol     = &Error{Kind: KindProtocol}
	ErrInconsistent = &Error{Kind: KindInconsistent}
)

// retryLater stops resty's quick retries when HQ asks for a longer wait
// than they allow; the outer loop then waits as asked.
type retryLater struct{ d time.Duration }

func (r *retryLater) Error() string { return fmt.Sprintf("HQ asks to retry after %v", r.d) }
