package hall

import (
	"context"
	"sync/atomic"
)

// A call a PC sends again after losing its answer must not be done twice,
// even when the hall node restarted in between and forgot what it had
// answered. The LAN server names each call (the PC and its idempotency
// key) with WithCallKey; the transaction that commits the call's change
// records the name with it (Change.CallKey), atomically, and with it the
// answer when the server gave a way to encode it, so afterwards the server
// knows the call was done and answers the retry instead of doing it again.

type callKeyCtx struct{}

// callMark is a named call: its key, how its answer is encoded, and what
// was committed.
type callMark struct {
	key    string
	encode func(result any) []byte

	committed atomic.Bool
	answer    atomic.Pointer[[]byte] // the answer committed with the change
}

// WithCallKey names the call made with ctx. The key must be unique to the
// call (the LAN server uses the PC's id and the call's idempotency key).
// encode, if not nil, is the answer the caller would send for a method's
// one result: a call that returns a value and commits a change keeps that
// answer in the same transaction (CallAnswerKept).
func WithCallKey(ctx context.Context, key string, encode func(result any) []byte) context.Context {
	return context.WithValue(ctx, callKeyCtx{}, &callMark{key: key, encode: encode})
}

// CallCommitted reports whether the call named in ctx by WithCallKey
// committed a change, its key with it.
func CallCommitted(ctx context.Context) bool {
	m := callKeyOf(ctx)
	return m != nil && m.committed.Load()
}

// CallAnswerKept is the answer committed with the call's change, nil if
// none was (no encoder, a method without a result, a refusal).
func CallAnswerKept(ctx context.Context) []byte {
	if m := callKeyOf(ctx); m != nil {
		if p := m.answer.Load(); p != nil {
			return *p
		}
	}
	return nil
}

// callKeyOf is the name of the call made with ctx, or nil.
func callKeyOf(ctx context.Context) *callMark {
	m, _ := ctx.Value(callKeyCtx{}).(*callMark)
	return m
}
