package hall

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// The hall's configuration after the first-run setup (issue #9): its name,
// opening hours, business types, counters and staff are changed by a
// system administrator (RoleAdmin) signed in at a desk, through the
// methods below. A duty director runs the day and does not change the
// hall's configuration; a director still unlocks accounts and sets PINs
// (UnlockStaff, SetPIN), as before.
//
// Each method checks the token, checks everything before it changes
// anything, and writes the change with its events in one transaction. The
// event log is what headquarters receives, so every change is there twice
// over: the change's own event, in the shape headquarters has known since
// the setup (hall.saved, policy.set, type.saved, type.retired,
// counter.saved, staff.saved), and a config.changed event naming the
// administrator who made it.
//
// The hall's code and time zone stay as the setup made them: headquarters
// files the hall's records under the code it was given (every record since
// hall.setup carries it, and reports and exports print it), and the time
// zone cuts the hall's days, so changing either later would split one
// hall's history in two. A wrong code is a new hall (a new database).

// Configuration event kinds.
const (
	KindHallSaved     Kind = "hall.saved"     // payload HallInfo: the hall renamed
	KindConfigChanged Kind = "config.changed" // payload ConfigChange: who changed the configuration
)

// ConfigChange is the payload of config.changed: which administrator
// changed what. The change itself is in the event beside it.
type ConfigChange struct {
	By      string `json:"by"`            // the administrator's staff number
	Subject string `json:"subject"`       // hall, policy, type, counter or staff
	Key     string `json:"key,omitempty"` // the type's code, the counter's or staff member's number
	Action  string `json:"action"`        // added, changed or retired
}

// What a config.changed event is about.
const (
	SubjectHall    = "hall"
	SubjectPolicy  = "policy"
	SubjectType    = "type"
	SubjectCounter = "counter"
	SubjectStaff   = "staff"

	ActionAdded   = "added"
	ActionChanged = "changed"
	ActionRetired = "retired"
)

// Configuration errors.
var (
	ErrHallCodeFixed = newError("hall_code_fixed", "营业厅编码是总部识别本厅记录的依据，设置后不能修改")
	ErrStaffExists   = newError("staff_exists", "该工号已被使用")
	ErrOwnAccount    = newError("own_account", "不能停用本人的账号，也不能更改本人的岗位")
)

func (tx *Tx) configChanged(by *Staff, subject, key, action string) error {
	return tx.emit(KindConfigChanged, tx.now(), ConfigChange{By: by.No, Subject: subject, Key: key, Action: action})
}

// saveHallInfo renames the hall. Its code and time zone may be given only
// as they are (or left empty).
func (tx *Tx) saveHallInfo(tok Token, h HallInfo) (HallInfo, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return HallInfo{}, err
	}
	st := tx.st
	name, code, tz := strings.TrimSpace(h.Name), strings.TrimSpace(h.Code), strings.TrimSpace(h.TimeZone)
	switch {
	case code != "" && code != st.hall.Code:
		return HallInfo{}, ErrHallCodeFixed.WithMessage(ErrHallCodeFixed.Message, "hall code %q cannot become %q", st.hall.Code, code)
	case tz != "" && tz != st.hall.TimeZone:
		return HallInfo{}, ErrInvalid.WithMessage("营业厅的时区设置后不能修改", "time zone %q cannot become %q", st.hall.TimeZone, tz)
	case !validName(name, 40):
		return HallInfo{}, ErrInvalid.WithMessage("营业厅名称不能为空，且不超过40个字", "bad hall name %q", name)
	}
	if name == st.hall.Name {
		return st.hall, nil // nothing to write
	}
	st.hall.Name = name
	// The store writes the hall's row whole, its policy with it.
	tx.hall, tx.policy, tx.mutated = true, true, true
	if err := tx.emit(KindHallSaved, tx.now(), st.hall); err != nil {
		return HallInfo{}, err
	}
	return st.hall, tx.configChanged(a, SubjectHall, st.hall.Code, ActionChanged)
}

// savePolicy replaces the queue rules and opening hours, each day's hours
// written as "HH:MM-HH:MM".
func (tx *Tx) savePolicy(tok Token, p Policy) (Policy, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return Policy{}, err
	}
	p.OpenHours = slices.Clone(p.OpenHours)
	for i, h := range p.OpenHours {
		if n, err := ParseOpenHours(h); err == nil {
			p.OpenHours[i] = n
		} // a bad day is refused by Validate, named by its weekday
	}
	if err := tx.SetPolicy(p); err != nil {
		return Policy{}, err
	}
	return p, tx.configChanged(a, SubjectPolicy, "", ActionChanged)
}

