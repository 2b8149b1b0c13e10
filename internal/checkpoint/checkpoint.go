// Package checkpoint is the signed statement headquarters gives a hall
// about the hall's tamper-evident register: "the register of hall N had
// SIZE leaves and this ROOT", as a note (golang.org/x/mod/sumdb/note)
// signed with HQ's Ed25519 key. HQ signs only a head consistent with the
// last one it signed for that hall, so a hall that keeps its checkpoints
// can prove, and is held to, what its register held at each sync.
//
// The text follows the C2SP tlog-checkpoint shape:
//
//	servicehall-hq/hall/7
//	1234
//	BASE64(root)
package checkpoint

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// KeyName is the name in HQ's signing and verifier keys.
const KeyName = "servicehall-hq"

// Checkpoint is a register head HQ vouches for.
type Checkpoint struct {
	Origin string // servicehall-hq/hall/ID
	Size   int64
	Root   tlog.Hash
}

// Origin is the origin line for a hall.
func Origin(hallID int64) string { return KeyName + "/hall/" + strconv.FormatInt(hallID, 10) }

// Text is the checkpoint's signed text.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ErrMalformed: the text is not a checkpoint.
var ErrMalformed = errors.New("malformed checkpoint")

// Parse reads a checkpoint's text.
func Parse(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" || lines[0] == "" {
		return Checkpoint{}, ErrMalformed
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: size %q", ErrMalformed, lines[1])
	}
	b, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(b) != tlog.HashSize {
		return Checkpoint{}, fmt.Errorf("%w: root %q", ErrMalformed, lines[2])
	}
	c := Checkpoint{Origin: lines[0], Size: n}
	copy(c.Root[:], b)
	return c, nil
}

// GenerateKey makes HQ's signing key and its verifier key.
func GenerateKey() (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, KeyName)
}

// Sign signs c with skey and returns the note.
func Sign(c Checkpoint, skey string) (string, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return "", err
	}
	msg, err := note.Sign(&note.Note{Text: c.Text()}, s)
	if err != nil {
		return "", err
	}
	return string(msg), nil
}

// Open verifies a signed checkpoint with HQ's verifier key and parses it.
func Open(msg, vkey string) (Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("verifier key: %w", err)
	}
	n, err := note.Open([]byte(msg), note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, err
	}
	return Parse(n.Text)
}
