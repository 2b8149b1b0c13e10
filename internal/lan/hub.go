package lan

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"servicehall/internal/hall"
)

// hub fans the hall's event stream out to every PC's stream: one
// subscription to the hall, each event encoded once, kept in a ring of
// recent frames that each stream copies from at its own pace. A stream
// that starts (or falls) further back than the ring reads the hall's log
// directly until it reaches the ring. The hub runs while some stream
// listens and stops with the last one.
type hub struct {
	svc  hall.Service
	size int

	mu        sync.Mutex
	listeners int
	cancel    context.CancelFunc
	frames    []frame       // oldest first; at most size
	last      int64         // seq of the newest frame; frames cover (first-1, last]
	started   bool          // frames and last are valid
	wake      chan struct{} // closed and replaced on every new frame
	failed    chan struct{} // closed when the hub's subscription ended
}

type frame struct {
	seq  int64
	data []byte // "id: N\ndata: {...}\n\n"
}

func newHub(svc hall.Service, size int) *hub { return &hub{svc: svc, size: size} }

// join registers a listener, starting the hub if it is the first; leave
// must follow.
func (h *hub) join() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listeners++
	if h.cancel != nil {
		select {
		case <-h.failed: // the last run ended (the hall could not be read): start again
			h.cancel()
		default:
			return
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.started, h.frames = false, nil
	h.wake, h.failed = make(chan struct{}), make(chan struct{})
	go h.run(ctx, h.wake, h.failed)
}

func (h *hub) leave() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listeners--
	if h.listeners == 0 && h.cancel != nil {
		h.cancel()
		h.cancel = nil
	}
}

func encodeFrame(e hall.Event) (frame, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return frame{}, err
	}
	return frame{seq: e.Seq, data: fmt.Appendf(nil, "id: %d\ndata: %s\n\n", e.Seq, b)}, nil
}

// run follows the hall from its newest event on.
func (h *hub) run(ctx context.Context, wake, failed chan struct{}) {
	defer close(failed)
	o, err := h.svc.Overview(ctx)
	if err != nil {
		return
	}
	events, err := h.svc.Subscribe(ctx, o.LastSeq)
	if err != nil {
		return
	}
	h.mu.Lock()
	if h.wake == wake {
		h.started, h.last = true, o.LastSeq
		close(h.wake)
		h.wake = make(chan struct{})
		wake = h.wake
	}
	h.mu.Unlock()
	for e := range events {
		f, err := encodeFrame(e)
		if err != nil {
			return
		}
		h.mu.Lock()
		if h.failed != failed { // a newer run took over
			h.mu.Unlock()
			return
		}
		h.frames = append(h.frames, f)
		if len(h.frames) > h.size {
			h.frames = h.frames[len(h.frames)-h.size:]
		}
		h.last = e.Seq
		close(h.wake)
		h.wake = make(chan struct{})
		h.mu.Unlock()
	}
}

// after returns the frames after seq that the ring holds, whether the
// ring covers seq (false: read the log directly first), and what to wait
// on for more.
func (h *hub) after(seq int64) (out [][]byte, covered bool, wake, failed <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	wake, failed = h.wake, h.failed
	if !h.started {
		return nil, false, wake, failed
	}
	first := h.last + 1 // the ring is empty: it covers only what comes next
	if len(h.frames) > 0 {
		first = h.frames[0].seq
	}
	if seq+1 < first {
		return nil, false, wake, failed
	}
	for _, f := range h.frames {
		if f.seq > seq {
			out = append(out, f.data)
		}
	}
	return out, true, wake, failed
}

// lastSeq is the newest event the hub has seen, once it has started.
func (h *hub) lastSeq() (int64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last, h.started
}
