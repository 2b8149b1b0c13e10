package hall

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Token is a signed-in session's secret. Whoever holds it acts as that
// member of staff at that counter, so it lives only in the signed-in
// window's memory; the store keeps its SHA-256, never the token.
type Token string

// Session is a member of staff signed in at a counter (or, for directors
// and admins, at a desk: Counter 0).
type Session struct {
	Token   Token     `json:"token,omitempty"` // set only in SignIn's answer
	Staff   Staff     `json:"staff"`
	Counter int       `json:"counter"`
	Since   time.Time `json:"since"`
}

// SessionRecord is a session as the store keeps it.
type SessionRecord struct {
	TokenHash string    // hex SHA-256 of the token
	Staff     string    // staff number
	Counter   int       // 0: desk
	Since     time.Time // signed in
	Ended     time.Time // zero while signed in
}

// MaxPINFailures wrong PINs in a row lock a member of staff out until a
// director unlocks them.
const MaxPINFailures = 5

// Session errors.
var (
	ErrBadPIN        = newError("bad_pin", "工号或密码错误")
	ErrStaffLocked   = newError("staff_locked", "密码错误次数过多，账号已锁定，请值班主任解锁")
	ErrNotSignedIn   = newError("not_signed_in", "未登录或登录已失效，请重新登录")
	ErrNotPermitted  = newError("not_permitted", "没有权限进行此操作")
	ErrWrongCounter  = newError("wrong_counter", "只能操作本人登录的窗口")
	ErrPINFormat     = newError("pin_format", "密码须为4到12位数字")
	ErrDeskForbidden = newError("desk_forbidden", "营业员须在窗口登录")
)

// committedError is a refusal that is itself a fact to record, such as a
// wrong PIN: the Tx is committed, then the error is returned.
type committedError struct{ error }

func (e committedError) Unwrap() error { return e.error }

// hashToken is how a token is known to the store and to memory.
func hashToken(t Token) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

func newToken() (Token, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return Token(base64.RawURLEncoding.EncodeToString(b[:])), nil
}

