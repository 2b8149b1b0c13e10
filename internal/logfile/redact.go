package logfile

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Redact masks what looks like a customer's mobile phone (11 digits from
// 13… to 19…) or identity-card number (15 or 18 digits, the last may be
// X) in s, keeping its first three and last four characters. Nothing
// should log them in the first place; this is the second line of defence.
func Redact(s string) string {
	var b strings.Builder
	i := 0
	changed := false
	for i < len(s) {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && (s[j] == 'X' || s[j] == 'x') && j-i == 17 {
			j++
		}
		run := s[i:j]
		if looksPersonal(run) {
			b.WriteString(run[:3])
			b.WriteString(strings.Repeat("*", len(run)-7))
			b.WriteString(run[len(run)-4:])
			changed = true
		} else {
			b.WriteString(run)
		}
		i = j
	}
	if !changed {
		return s
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func looksPersonal(run string) bool {
	switch len(run) {
	case 11:
		return run[0] == '1' && run[1] >= '3' && run[1] <= '9'
	case 15, 18:
		return true
	}
	return false
}

// Redactor is a slog.Handler that passes records on with the message and
// every attribute's value masked by Redact.
type Redactor struct{ next slog.Handler }

// NewRedactor wraps next.
func NewRedactor(next slog.Handler) *Redactor { return &Redactor{next: next} }

// Enabled reports whether next handles level.
func (h *Redactor) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle masks the record and passes it on.
func (h *Redactor) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs masks attributes added to a logger.
func (h *Redactor) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return &Redactor{next: h.next.WithAttrs(red)}
}

// WithGroup groups as next does.
func (h *Redactor) WithGroup(name string) slog.Handler {
	return &Redactor{next: h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = redactAttr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Redact(err.Error()))
		}
		return slog.String(a.Key, Redact(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
