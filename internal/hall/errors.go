package hall

import (
	"errors"
	"fmt"
	"slices"
)

// Code names a kind of failure that callers can branch on.
type Code string

// Error is the hall's typed error. Message is plain Chinese for the person at
// the screen; Code is for code. Two Errors match with errors.Is when their
// codes are equal, so a sentinel still matches after WithMessage.
type Error struct {
	Code    Code
	Message string // Simplified Chinese, shown to people
	Detail  string // English detail for logs, optional
	// Key is the Chinese format Message was built from when the message
	// names something (a counter, a ticket, a field), with Args its %s
	// arguments; "" for a fixed message. A window in another language
	// translates Key and formats it with Args (see MessageIn). Arguments
	// are strings so that they cross the LAN as they are.
	Key  string
	Args []string
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return string(e.Code) + ": " + e.Detail
	}
	return string(e.Code)
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// WithMessage returns a copy of e with a more specific, fixed Chinese
// message and an English detail for logs. A message that names something
// is built with WithMessagef instead, so that it can be translated.
func (e *Error) WithMessage(zh string, detailFormat string, args ...any) *Error {
	return &Error{Code: e.Code, Message: zh, Detail: fmt.Sprintf(detailFormat, args...)}
}

// WithMessagef returns a copy of e whose Chinese message is zhFormat with
// args, each formatted with %s, e.g.
//
//	ErrInvalid.WithMessagef("%s号窗口重复填写", []string{"3"}, "counter %d twice", 3)
//
// Message is the full Chinese text; Key and Args keep the format and its
// arguments for translation. zhFormat should be a literal: it is the key of
// its translation.
func (e *Error) WithMessagef(zhFormat string, args []string, detailFormat string, detailArgs ...any) *Error {
	return &Error{
		Code:    e.Code,
		Message: fmt.Sprintf(zhFormat, anys(args)...),
		Detail:  fmt.Sprintf(detailFormat, detailArgs...),
		Key:     zhFormat,
		Args:    slices.Clone(args),
	}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func newError(code Code, zh string) *Error { return &Error{Code: code, Message: zh} }

// Sentinel errors. Compare with errors.Is.
var (
	ErrNotConfigured     = newError("not_configured", "营业厅尚未完成设置")
	ErrAlreadyConfigured = newError("already_configured", "营业厅已经设置过，不能重复初始化")
	ErrInvalid           = newError("invalid", "输入有误")
	ErrUnknownType       = newError("unknown_type", "没有这个业务类型")
	ErrTypeRetired       = newError("type_retired", "该业务类型已停办")
	ErrTypeInUse         = newError("type_in_use", "该业务类型还有客户在等候，暂不能停办")
	ErrDuplicatePrefix   = newError("duplicate_prefix", "号码前缀已被其他业务类型使用")
	ErrInvalidPriority   = newError("invalid_priority", "优先类别有误")
	ErrUnknownCounter    = newError("unknown_counter", "没有这个窗口")
	ErrCounterNotOpen    = newError("counter_not_open", "窗口未开放，不能呼叫")
	ErrCounterBusy       = newError("counter_busy", "窗口还有正在办理的客户，请先办结或过号")
	ErrUnknownStaff      = newError("unknown_staff", "没有这个工号")
	ErrNothingWaiting    = newError("nothing_waiting", "当前没有等候本窗口的客户")
	ErrNoCurrentTicket   = newError("no_current_ticket", "本窗口当前没有呼叫中的客户")
	ErrNotCalled         = newError("not_called", "该号码不在呼叫状态")
	ErrNotServing        = newError("not_serving", "该号码不在办理状态")
	ErrNotWaiting        = newError("not_waiting", "该号码不在等候状态")
	ErrRecallFirst       = newError("recall_first", "请先重呼，重呼次数不足不能过号")
	ErrNotNoShow         = newError("not_no_show", "只有过号的号码才能重新排队")
	ErrRequeueUsed       = newError("requeue_used", "该号码已重新排队过一次，不能再次排队")
	ErrRequeueDisabled   = newError("requeue_disabled", "本厅未开放过号重新排队")
	ErrUnknownTicket     = newError("unknown_ticket", "没有这个号码")
	ErrDailyCap          = newError("daily_cap", "今日号已取完")
	ErrStore             = newError("store", "数据保存失败，操作未生效，请重试或联系管理员")
	// ErrCallDone answers a call sent again after the hall node restarted,
	// when the call was done but its answer was not kept (WithCallKey).
	ErrCallDone = newError("call_done", "该操作已经完成，但服务器重启时未能保留结果，请刷新后查看")
)

// Message returns the Chinese text to show a person for err: the hall's own
// message for a typed error, a generic one otherwise.
func Message(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	// Adapters' typed errors (a locked or damaged database, say) carry their
	// own Chinese text.
	var u interface{ UserMessage() string }
	if errors.As(err, &u) {
		return u.UserMessage()
	}
	return genericMessage
}

// genericMessage is the message for an error that brings none.
const genericMessage = "操作失败，请重试或联系管理员"

// MessageIn is Message in another language: tr translates a Chinese text
// (the key) and returns a text it does not know unchanged, as the windows'
// T does. A message built from a format is translated as its format, then
// formatted with its arguments, each also passed through tr, so that a
// standard name given as an argument (a weekday, a counter's state, a
// field's name) is translated while data (a ticket number, a counter's
// name) comes through as it is. With tr returning its argument, MessageIn
// is Message.
func MessageIn(err error, tr func(string) string) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Key != "" {
		args := make([]any, len(e.Args))
		for i, a := range e.Args {
			args[i] = tr(a)
		}
		return fmt.Sprintf(tr(e.Key), args...)
	}
	return tr(Message(err))
}

// ErrorCode returns the code of a typed error, or "" for any other error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
