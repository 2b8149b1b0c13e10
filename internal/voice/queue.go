package voice

import (
	"context"
	"sync"
	"time"
)

// Sink plays a sound to its end, or fails. speaker.Speaker is the real
// one; tests record instead, since tests never play sound.
type Sink interface {
	Play(ctx context.Context, s Sound) error
}

// Queue speaks calls one after another, never over each other: Announce
// renders a call and queues it, Run plays the queue through the sink.
type Queue struct {
	voice  *Voice // nil: chimes only
	sink   Sink
	report func(error) // each play's outcome, nil for success; may be nil

	mu       sync.Mutex
	enabled  bool
	settings Settings

	jobs chan Sound
}

// QueueCap is how many calls may wait to be spoken; more are dropped (the
// display still shows them). Sixteen calls are well over a minute of speech.
const QueueCap = 16

// PlaySlack is added to a sound's length for its playback deadline: a
// device that has stopped taking data (unplugged, or none at all) fails the
// play instead of stalling the queue for good.
const PlaySlack = 3 * time.Second

// NewQueue returns a queue that speaks with v (nil: chimes only) through
// sink. report, if not nil, gets each play's outcome (nil when it played),
// so a speaker fault can be shown and its recovery noticed.
func NewQueue(v *Voice, sink Sink, s Settings, enabled bool, report func(error)) *Queue {
	return &Queue{voice: v, sink: sink, report: report, enabled: enabled, settings: s.Clamped(), jobs: make(chan Sound, QueueCap)}
}

// Set changes the settings for the calls announced from now on.
func (q *Queue) Set(s Settings, enabled bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.settings, q.enabled = s.Clamped(), enabled
}

// Announce queues a call and returns how long it will speak; 0 when sound
// is off or the queue is full. It never blocks.
func (q *Queue) Announce(c Call) time.Duration {
	q.mu.Lock()
	s, on := q.settings, q.enabled
	q.mu.Unlock()
	if !on {
		return 0
	}
	snd := q.voice.Render(c, s)
	select {
	case q.jobs <- snd:
		return snd.Duration()
	default:
		return 0
	}
}

// Run plays queued calls in order until ctx ends.
func (q *Queue) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case snd := <-q.jobs:
			pctx, cancel := context.WithTimeout(ctx, snd.Duration()+PlaySlack)
			err := q.sink.Play(pctx, snd)
			cancel()
			if ctx.Err() != nil {
				return
			}
			if q.report != nil {
				q.report(err)
			}
		}
	}
}
