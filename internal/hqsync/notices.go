package hqsync

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"servicehall/internal/hall"
	"servicehall/internal/hq/wire"
)

// Notice is a notice HQ publishes, as the hall posts it. ID is HQ's id, a
// UUIDv7: a hall method that keys the notice on it posts it once however
// often it is handed over.
type Notice struct {
	ID string
	hall.NoticeInput
}

// NoticePoster posts an HQ notice into the hall. An error with the hall's
// code "invalid" (hall.ErrInvalid: an expired notice, say) refuses the
// notice for good; any other error leaves it for the next pull. Wired to
// the hall in one line, for example:
//
//	PostNotice: func(ctx context.Context, n hqsync.Notice) error { _, err := l.PostHQNotice(ctx, n.ID, n.NoticeInput); return err }
type NoticePoster func(ctx context.Context, n Notice) error

// PullNotices fetches HQ's notices for this hall and posts those not
// posted before, recording each in the hall's database so that a notice
// the director ended early does not come back. It returns how many it
// posted.
func (c *Client) PullNotices(ctx context.Context, post NoticePoster) (int, error) {
	ns, err := c.FetchNotices(ctx)
	if err != nil {
		return 0, err
	}
	posted := 0
	for _, n := range ns {
		seen, err := c.db.HQNoticeSeen(ctx, n.ID)
		if err != nil {
			return posted, err
		}
		if seen {
			continue
		}
		result := ""
		if err := post(ctx, n); err != nil {
			if !errors.Is(err, hall.ErrInvalid) {
				return posted, err
			}
			result = hall.Message(err)
			c.opt.Logf("hq sync: the hall refused HQ notice %s: %v", n.ID, err)
		} else {
			posted++
		}
		// Posted, then marked: a crash between the two posts the notice
		// again at the next pull, which a poster keyed on n.ID makes
		// harmless.
		if err := c.db.MarkHQNotice(ctx, n.ID, c.opt.Now(), result); err != nil {
			return posted, err
		}
	}
	return posted, nil
}

// FetchNotices returns HQ's notices for this hall that have not ended.
func (c *Client) FetchNotices(ctx context.Context) ([]Notice, error) {
	resp, err := c.rc.R().SetContext(ctx).Get(wire.PathNotices)
	if e := answerError(ctx, resp, err, c.opt.Now()); e != nil {
		return nil, e
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, statusError(resp, c.opt.Now())
	}
	var body wire.Notices
	if err := json.Unmarshal(resp.Body(), &body); err != nil {
		return nil, &Error{Kind: KindProtocol, Status: resp.StatusCode(), Message: "总部的公告无法解析", Err: err}
	}
	out := make([]Notice, 0, len(body.Notices))
	for _, n := range body.Notices {
		if n.ID == "" {
			continue
		}
		out = append(out, Notice{ID: n.ID, NoticeInput: hall.NoticeInput{Kind: hall.NoticeKind(n.Kind), Text: n.Text, From: n.From, Until: n.Until}})
	}
	return out, nil
}
