package wire

import (
	"bytes"
	"encoding/json"
	"net/http"

	"golang.org/x/mod/sumdb/tlog"
)

// PathCheckpoints is where a hall anchors its register's head.
const PathCheckpoints = "/v1/checkpoints"

// MaxAnchorBody bounds the body of POST /v1/checkpoints: a head and a
// consistency proof of at most 2·63 hashes is far smaller.
const MaxAnchorBody = 64 << 10

// Anchor is the body of POST /v1/checkpoints: the hall's register head,
// computed from its records as they are now, and a consistency proof from
// the head of the last checkpoint HQ signed for it (OldSize 0: none).
type Anchor struct {
	HallClaim
	TreeSize int64    `json:"tree_size"`
	Root     []byte   `json:"root"` // 32 bytes, base64
	OldSize  int64    `json:"old_size"`
	Proof    [][]byte `json:"proof,omitempty"` // tlog.TreeProof from OldSize to TreeSize, base64 hashes
}

// HallClaim is an optional statement of which hall a request is for. HQ
// takes the hall from the credential alone; a claim that names another
// hall is refused with 403 and changes nothing.
type HallClaim struct {
	HallID int64  `json:"hall_id,omitempty"`
	Hall   string `json:"hall,omitempty"` // the hall's name at HQ
}

// Answer codes of POST /v1/checkpoints.
const (
	// ErrCodeAnchorBase (409): HQ's last checkpoint for the hall is not at
	// OldSize (an answer was lost); HQSize says where it is. The hall
	// resends with a proof from there.
	ErrCodeAnchorBase = "anchor_base"
	// ErrCodeTreeInconsistent (409): the head is not an extension of the
	// last head HQ signed: records were deleted or changed at the hall. HQ
	// raised an alert and signs nothing.
	ErrCodeTreeInconsistent = "tree_inconsistent"
	// ErrCodeWrongHall (403): the request claims to be for another hall.
	ErrCodeWrongHall = "wrong_hall"
)

// AnchorAnswer is HQ's reply: 200 with the signed checkpoint of the head,
// or 409 with Error set.
type AnchorAnswer struct {
	Error       string `json:"error,omitempty"`
	Message     string `json:"message,omitempty"` // Chinese
	HQSize      int64  `json:"hq_tree_size"`      // the size of the last head HQ signed for the hall
	Checkpoint  string `json:"checkpoint,omitempty"`
	VerifierKey string `json:"verifier_key,omitempty"` // HQ's note verifier key
}

// DecodeAnchor decodes and checks the shape of an anchor body.
func DecodeAnchor(body []byte) (*Anchor, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("body_empty", "请求内容为空", "empty body")
	}
	if len(body) > MaxAnchorBody {
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Message: "请求内容过大", Detail: "anchor body too large"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var a Anchor
	if err := dec.Decode(&a); err != nil {
		return nil, badRequest("undecodable", "请求内容无法解析", "%v", err)
	}
	if dec.More() {
		return nil, badRequest("trailing_data", "请求内容有多余数据", "data after the anchor")
	}
	switch {
	case a.TreeSize < 1:
		return nil, badRequest("bad_tree", "登记簿大小有误", "tree size %d", a.TreeSize)
	case len(a.Root) != tlog.HashSize:
		return nil, badRequest("bad_tree", "登记簿树根格式有误", "root of %d bytes", len(a.Root))
	case a.OldSize < 0 || a.OldSize > a.TreeSize:
		return nil, badRequest("bad_tree", "登记簿的上次确认大小有误", "old size %d, tree size %d", a.OldSize, a.TreeSize)
	case len(a.Proof) > 128:
		return nil, badRequest("bad_proof", "一致性证明过长", "%d hashes", len(a.Proof))
	}
	for _, h := range a.Proof {
		if len(h) != tlog.HashSize {
			return nil, badRequest("bad_proof", "一致性证明格式有误", "a hash of %d bytes", len(h))
		}
	}
	return &a, nil
}

// RootHash is a.Root as a tlog.Hash.
func (a *Anchor) RootHash() tlog.Hash {
	var h tlog.Hash
	copy(h[:], a.Root)
	return h
}

// TreeProof is a.Proof as a tlog.TreeProof.
func (a *Anchor) TreeProof() tlog.TreeProof {
	p := make(tlog.TreeProof, len(a.Proof))
	for i, b := range a.Proof {
		copy(p[i][:], b)
	}
	return p
}
