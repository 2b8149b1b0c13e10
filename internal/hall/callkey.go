package hall

import (
	"context"
	"sync/atomic"
)

// A call a PC sends again after losing its answer must not be done twice,
// even when the hall node restarted in between and forgot what it had
// answered. The LAN server names each call (the PC and its idempotency
// key) with WithCallKey; the transaction that commits the call's change
// records the name with it (Change.CallKey), atomically, so afterwards the
// server knows the call was done and answers the retry instead of doing it
// again.

type callKeyCtx struct{}

// callMark is a named call: its key, and whether its change was committed.
type callMark struct {
	key       string
	committed atomic.Bool
}

// WithCallKey names the call made with ctx. The key must be unique to the
// call (the LAN server uses the PC's id and the call's idempotency key).
func WithCallKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, callKeyCtx{}, &callMark{key: key})
}

// CallCommitted reports whether the call named in ctx by WithCallKey
// committed a change, its key with it.
func CallCommitted(ctx context.Context) bool {
	m, _ := ctx.Value(callKeyCtx{}).(*callMark)
	return m != nil && m.committed.Load()
}

// callKeyOf is the name of the call made with ctx, or nil.
func callKeyOf(ctx context.Context) *callMark {
	m, _ := ctx.Value(callKeyCtx{}).(*callMark)
	return m
}