// validPIN accepts 4 to 12 digits.
func validPIN(pin string) bool {
	if len(pin) < 4 || len(pin) > 12 {
		return false
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// HashPIN hashes a PIN with bcrypt at the given cost.
func HashPIN(pin string, cost int) ([]byte, error) {
	if !validPIN(pin) {
		return nil, ErrPINFormat
	}
	return bcrypt.GenerateFromPassword([]byte(pin), cost)
}

// SessionEvent is the payload of staff session events. It never holds a
// PIN, a hash or a token.
type SessionEvent struct {
	Staff   string `json:"staff"`
	Counter int    `json:"counter,omitempty"`
	By      string `json:"by,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Session event kinds.
const (
	KindSignedIn     Kind = "staff.signed_in"
	KindSignedOut    Kind = "staff.signed_out"
	KindStaffLocked  Kind = "staff.locked"
	KindStaffUnlock  Kind = "staff.unlocked"
	KindPINSet       Kind = "staff.pin_set"
	KindPINWrong     Kind = "staff.pin_wrong"
	KindSessionEnded Kind = "staff.session_ended" // by midnight, or a newer sign-in at the counter
)

type sessionState struct {
	rec   SessionRecord
	dirty bool
}

func (tx *Tx) touchSession(s *sessionState) {
	tx.mutated = true
	if !s.dirty {
		s.dirty = true
		tx.sessions = append(tx.sessions, s)
	}
}

// endSession ends a session with a reason recorded in the log.
func (tx *Tx) endSession(s *sessionState, now time.Time, kind Kind, reason string) error {
	s.rec.Ended = now
	delete(tx.st.sessions, s.rec.TokenHash)
	tx.touchSession(s)
	return tx.emit(kind, now, SessionEvent{Staff: s.rec.Staff, Counter: s.rec.Counter, Reason: reason})
}

// signIn opens a session once the PIN was checked (pinOK) outside the lock.
func (tx *Tx) signIn(counter int, staffNo string, pinOK bool, tok Token) (Session, error) {
	if err := tx.requireConfigured(); err != nil {
		return Session{}, err
	}
	st := tx.st
	m := st.staff[staffNo]
	if m == nil || !m.Active || m.PINHash == nil {
		return Session{}, ErrBadPIN
	}
	if m.Locked {
		return Session{}, ErrStaffLocked
	}
	now := tx.now()
	if !pinOK {
		return Session{}, tx.pinFailed(m, counter, now, "工号或密码错误")
	}
	if counter == 0 && m.Role == RoleClerk {
		return Session{}, ErrDeskForbidden
	}
	if counter != 0 && st.counters[counter] == nil {
		return Session{}, ErrUnknownCounter.WithMessage("没有这个窗口", "no counter %d", counter)
	}
	// One clerk per counter and one counter per clerk: a new sign-in ends
	// the session it displaces.
	for _, s := range st.sessionsSorted() {
		if (counter != 0 && s.rec.Counter == counter) || (s.rec.Staff == staffNo && s.rec.Counter != 0) {
			if err := tx.endSession(s, now, KindSessionEnded, "replaced by a new sign-in"); err != nil {
				return Session{}, err
			}
		}
	}
	if m.FailedPINs != 0 {
		m.FailedPINs = 0
		tx.staff = append(tx.staff, m.No)
	}
	s := &sessionState{rec: SessionRecord{TokenHash: hashToken(tok), Staff: staffNo, Counter: counter, Since: now}}
	st.sessions[s.rec.TokenHash] = s
	tx.touchSession(s)
	if c := st.counters[counter]; c != nil {
		c.Clerk = staffNo
		tx.touchCounter(c)
	}
	if err := tx.emit(KindSignedIn, now, SessionEvent{Staff: staffNo, Counter: counter}); err != nil {
		return Session{}, err
	}
	return Session{Token: tok, Staff: m.public(), Counter: counter, Since: now}, nil
}

// pinFailed counts a wrong PIN, locks the account at MaxPINFailures, and
// returns the refusal to commit with the count: a wrong PIN is a fact.
func (tx *Tx) pinFailed(m *Staff, counter int, now time.Time, zh string) error {
	m.FailedPINs++
	tx.staff = append(tx.staff, m.No)
	if err := tx.emit(KindPINWrong, now, SessionEvent{Staff: m.No, Counter: counter}); err != nil {
		return err
	}
	if m.FailedPINs >= MaxPINFailures {
		m.Locked = true
		// A locked account's sessions end with it.
		for _, s := range tx.st.sessionsSorted() {
			if s.rec.Staff == m.No {
				if err := tx.endSession(s, now, KindSessionEnded, "locked out"); err != nil {
					return err
				}
			}
		}
		if err := tx.emit(KindStaffLocked, now, SessionEvent{Staff: m.No, Counter: counter, Reason: "wrong PIN " + strconv.Itoa(m.FailedPINs) + " times"}); err != nil {
			return err
		}
		return committedError{ErrStaffLocked}
	}
	left := MaxPINFailures - m.FailedPINs
	return committedError{ErrBadPIN.WithMessagef("%s，还可以再试%s次", []string{zh, strconv.Itoa(left)}, "wrong PIN for %s, %d tries left", m.No, left)}
}

// session resolves a token to its signed-in session, after the day's turn.
func (tx *Tx) session(tok Token) (*sessionState, *Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, nil, err
	}
	return tx.st.lookupSession(tok)
}

// lookupSession resolves a token without changing anything, for reads.
func (st *state) lookupSession(tok Token) (*sessionState, *Staff, error) {
	s := st.sessions[hashToken(tok)]
	if tok == "" || s == nil {
		return nil, nil, ErrNotSignedIn
	}
	m := st.staff[s.rec.Staff]
	if m == nil || !m.Active || m.Locked {
		return nil, nil, ErrNotSignedIn
	}
	return s, m, nil
}

// clerk resolves a token to the counter and staff number it acts as.
func (tx *Tx) clerk(tok Token) (int, string, error) {
	s, m, err := tx.session(tok)
	if err != nil {
		return 0, "", err
	}
	if s.rec.Counter == 0 {
		return 0, "", ErrDeskForbidden.WithMessage("请在窗口登录后再呼叫", "desk session cannot serve")
	}
	return s.rec.Counter, m.No, nil
}

// directs reports whether the member of staff may act as duty director.
func (s *Staff) directs() bool { return s.Role == RoleDirector || s.Role == RoleAdmin }

// errNotDirector refuses a member of staff who is not a director or admin.
func errNotDirector(m *Staff) error {
	return ErrNotPermitted.WithMessage("只有值班主任或管理员可以进行此操作", "%s is a %s", m.No, m.Role)
}

// director resolves a token whose staff is a director or an admin.
func (tx *Tx) director(tok Token) (*Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, err
	}
	return tx.st.lookupDirector(tok)
}

// lookupDirector is director for reads: it changes nothing.
func (st *state) lookupDirector(tok Token) (*Staff, error) {
	_, m, err := st.lookupSession(tok)
	if err != nil {
		return nil, err
	}
	if !m.directs() {
		return nil, errNotDirector(m)
	}
	return m, nil
}

// errNotAdmin refuses a member of staff who is not a system administrator.
func errNotAdmin(m *Staff) error {
	return ErrNotPermitted.WithMessage("只有系统管理员可以修改营业厅设置", "%s is a %s, not an admin", m.No, m.Role)
}

// admin resolves a token whose staff is a system administrator: the hall's
// configuration (its name, hours, counters, business types and staff) is
// the administrator's alone.
func (tx *Tx) admin(tok Token) (*Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, err
	}
	_, m, err := tx.st.lookupSession(tok)
	if err != nil {
		return nil, err
	}
	if m.Role != RoleAdmin {
		return nil, errNotAdmin(m)
	}
	return m, nil
}

// signOut ends the session.
func (tx *Tx) signOut(tok Token) error {
	s, _, err := tx.session(tok)
	if err != nil {
		return err
	}
	return tx.endSession(s, tx.now(), KindSignedOut, "")
}

// unlockStaff lifts a PIN lockout.
func (tx *Tx) unlockStaff(tok Token, staffNo string) error {
	d, err := tx.director(tok)
	if err != nil {
		return err
	}
	m := tx.st.staff[staffNo]
	if m == nil {
		return ErrUnknownStaff
	}
	if err := mayManage(d, m); err != nil {
		return err
	}
	m.Locked, m.FailedPINs = false, 0
	tx.staff = append(tx.staff, m.No)
	return tx.emit(KindStaffUnlock, tx.now(), SessionEvent{Staff: m.No, By: d.No})
}

// setPIN sets a PIN: a member of staff their own, an admin or director anyone's.
func (tx *Tx) setPIN(tok Token, staffNo string, hash []byte) error {
	_, me, err := tx.session(tok)
	if err != nil {
		return err
	}
	if me.No != staffNo && !me.directs() {
		return ErrNotPermitted.WithMessage("只能修改本人的密码", "%s may not set %s's PIN", me.No, staffNo)
	}
	m := tx.st.staff[staffNo]
	if m == nil {
		return ErrUnknownStaff
	}
	if err := mayManage(me, m); err != nil {
		return err
	}
	return tx.applyPIN(m, me.No, hash)
}

// ConsoleResetter is who a PIN reset at the hall's console is recorded by.
const ConsoleResetter = "console"

// applyPIN gives m the PIN hash and lifts a lockout. A PIN reset by
// someone else ends the sessions opened with the old one: whoever knew it
// is signed out.
func (tx *Tx) applyPIN(m *Staff, by string, hash []byte) error {
	m.PINHash, m.FailedPINs, m.Locked = hash, 0, false
	tx.staff = append(tx.staff, m.No)
	if err := tx.emit(KindPINSet, tx.now(), SessionEvent{Staff: m.No, By: by}); err != nil {
		return err
	}
	if by == m.No {
		return nil
	}
	for _, s := range tx.st.sessionsSorted() {
		if s.rec.Staff == m.No {
			if err := tx.endSession(s, tx.now(), KindSessionEnded, "PIN reset"); err != nil {
				return err
			}
		}
	}
	return nil
}

// mayManage refuses a director resetting or unlocking an administrator's
// account: that would let the director sign in as the administrator and
// take over the hall's configuration. Administrators manage everyone;
// directors manage clerks and directors.
func mayManage(me, target *Staff) error {
	if target.Role == RoleAdmin && me.Role != RoleAdmin && me.No != target.No {
		return ErrNotPermitted.WithMessage("只有系统管理员可以重置或解锁系统管理员的账号", "%s (%s) may not manage admin %s", me.No, me.Role, target.No)
	}
	return nil
}

// endDaySessions ends every session at the day's turn: staff sign in afresh
// each day.
func (tx *Tx) endDaySessions(now time.Time) error {
	for _, s := range tx.st.sessionsSorted() {
		if err := tx.endSession(s, now, KindSessionEnded, "day closed at midnight"); err != nil {
			return err
		}
	}
	return nil
}

// pinHash returns a member of staff's PIN hash for checking outside the lock.
func (l *Local) pinHash(staffNo string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m := l.st.staff[staffNo]; m != nil {
		return m.PINHash
	}
	return nil
}

// SignIn checks a PIN and opens a session at a counter (0: a director's or
// admin's desk). The bcrypt check runs outside the hall's lock, so a
// sign-in never holds up a call.
func (l *Local) SignIn(ctx context.Context, counter int, staffNo, pin string) (Session, error) {
	hash := l.pinHash(staffNo)
	ok := hash != nil && bcrypt.CompareHashAndPassword(hash, []byte(pin)) == nil
	tok, err := newToken()
	if err != nil {
		return Session{}, err
	}
	return do(ctx, l, func(tx *Tx) (Session, error) { return tx.signIn(counter, staffNo, ok, tok) })
}

// Unlock re-checks the PIN of a session after the window's idle lock.
// Wrong PINs count towards the lockout as at sign-in.
func (l *Local) Unlock(ctx context.Context, tok Token, pin string) (Session, error) {
	s, err := l.Session(ctx, tok)
	if err != nil {
		return Session{}, err
	}
	hash := l.pinHash(s.Staff.No)
	ok := hash != nil && bcrypt.CompareHashAndPassword(hash, []byte(pin)) == nil
	return do(ctx, l, func(tx *Tx) (Session, error) {
		if _, _, err := tx.session(tok); err != nil {
			return Session{}, err
		}
		m := tx.st.staff[s.Staff.No]
		if !ok {
			return Session{}, tx.pinFailed(m, s.Counter, tx.now(), "密码错误")
		}
		if m.FailedPINs != 0 {
			m.FailedPINs = 0
			tx.staff = append(tx.staff, m.No)
			tx.mutated = true
		}
		return s, nil
	})
}

// Session returns the session a token stands for.
func (l *Local) Session(ctx context.Context, tok Token) (Session, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, m, err := l.st.lookupSession(tok)
	if err != nil {
		return Session{}, err
	}
	return Session{Staff: m.public(), Counter: s.rec.Counter, Since: s.rec.Since}, nil
}

// SignOut ends a session.
func (l *Local) SignOut(ctx context.Context, tok Token) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.signOut(tok) })
}

// UnlockStaff lets a director lift a PIN lockout.
func (l *Local) UnlockStaff(ctx context.Context, tok Token, staffNo string) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.unlockStaff(tok, staffNo) })
}

// SetPIN changes a PIN: one's own, or anyone's for a director or admin.
func (l *Local) SetPIN(ctx context.Context, tok Token, staffNo, pin string) error {
	hash, err := HashPIN(pin, l.pinCost)
	if err != nil {
		return err
	}
	return l.Batch(ctx, func(tx *Tx) error { return tx.setPIN(tok, staffNo, hash) })
}

// ResetPINAtConsole sets a member of staff's PIN without a session, for
// whoever holds the hall's database file at the node's console
// (servicehall reset-pin): the way back in when the last administrator has
// forgotten theirs or is locked out. It lifts a lockout, signs the owner
// out everywhere and is recorded as set by ConsoleResetter.
func (l *Local) ResetPINAtConsole(ctx context.Context, staffNo, pin string) error {
	hash, err := HashPIN(pin, l.pinCost)
	if err != nil {
		return err
	}
	return l.Batch(ctx, func(tx *Tx) error {
		if err := tx.requireConfigured(); err != nil {
			return err
		}
		m := tx.st.staff[staffNo]
		if m == nil {
			return ErrUnknownStaff
		}
		return tx.applyPIN(m, ConsoleResetter, hash)
	})
}

// hashPINs hashes the PINs given in a configuration, outside the lock.
func (l *Local) hashPINs(staff []Staff) error {
	for i := range staff {
		if staff[i].PIN == "" {
			continue
		}
		h, err := HashPIN(staff[i].PIN, l.pinCost)
		if err != nil {
			return ErrPINFormat.WithMessagef("工号%s的密码须为4到12位数字", []string{staff[i].No}, "staff %s: bad PIN", staff[i].No)
		}
		staff[i].PINHash, staff[i].PIN = h, ""
	}
	return nil
}
