package lan

import (
	"bytes"
	"context"
	"embed"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"time"

	"servicehall/assets"
	"servicehall/internal/hall"
)

// fontTime is the font's modification time for HTTP caching: the build's.
var fontTime = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// The hall display as a web page (/display) for a smart TV's browser:
// current calls, the last calls, waiting counts and notices, updated live
// from /display/events. Public within the LAN and read-only; what it
// serves is ticket numbers, counters, counts and notices, never a
// customer's name, phone or ID.

//go:embed web
var webFiles embed.FS

// displayRecent is how many recent calls the page lists.
const displayRecent = 8

// DisplayState is what /display/state answers.
type DisplayState struct {
	Hall     string           `json:"hall"`
	Day      string           `json:"day"`
	LastSeq  int64            `json:"last_seq"`
	Counters []DisplayCounter `json:"counters"`
	Waiting  []DisplayWaiting `json:"waiting"`
	Notices  []DisplayNotice  `json:"notices"`
	Recent   []DisplayCall    `json:"recent"` // newest first
	Total    int              `json:"total_waiting"`
}

// DisplayCounter is one counter on the display.
type DisplayCounter struct {
	No      int    `json:"no"`
	Name    string `json:"name"`
	State   string `json:"state"` // 开放, 暂停, 已关闭: the state's Chinese label
	Code    string `json:"code"`  // open, paused, closed
	Calling string `json:"calling,omitempty"`
}

// DisplayWaiting is one business type's queue.
type DisplayWaiting struct {
	Name    string `json:"name"`
	Prefix  string `json:"prefix"`
	Waiting int    `json:"waiting"`
}

// DisplayNotice is a notice in force.
type DisplayNotice struct {
	Kind  string `json:"kind"` // outage, emergency, info, reception
	Label string `json:"label"`
	Text  string `json:"text"`
}

// DisplayCall is one call or recall.
type DisplayCall struct {
	Seq         int64  `json:"seq"`
	Number      string `json:"number"`
	Counter     int    `json:"counter"`
	CounterName string `json:"counter_name"`
	Recall      bool   `json:"recall"`
}

func (s *Server) displayRoutes() {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	s.mux.HandleFunc("GET /display", func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/"
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r2)
	})
	s.mux.Handle("GET /display/static/", http.StripPrefix("/display/static", files))
	s.mux.HandleFunc("GET /display/font.otf", func(w http.ResponseWriter, r *http.Request) {
		// The hall's own CJK font, so a TV without Chinese fonts shows the page.
		w.Header().Set("Content-Type", "font/otf")
		w.Header().Set("Cache-Control", "public, max-age=604800")
		http.ServeContent(w, r, "font.otf", fontTime, bytes.NewReader(assets.FontRegular))
	})
	s.mux.HandleFunc("GET /display/state", s.handleDisplayState)
	s.mux.HandleFunc("GET /display/events", s.handleDisplayEvents)
}

// callOf turns a call event into what the display shows, or false.
func callOf(e hall.Event, names map[int]string) (DisplayCall, bool) {
	if e.Kind != hall.KindTicketCalled && e.Kind != hall.KindTicketRecalled {
		return DisplayCall{}, false
	}
	var p hall.TicketEvent
	if err := e.Decode(&p); err != nil {
		return DisplayCall{}, false
	}
	c := DisplayCall{Seq: e.Seq, Number: p.Ticket.Number, Counter: p.Counter, Recall: e.Kind == hall.KindTicketRecalled}
	if c.Counter == 0 {
		c.Counter = p.Ticket.Counter
	}
	c.CounterName = names[c.Counter]
	if c.CounterName == "" {
		c.CounterName = strconv.Itoa(c.Counter) + "号窗口"
	}
	return c, true
}

// DisplayStateOf reads the display's state from the hall.
func DisplayStateOf(ctx context.Context, svc hall.Service) (DisplayState, error) {
	o, err := svc.Overview(ctx)
	if err != nil {
		return DisplayState{}, err
	}
	ns, err := svc.Notices(ctx)
	if err != nil {
		return DisplayState{}, err
	}
	st := DisplayState{Hall: o.Hall.Name, Day: o.Day, LastSeq: o.LastSeq, Total: o.Waiting,
		Counters: []DisplayCounter{}, Waiting: []DisplayWaiting{}, Notices: []DisplayNotice{}, Recent: []DisplayCall{}}
	names := map[int]string{}
	for _, cv := range o.Counters {
		c := DisplayCounter{No: cv.Counter.No, Name: cv.Counter.Name, State: cv.Counter.State.Label(), Code: string(cv.Counter.State)}
		if c.Name == "" {
			c.Name = strconv.Itoa(c.No) + "号窗口"
		}
		names[c.No] = c.Name
		if cv.Ticket != nil && cv.Ticket.State == hall.Called {
			c.Calling = cv.Ticket.Number
		}
		st.Counters = append(st.Counters, c)
	}
	for _, t := range o.Types {
		if t.Type.Retired {
			continue
		}
		st.Waiting = append(st.Waiting, DisplayWaiting{Name: t.Type.Name, Prefix: t.Type.Prefix, Waiting: t.Waiting})
	}
	for _, n := range ns {
		st.Notices = append(st.Notices, DisplayNotice{Kind: string(n.Kind), Label: n.Kind.Label(), Text: n.Text})
	}
	// The last calls of today, from the event log's tail.
	if o.LastSeq > 0 {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		events, err := svc.Subscribe(sctx, max(0, o.LastSeq-2000))
		if err != nil {
			return DisplayState{}, err
		}
		var calls []DisplayCall
		for e := range events {
			if c, ok := callOf(e, names); ok {
				calls = append(calls, c)
			}
			if e.Seq >= o.LastSeq {
				break
			}
		}
		cancel()
		slices.Reverse(calls)
		st.Recent = append(st.Recent, calls[:min(len(calls), displayRecent)]...)
	}
	return st, nil
}

func (s *Server) handleDisplayState(w http.ResponseWriter, r *http.Request) {
	st, err := DisplayStateOf(r.Context(), s.svc)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, callResponse{Error: toWire(err)})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
}

// handleDisplayEvents streams calls and recalls, and a bare "changed"
// for other events, after ?after=SEQ (or Last-Event-ID).
func (s *Server) handleDisplayEvents(w http.ResponseWriter, r *http.Request) {
	after, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if err != nil {
		after, err = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}
	if err != nil || after < 0 {
		http.Error(w, "after", http.StatusBadRequest)
		return
	}
	names := map[int]string{}
	if o, err := s.svc.Overview(r.Context()); err == nil {
		for _, cv := range o.Counters {
			names[cv.Counter.No] = cv.Counter.Name
		}
	}
	s.stream(w, r, after, func(e hall.Event) (any, bool) {
		if c, ok := callOf(e, names); ok {
			return struct {
				Type string `json:"type"`
				DisplayCall
			}{"call", c}, true
		}
		return struct {
			Type string `json:"type"`
			Seq  int64  `json:"seq"`
		}{"changed", e.Seq}, true
	})
}