// saveTypeAs adds a business type or changes one's name, prefix, place and
// daily cap. A retired type stays retired.
func (tx *Tx) saveTypeAs(tok Token, bt BusinessType) (BusinessType, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return BusinessType{}, err
	}
	bt.Code = strings.TrimSpace(bt.Code)
	bt.Name = strings.TrimSpace(bt.Name)
	bt.Prefix = strings.ToUpper(strings.TrimSpace(bt.Prefix))
	action := ActionChanged
	if tx.st.types[bt.Code] == nil {
		action = ActionAdded
	}
	out, err := tx.SaveType(bt)
	if err != nil {
		return BusinessType{}, err
	}
	return out, tx.configChanged(a, SubjectType, out.Code, action)
}

// retireTypeAs stops issuing a business type; its history stays. The hall
// keeps at least one type in service.
func (tx *Tx) retireTypeAs(tok Token, code string) (BusinessType, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return BusinessType{}, err
	}
	bt := tx.st.types[code]
	if bt == nil {
		return BusinessType{}, ErrUnknownType.WithMessage(ErrUnknownType.Message, "unknown business type %q", code)
	}
	if bt.Retired {
		return BusinessType{}, ErrTypeRetired.WithMessagef("「%s」已停办", []string{bt.Name}, "business type %q is retired", code)
	}
	inService := 0
	for _, o := range tx.st.types {
		if !o.Retired && o.Code != code {
			inService++
		}
	}
	if inService == 0 {
		return BusinessType{}, ErrInvalid.WithMessage("至少要保留一种在办的业务", "retiring %q would leave no business type", code)
	}
	out, err := tx.RetireType(code)
	if err != nil {
		return BusinessType{}, err
	}
	return out, tx.configChanged(a, SubjectType, code, ActionRetired)
}

// saveCounterAs adds a counter (closed until a clerk opens it) or changes
// one's name and business types. Its open/paused/closed state is the
// clerks' and directors' (SetCounterState). A retired type is not given to
// a counter anew, and a type with customers waiting keeps a counter that
// serves it.
func (tx *Tx) saveCounterAs(tok Token, c Counter) (Counter, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return Counter{}, err
	}
	st := tx.st
	c.Name = strings.TrimSpace(c.Name)
	var types []string
	for _, code := range c.Types {
		if !slices.Contains(types, code) {
			types = append(types, code)
		}
	}
	c.Types = types
	if err := tx.checkCounter(c, st.types); err != nil {
		return Counter{}, err
	}
	cur := st.counters[c.No]
	for _, code := range c.Types {
		if bt := st.types[code]; bt.Retired && (cur == nil || !cur.Serves(code)) {
			return Counter{}, ErrTypeRetired.WithMessagef("「%s」已停办，不能再分配给窗口", []string{bt.Name}, "counter %d: type %q is retired", c.No, code)
		}
	}
	action := ActionAdded
	if cur != nil {
		action = ActionChanged
		for _, code := range cur.Types {
			if slices.Contains(c.Types, code) || st.waitingFor(code) == 0 || st.servedElsewhere(code, c.No) {
				continue
			}
			return Counter{}, ErrTypeInUse.WithMessagef("「%s」还有客户在等候，至少要有一个窗口办理", []string{st.types[code].Name},
				"counter %d is the last to serve %q, which has waiting tickets", c.No, code)
		}
	}
	out, err := tx.SaveCounter(c)
	if err != nil {
		return Counter{}, err
	}
	return out, tx.configChanged(a, SubjectCounter, strconv.Itoa(out.No), action)
}

// waitingFor counts the tickets of a business type in its queue.
func (st *state) waitingFor(code string) int {
	return st.q.count(queueKey{typ: code}) + st.q.count(queueKey{typ: code, priority: true})
}

// servedElsewhere reports whether a counter other than no serves the type.
func (st *state) servedElsewhere(code string, no int) bool {
	for _, c := range st.counters {
		if c.No != no && c.Serves(code) {
			return true
		}
	}
	return false
}

// addStaffAs adds a member of staff with the PIN hash given.
func (tx *Tx) addStaffAs(tok Token, s Staff, hash []byte) (Staff, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return Staff{}, err
	}
	s.No, s.Name = strings.TrimSpace(s.No), strings.TrimSpace(s.Name)
	if tx.st.staff[s.No] != nil {
		return Staff{}, ErrStaffExists.WithMessagef("工号%s已被使用", []string{s.No}, "staff %q exists", s.No)
	}
	s.PIN, s.PINHash, s.FailedPINs, s.Locked = "", hash, 0, false
	out, err := tx.SaveStaff(s)
	if err != nil {
		return Staff{}, err
	}
	return out, tx.configChanged(a, SubjectStaff, out.No, ActionAdded)
}

