package hq

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"servicehall/internal/checkpoint"
	"servicehall/internal/hq/wire"
)

// keyring loads HQ's signing key from the storage once, generating it on
// the first start.
type keyring struct {
	mu         sync.Mutex
	skey, vkey string
}

func (k *keyring) get(ctx context.Context, st Storage) (string, string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.skey != "" {
		return k.skey, k.vkey, nil
	}
	skey, vkey, err := st.SigningKey(ctx, checkpoint.GenerateKey)
	if err != nil {
		return "", "", err
	}
	k.skey, k.vkey = skey, vkey
	return skey, vkey, nil
}

// VerifierKey returns HQ's checkpoint verifier key, generating HQ's
// signing key in st the first time.
func VerifierKey(ctx context.Context, st Storage) (string, error) {
	_, vkey, err := st.SigningKey(ctx, checkpoint.GenerateKey)
	return vkey, err
}

// checkClaim refuses a request that claims to be for another hall than
// its credential's.
func checkClaim(w http.ResponseWriter, h Hall, c wire.HallClaim) bool {
	if (c.HallID != 0 && c.HallID != h.ID) || (c.Hall != "" && c.Hall != h.Name) {
		writeError(w, http.StatusForbidden, wire.ErrCodeWrongHall, "本厅凭据不能为其他营业厅提交数据")
		return false
	}
	return true
}

// checkpoints anchors a hall's register head: HQ checks that it extends
// the last head it signed for the hall (a consistency proof), keeps it,
// and answers a signed checkpoint. A head that does not extend it raises
// an alert, and nothing is signed.
func (s *Server) checkpoints(w http.ResponseWriter, r *http.Request) {
	h, ok := s.admit(w, r)
	if !ok {
		return
	}
	body, err := io.ReadAll(io.LimitReader(http.MaxBytesReader(w, r.Body, wire.MaxAnchorBody+1), wire.MaxAnchorBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "body_unreadable", "请求内容读取失败")
		return
	}
	a, err := wire.DecodeAnchor(body)
	if err != nil {
		var re *wire.RequestError
		if errors.As(err, &re) {
			writeError(w, re.Status, re.Code, re.Message)
			return
		}
		writeError(w, http.StatusBadRequest, "bad_request", "请求有误")
		return
	}
	if !checkClaim(w, h, a.HallClaim) {
		return
	}
	ctx := r.Context()
	skey, vkey, err := s.keys.get(ctx, s.store)
	if err != nil {
		s.logf("hq: signing key: %v", err)
		writeError(w, http.StatusInternalServerError, "store", "总部签名密钥不可用，请稍后重试")
		return
	}
	last, err := s.store.TreeHead(ctx, h.ID)
	if err != nil {
		s.logf("hq: tree head of hall %d: %v", h.ID, err)
		writeError(w, http.StatusInternalServerError, "store", "总部读取失败，请稍后重试")
		return
	}
	now := s.now()
	head := TreeHead{Size: a.TreeSize, Root: a.RootHash(), At: now}
	if problem := s.checkHead(last, a); problem != "" {
		if problem == wire.ErrCodeAnchorBase {
			writeJSON(w, http.StatusConflict, wire.AnchorAnswer{Error: wire.ErrCodeAnchorBase, HQSize: last.Size,
				Message: "总部上次确认的登记簿大小与本厅记载的不同，请按总部的大小重新证明"})
			return
		}
		detail := fmt.Sprintf("营业厅登记簿（投诉、值班日志等）与总部上次签署的不一致：%s。总部上次签署 %d 条、树根 %s；本次 %d 条、树根 %s。记录可能在营业厅被删除或改动。",
			problem, last.Size, short(last.Root), a.TreeSize, short(head.Root))
		if _, err := s.store.AddBadHead(ctx, h.ID, head, detail); err != nil {
			s.logf("hq: keep inconsistent head of hall %d: %v", h.ID, err)
			writeError(w, http.StatusInternalServerError, "store", "总部保存失败，请稍后重试")
			return
		}
		s.logf("hq: hall %d (%s): register inconsistent: %s", h.ID, h.Name, problem)
		writeJSON(w, http.StatusConflict, wire.AnchorAnswer{Error: wire.ErrCodeTreeInconsistent, HQSize: last.Size,
			Message: "本厅登记簿与总部上次确认的不一致（投诉或值班日志等记录可能被删改），总部已告警"})
		return
	}
	switch err := s.store.AddTreeHead(ctx, h.ID, last.Size, head); {
	case errors.Is(err, ErrHeadMoved):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "busy", "总部正在处理本厅的另一请求，请稍后重试")
		return
	case err != nil:
		s.logf("hq: keep tree head of hall %d: %v", h.ID, err)
		writeError(w, http.StatusInternalServerError, "store", "总部保存失败，请稍后重试")
		return
	}
	msg, err := checkpoint.Sign(checkpoint.Checkpoint{Origin: checkpoint.Origin(h.ID), Size: head.Size, Root: head.Root}, skey)
	if err != nil {
		s.logf("hq: sign checkpoint: %v", err)
		writeError(w, http.StatusInternalServerError, "sign", "总部签名失败，请稍后重试")
		return
	}
	writeJSON(w, http.StatusOK, wire.AnchorAnswer{HQSize: head.Size, Checkpoint: msg, VerifierKey: vkey})
}

// checkHead says what is wrong with the new head against the last signed
// one: "" when it may be signed, wire.ErrCodeAnchorBase when the proof is
// from another size, otherwise the inconsistency in Chinese.
func (s *Server) checkHead(last TreeHead, a *wire.Anchor) string {
	root := a.RootHash()
	switch {
	case last.Size == 0:
		return "" // the first head a hall anchors is taken as it is
	case a.TreeSize < last.Size:
		return fmt.Sprintf("登记簿从 %d 条减少到 %d 条", last.Size, a.TreeSize)
	case a.TreeSize == last.Size:
		if root != last.Root {
			return "条数相同而树根不同"
		}
		return ""
	case a.OldSize != last.Size:
		return wire.ErrCodeAnchorBase
	}
	if err := tlog.CheckTree(a.TreeProof(), a.TreeSize, root, last.Size, last.Root); err != nil {
		return "新的登记簿不包含上次签署时的全部记录（一致性证明不成立）"
	}
	return ""
}

func short(h [32]byte) string { return hex.EncodeToString(h[:6]) }
