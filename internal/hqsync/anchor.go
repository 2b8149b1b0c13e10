package hqsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"servicehall/internal/hall"
	"servicehall/internal/hq/wire"
	"servicehall/internal/sqlite"
)

// Anchor sends HQ the register's head, recomputed from the records as
// they are now, with a consistency proof from the last checkpoint HQ
// signed, and keeps the checkpoint HQ answers. When the head is the last
// checkpoint's, nothing is sent. HQ refusing the head as inconsistent
// (records deleted or changed at the hall) is ErrInconsistent, and the
// hall's sync status shows it.
func (c *Client) Anchor(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, err := c.db.RegisterTree(ctx)
	if err != nil {
		return err
	}
	if t.Size == 0 {
		return nil
	}
	last, ok, err := c.db.LastCheckpoint(ctx)
	if err != nil {
		return err
	}
	if ok && last.Size == t.Size && last.Root == t.Root {
		return nil
	}
	old := last.Size
	for range 2 {
		a, err := anchorRequest(t, old)
		if err != nil {
			return err
		}
		code, ans, err := c.postAnchor(ctx, a)
		if err != nil {
			return c.anchorFailed(ctx, err)
		}
		switch {
		case code == http.StatusOK:
			if err := c.db.AddCheckpoint(ctx, ans.Checkpoint, ans.VerifierKey, t.Size, t.Root, c.opt.Now()); err != nil {
				if errors.Is(err, sqlite.ErrCheckpointKey) {
					err = &Error{Kind: KindProtocol, Status: code, Message: "总部的签名密钥与本厅保存的不同，请联系总部核对", Err: err}
				} else if errors.Is(err, sqlite.ErrCheckpointInvalid) {
					err = &Error{Kind: KindProtocol, Status: code, Message: "总部签署的登记簿确认书无效", Err: err}
				}
				return c.anchorFailed(ctx, err)
			}
			return nil
		case ans.Error == wire.ErrCodeAnchorBase && ans.HQSize != old:
			// HQ signed a head whose answer the hall lost: prove from there.
			old = ans.HQSize
			continue
		case ans.Error == wire.ErrCodeTreeInconsistent:
			return c.anchorFailed(ctx, &Error{Kind: KindInconsistent, Status: code,
				Message: "本厅登记簿与总部上次确认的不一致（投诉、值班日志等记录可能被删改），总部已告警",
				Err:     fmt.Errorf("register of %d leaves inconsistent with HQ's head of %d", t.Size, ans.HQSize)})
		}
		return c.anchorFailed(ctx, &Error{Kind: KindProtocol, Status: code, Message: "总部的应答有误", Err: fmt.Errorf("anchor answer %d %q", code, ans.Error)})
	}
	return c.anchorFailed(ctx, &Error{Kind: KindProtocol, Message: "总部反复要求重新证明登记簿", Err: errors.New("repeated anchor_base answers")})
}

func anchorRequest(t *sqlite.RegisterTree, old int64) (*wire.Anchor, error) {
	a := &wire.Anchor{TreeSize: t.Size, Root: t.Root[:], OldSize: min(old, t.Size)}
	p, err := t.Proof(a.OldSize)
	if err != nil {
		return nil, err
	}
	for _, h := range p {
		a.Proof = append(a.Proof, h[:])
	}
	return a, nil
}

func (c *Client) anchorFailed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err
	}
	if rerr := c.db.RecordSyncFailure(context.WithoutCancel(ctx), c.opt.Now(), hall.Message(err)); rerr != nil {
		c.opt.Logf("hq sync: %v", rerr)
	}
	return err
}

// postAnchor sends an anchor; a 409 is an answer, not a failure.
func (c *Client) postAnchor(ctx context.Context, a *wire.Anchor) (int, *wire.AnchorAnswer, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return 0, nil, err
	}
	resp, err := c.rc.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetBody(body).
		Post(wire.PathCheckpoints)
	if e := answerError(ctx, resp, err, c.opt.Now()); e != nil {
		return 0, nil, e
	}
	switch resp.StatusCode() {
	case http.StatusOK, http.StatusConflict:
		var ans wire.AnchorAnswer
		if err := json.Unmarshal(resp.Body(), &ans); err != nil {
			return 0, nil, &Error{Kind: KindProtocol, Status: resp.StatusCode(), Message: "总部的应答无法解析", Err: err}
		}
		return resp.StatusCode(), &ans, nil
	}
	return 0, nil, statusError(resp, c.opt.Now())
}