// saveStaffAs changes a member of staff's name, role or whether they are
// active; their PIN and lockout stay. An administrator changes neither
// their own role nor their own account's state: since only an active
// administrator acts here, the hall so always keeps one (the last
// administrator cannot be deactivated or given another role). A member of
// staff deactivated or given another role is signed out everywhere: their
// sessions were opened for the old role.
func (tx *Tx) saveStaffAs(tok Token, s Staff) (Staff, error) {
	a, err := tx.admin(tok)
	if err != nil {
		return Staff{}, err
	}
	st := tx.st
	s.No, s.Name = strings.TrimSpace(s.No), strings.TrimSpace(s.Name)
	old := st.staff[s.No]
	if old == nil {
		return Staff{}, ErrUnknownStaff.WithMessage(ErrUnknownStaff.Message, "no staff %q", s.No)
	}
	if err := checkStaff(s); err != nil {
		return Staff{}, err
	}
	if s.No == a.No && (s.Role != old.Role || !s.Active) {
		return Staff{}, ErrOwnAccount.WithMessage(ErrOwnAccount.Message, "%s may not change their own role or state", a.No)
	}
	s.PIN, s.PINHash = "", nil // SaveStaff keeps the PIN and the lockout
	out, err := tx.SaveStaff(s)
	if err != nil {
		return Staff{}, err
	}
	if old.Active != s.Active || old.Role != s.Role {
		reason := "role changed"
		if !s.Active {
			reason = "deactivated"
		}
		for _, ss := range st.sessionsSorted() {
			if ss.rec.Staff == s.No {
				if err := tx.endSession(ss, tx.now(), KindSessionEnded, reason); err != nil {
					return Staff{}, err
				}
			}
		}
	}
	return out, tx.configChanged(a, SubjectStaff, out.No, ActionChanged)
}

// checkAdmin refuses a token that is not an administrator's, without
// changing anything: it runs before the slow PIN hash.
func (l *Local) checkAdmin(tok Token) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.st.configured {
		return ErrNotConfigured
	}
	_, m, err := l.st.lookupSession(tok)
	if err != nil {
		return err
	}
	if m.Role != RoleAdmin {
		return errNotAdmin(m)
	}
	return nil
}

// SaveHallInfo renames the hall; an administrator only. The code and time
// zone cannot change: give them as they are, or empty.
func (l *Local) SaveHallInfo(ctx context.Context, tok Token, h HallInfo) (HallInfo, error) {
	return do(ctx, l, func(tx *Tx) (HallInfo, error) { return tx.saveHallInfo(tok, h) })
}

// SavePolicy replaces the hall's queue rules and opening hours; an
// administrator only.
func (l *Local) SavePolicy(ctx context.Context, tok Token, p Policy) (Policy, error) {
	return do(ctx, l, func(tx *Tx) (Policy, error) { return tx.savePolicy(tok, p) })
}

// SaveTypeAs adds or changes a business type; an administrator only.
func (l *Local) SaveTypeAs(ctx context.Context, tok Token, bt BusinessType) (BusinessType, error) {
	return do(ctx, l, func(tx *Tx) (BusinessType, error) { return tx.saveTypeAs(tok, bt) })
}

// RetireTypeAs stops issuing a business type; an administrator only.
func (l *Local) RetireTypeAs(ctx context.Context, tok Token, code string) (BusinessType, error) {
	return do(ctx, l, func(tx *Tx) (BusinessType, error) { return tx.retireTypeAs(tok, code) })
}

// SaveCounterAs adds or changes a counter; an administrator only.
func (l *Local) SaveCounterAs(ctx context.Context, tok Token, c Counter) (Counter, error) {
	return do(ctx, l, func(tx *Tx) (Counter, error) { return tx.saveCounterAs(tok, c) })
}

// AddStaffAs adds a member of staff with a first PIN; an administrator
// only. The PIN is an argument of its own: Staff never carries one across
// the LAN.
func (l *Local) AddStaffAs(ctx context.Context, tok Token, s Staff, pin string) (Staff, error) {
	if err := l.checkAdmin(tok); err != nil {
		return Staff{}, err
	}
	if pin == "" {
		return Staff{}, ErrPINFormat.WithMessage("请为新人员设置4到12位数字的初始密码", "new staff %q without a PIN", s.No)
	}
	hash, err := HashPIN(pin, l.pinCost)
	if err != nil {
		return Staff{}, err
	}
	return do(ctx, l, func(tx *Tx) (Staff, error) { return tx.addStaffAs(tok, s, hash) })
}

// SaveStaffAs changes a member of staff's name, role or state; an
// administrator only. PINs change through SetPIN, lockouts through
// UnlockStaff.
func (l *Local) SaveStaffAs(ctx context.Context, tok Token, s Staff) (Staff, error) {
	return do(ctx, l, func(tx *Tx) (Staff, error) { return tx.saveStaffAs(tok, s) })
}
