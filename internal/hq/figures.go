package hq

import (
	"encoding/json"
	"time"

	"servicehall/internal/hall"
)

// Figures are a hall's figures over a span of days, computed at HQ from
// the records the hall sent: what HQ's page shows per hall.
type Figures struct {
	Tickets      int           `json:"tickets"`      // tickets issued
	Called       int           `json:"called"`       // tickets called for the first time
	WaitTotal    time.Duration `json:"-"`            // issue to first call, summed over Called
	MeanWaitSec  float64       `json:"mean_wait_s"`  // mean waiting time, seconds
	Rated        int           `json:"rated"`        // services rated
	Satisfied    int           `json:"satisfied"`    // 满意 or 非常满意
	Unrated      int           `json:"unrated"`      // services nobody rated
	Complaints   int           `json:"complaints"`   // complaints recorded
	Satisfaction float64       `json:"satisfaction"` // Satisfied / Rated; 0 without ratings
}

// FigureKinds are the kinds of record the figures read.
var FigureKinds = []string{string(hall.KindTicketIssued), string(hall.KindTicketCalled), string(hall.KindRated), string(hall.KindComplaintRecord)}

// ComputeFigures sums up records of FigureKinds. A record whose payload
// does not read is skipped: HQ keeps it as sent, and the figures are a
// view, not the record.
func ComputeFigures(rs []StoredRecord) Figures {
	var f Figures
	for _, r := range rs {
		switch hall.Kind(r.Kind) {
		case hall.KindTicketIssued:
			f.Tickets++
		case hall.KindTicketCalled:
			var p struct {
				Ticket struct {
					IssuedAt      time.Time `json:"issued_at"`
					FirstCalledAt time.Time `json:"first_called_at"`
					CalledAt      time.Time `json:"called_at"`
				} `json:"ticket"`
			}
			if json.Unmarshal(r.Payload, &p) != nil || p.Ticket.IssuedAt.IsZero() || p.Ticket.FirstCalledAt.IsZero() {
				continue
			}
			if !p.Ticket.CalledAt.Equal(p.Ticket.FirstCalledAt) {
				continue // a later call of the same ticket
			}
			if w := p.Ticket.FirstCalledAt.Sub(p.Ticket.IssuedAt); w >= 0 {
				f.Called++
				f.WaitTotal += w
			}
		case hall.KindRated:
			var p struct {
				Level *int `json:"level"`
			}
			if json.Unmarshal(r.Payload, &p) != nil || p.Level == nil {
				continue
			}
			switch l := hall.RatingLevel(*p.Level); {
			case l == hall.Unrated:
				f.Unrated++
			case l >= hall.VeryDissatisfied && l <= hall.VerySatisfied:
				f.Rated++
				if l == hall.Satisfied || l == hall.VerySatisfied {
					f.Satisfied++
				}
			}
		case hall.KindComplaintRecord:
			f.Complaints++
		}
	}
	if f.Called > 0 {
		f.MeanWaitSec = (f.WaitTotal / time.Duration(f.Called)).Seconds()
	}
	if f.Rated > 0 {
		f.Satisfaction = float64(f.Satisfied) / float64(f.Rated)
	}
	return f
}
