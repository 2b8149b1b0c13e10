package escpos

import (
	"errors"
	"fmt"
)

// Code names a kind of printer fault that callers can branch on.
type Code string

// Printer fault codes.
const (
	// Unreachable: no connection, or the device file cannot be opened.
	Unreachable Code = "unreachable"
	// PaperOut: the printer reports its paper roll empty.
	PaperOut Code = "paper_out"
	// CoverOpen: the printer reports its cover open.
	CoverOpen Code = "cover_open"
	// Interrupted: the printer closed the connection, or the device went
	// away, before the ticket was through.
	Interrupted Code = "interrupted"
	// NotResponding: the printer took no more data within the write
	// timeout (jammed, or its buffer full and not printing).
	NotResponding Code = "not_responding"
	// BadConfig: the printer settings cannot be used.
	BadConfig Code = "bad_config"
)

// Error is a printer fault. Message is plain Chinese for the kiosk and the
// director; Err is the cause, for logs. Two Errors match with errors.Is when
// their codes are equal, so errors.Is(err, escpos.ErrPaperOut) works.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("printer %s: %v", e.Code, e.Err)
	}
	return "printer " + string(e.Code)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Message }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// Sentinels to compare with errors.Is.
var (
	ErrUnreachable   = &Error{Code: Unreachable, Message: "打印机未连接"}
	ErrPaperOut      = &Error{Code: PaperOut, Message: "打印机缺纸"}
	ErrCoverOpen     = &Error{Code: CoverOpen, Message: "打印机盖未关好"}
	ErrInterrupted   = &Error{Code: Interrupted, Message: "打印中断，小票可能不完整"}
	ErrNotResponding = &Error{Code: NotResponding, Message: "打印机无响应"}
	ErrBadConfig     = &Error{Code: BadConfig, Message: "打印机设置有误"}
)

func fault(s *Error, cause error) *Error {
	return &Error{Code: s.Code, Message: s.Message, Err: cause}
}

// CodeOf returns the fault code of err, or "" when err is not a printer
// fault.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// FaultCode is the code as a string, for callers that do not import this
// package.
func (e *Error) FaultCode() string { return string(e.Code) }
