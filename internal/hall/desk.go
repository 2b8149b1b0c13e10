package hall

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The duty director's desk (clauses 4.2.2, 4.2.3): the roster that must
// name a 值班主任 for every day (county halls have no weekly rest day), and
// the director's log, whose entries are never edited: a correction is a new
// entry that amends an earlier one. Log entries are leaves of the
// tamper-evident register.

// RosterDay is one day of the duty roster.
type RosterDay struct {
	Day      string `json:"day"`                // local date
	Director string `json:"director,omitempty"` // staff number; empty: a gap
	Name     string `json:"name,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Gap reports whether nobody is on duty that day.
func (r RosterDay) Gap() bool { return r.Director == "" }

// Log categories.
const (
	LogPatrol    = "现场巡查"
	LogReception = "客户接待"
	LogIncident  = "突发事件"
	LogHandover  = "交接班"
	LogOther     = "其他"
)

// LogCategories lists them in the desk's order.
var LogCategories = []string{LogPatrol, LogReception, LogIncident, LogHandover, LogOther}

// LogEntry is one entry of the director's log.
type LogEntry struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	Day      string    `json:"day"`
	Author   string    `json:"author"`
	Category string    `json:"category"`
	Text     string    `json:"text"`
	Amends   string    `json:"amends,omitempty"` // the entry this one corrects
}

// Desk event kinds.
const (
	KindRosterSet      Kind = "roster.set"
	KindLogEntry       Kind = "log.entry"
	KindEmergencyStart Kind = "emergency.declared"
	KindEmergencyEnd   Kind = "emergency.ended"
)

// LeafLog is the register's leaf kind for log entries.
const LeafLog = "log"

// LogLeaf is the canonical bytes of a log entry's register leaf.
func LogLeaf(e LogEntry) []byte {
	b, err := json.Marshal(struct {
		Kind     string `json:"kind"`
		ID       string `json:"id"`
		At       int64  `json:"at"`
		Day      string `json:"day"`
		Author   string `json:"author"`
		Category string `json:"category"`
		Text     string `json:"text"`
		Amends   string `json:"amends"`
	}{LeafLog, e.ID, e.At.UnixMilli(), e.Day, e.Author, e.Category, e.Text, e.Amends})
	if err != nil {
		panic(err)
	}
	return b
}

// SetRoster puts a director on duty for a day (or, with staffNo "", clears
// it). A director or admin only; the one on duty must be a director.
func (tx *Tx) SetRoster(tok Token, day, staffNo, note string) (RosterDay, error) {
	by, err := tx.director(tok)
	if err != nil {
		return RosterDay{}, err
	}
	return tx.setRoster(by, day, staffNo, note)
}

// SetRosterAs sets the roster as a given director, for trusted in-process
// callers (the traffic simulator, imports) that hold no session.
func (tx *Tx) SetRosterAs(by, day, staffNo, note string) (RosterDay, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return RosterDay{}, err
	}
	return tx.setRoster(m, day, staffNo, note)
}

// trustedDirector finds an active director or admin by staff number.
func (tx *Tx) trustedDirector(no string) (*Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, err
	}
	m := tx.st.staff[no]
	if m == nil || !m.Active || !m.directs() {
		return nil, ErrNotPermitted.WithMessage("只有值班主任或管理员可以进行此操作", "%q is not a director", no)
	}
	return m, nil
}

func (tx *Tx) setRoster(by *Staff, day, staffNo, note string) (RosterDay, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(day), tx.st.loc)
	if err != nil {
		return RosterDay{}, ErrInvalid.WithMessage("日期格式有误，例如 2026-12-01", "bad day %q", day)
	}
	r := RosterDay{Day: d.Format(time.DateOnly), Note: strings.TrimSpace(note)}
	if r.Day < tx.st.localDay(tx.now()) {
		return RosterDay{}, ErrInvalid.WithMessage("已过去的日期不能再排班", "roster day %s is past", r.Day)
	}
	if utf8.RuneCountInString(r.Note) > 100 {
		return RosterDay{}, ErrInvalid.WithMessage("备注不能超过100个字", "note too long")
	}
	if staffNo != "" {
		m := tx.st.staff[staffNo]
		if m == nil || !m.Active {
			return RosterDay{}, ErrUnknownStaff
		}
		if m.Role != RoleDirector {
			return RosterDay{}, ErrInvalid.WithMessagef("%s不是值班主任，不能排班", []string{m.Name}, "%s is a %s", m.No, m.Role)
		}
		r.Director, r.Name = m.No, m.Name
	}
	tx.st.roster[r.Day] = &r
	tx.roster = append(tx.roster, r)
	tx.mutated = true
	return r, tx.emit(KindRosterSet, tx.now(), struct {
		RosterDay
		By string `json:"by"`
	}{r, by.No})
}

// AddLog appends an entry to the director's log; amends names an earlier
// entry it corrects.
func (tx *Tx) AddLog(tok Token, category, text, amends string) (LogEntry, error) {
	m, err := tx.director(tok)
	if err != nil {
		return LogEntry{}, err
	}
	return tx.addLog(m, category, text, amends)
}

// AddLogAs appends to the log as a given director, for trusted in-process callers.
func (tx *Tx) AddLogAs(by, category, text, amends string) (LogEntry, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return LogEntry{}, err
	}
	return tx.addLog(m, category, text, amends)
}

func (tx *Tx) addLog(m *Staff, category, text, amends string) (LogEntry, error) {
	if !slices.Contains(LogCategories, category) {
		return LogEntry{}, ErrInvalid.WithMessage("日志类别有误", "log category %q", category)
	}
	text, err := trimmed(text, 2000, "日志内容")
	if err != nil {
		return LogEntry{}, err
	}
	if amends != "" && !tx.st.logIDs[amends] {
		return LogEntry{}, ErrUnknownMatter.WithMessage("要更正的日志不存在", "no log entry %s", amends)
	}
	id, err := newID()
	if err != nil {
		return LogEntry{}, err
	}
	now := tx.now()
	e := &LogEntry{ID: id, At: now, Day: tx.st.localDay(now), Author: m.No, Category: category, Text: text, Amends: amends}
	tx.st.logIDs[e.ID] = true
	tx.logs = append(tx.logs, e)
	tx.mutated = true
	return *e, tx.emit(KindLogEntry, now, *e)
}

// Emergency is the hall's emergency mode (clause 4.1.12).
type Emergency struct {
	Active   bool      `json:"active"`
	Text     string    `json:"text,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	NoticeID string    `json:"notice_id,omitempty"`
}

// EmergencyType is the business type that opens in emergency mode.
var EmergencyType = BusinessType{Code: "outage_consult", Name: "停电咨询", Prefix: "G", Position: 0}

// emergencyAnswer is what counters say to customers affected by the incident.
const emergencyAnswer = "您好，因{text}，目前正在全力抢修，恢复供电后我们将第一时间通知。给您带来不便，敬请谅解。"

// DeclareEmergency puts the hall in emergency mode: an emergency notice on
// the display and kiosk, the 停电咨询 ticket type opened, the counters'
// scripted answer, and a log entry.
func (tx *Tx) DeclareEmergency(tok Token, text string, until time.Time) (Emergency, error) {
	m, err := tx.director(tok)
	if err != nil {
		return Emergency{}, err
	}
	if tx.st.emergency.Active {
		return Emergency{}, ErrInvalid.WithMessage("已处于应急状态", "emergency already declared")
	}
	text, err = trimmed(text, 200, "事件说明")
	if err != nil {
		return Emergency{}, err
	}
	n, err := tx.postNotice(m.No, NoticeInput{Kind: NoticeEmergency, Text: text, Until: until})
	if err != nil {
		return Emergency{}, err
	}
	bt := EmergencyType
	if old := tx.st.types[bt.Code]; old != nil {
		bt = *old
	} else if taken := tx.prefixTaken(bt.Prefix); taken {
		bt.Prefix = tx.freePrefix()
	}
	bt.Retired = false
	tx.st.types[bt.Code] = &bt
	tx.types = append(tx.types, bt.Code)
	// Every open counter takes emergency tickets.
	for _, c := range tx.st.sortedCounterPtrs() {
		if !c.Serves(bt.Code) {
			c.Types = append(c.Types, bt.Code)
			tx.touchCounter(c)
		}
	}
	sc := tx.st.scripts
	sc.RefusalByType = maps(sc.RefusalByType)
	sc.RefusalByType[bt.Code] = fill(emergencyAnswer, "{text}", text)
	tx.st.scripts, tx.scripts = sc, true
	now := tx.now()
	tx.st.emergency, tx.emergency = Emergency{Active: true, Text: text, Since: now, NoticeID: n.ID}, true
	if _, err := tx.AddLog(tok, LogIncident, "宣布进入应急状态："+text, ""); err != nil {
		return Emergency{}, err
	}
	return tx.st.emergency, tx.emit(KindEmergencyStart, now, tx.st.emergency)
}

// EndEmergency leaves emergency mode: the notice comes down, the 停电咨询
// type closes once nobody waits for it, and the end is logged.
func (tx *Tx) EndEmergency(tok Token, note string) error {
	if _, err := tx.director(tok); err != nil {
		return err
	}
	em := tx.st.emergency
	if !em.Active {
		return ErrInvalid.WithMessage("当前不在应急状态", "no emergency")
	}
	if n := tx.st.notices[em.NoticeID]; n != nil {
		if err := tx.EndNotice(tok, em.NoticeID); err != nil {
			return err
		}
	}
	if bt := tx.st.types[EmergencyType.Code]; bt != nil && !bt.Retired {
		waiting := false
		for _, m := range tx.st.q.byTicket {
			waiting = waiting || m.e.t.Type == bt.Code
		}
		if !waiting {
			bt.Retired = true
			tx.types = append(tx.types, bt.Code)
		}
	}
	text := "结束应急状态"
	if note = strings.TrimSpace(note); note != "" {
		text += "：" + note
	}
	if _, err := tx.AddLog(tok, LogIncident, text, ""); err != nil {
		return err
	}
	now := tx.now()
	tx.st.emergency, tx.emergency = Emergency{}, true
	tx.mutated = true
	return tx.emit(KindEmergencyEnd, now, Emergency{Text: em.Text, Since: em.Since, NoticeID: em.NoticeID})
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (tx *Tx) prefixTaken(p string) bool {
	for _, t := range tx.st.types {
		if !t.Retired && t.Prefix == p {
			return true
		}
	}
	return false
}

func (tx *Tx) freePrefix() string {
	for c := 'Z'; c >= 'A'; c-- {
		if !tx.prefixTaken(string(c)) {
			return string(c)
		}
	}
	return "ZZ"
}

func (st *state) sortedCounterPtrs() []*Counter {
	out := make([]*Counter, 0, len(st.counters))
	for _, c := range st.counters {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Counter) int { return cmp.Compare(a.No, b.No) })
	return out
}

// SetRoster puts a director on duty for a day.
func (l *Local) SetRoster(ctx context.Context, tok Token, day, staffNo, note string) (RosterDay, error) {
	return do(ctx, l, func(tx *Tx) (RosterDay, error) { return tx.SetRoster(tok, day, staffNo, note) })
}

// Roster returns the roster from day from for n days, gaps included.
func (l *Local) Roster(ctx context.Context, from string, n int) ([]RosterDay, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d, err := time.ParseInLocation(time.DateOnly, from, l.st.loc)
	if err != nil || n < 1 || n > 400 {
		return nil, ErrInvalid.WithMessage("排班查询范围有误", "roster range %q %d", from, n)
	}
	out := make([]RosterDay, 0, n)
	for i := 0; i < n; i++ {
		day := d.AddDate(0, 0, i).Format(time.DateOnly)
		if r := l.st.roster[day]; r != nil {
			out = append(out, *r)
		} else {
			out = append(out, RosterDay{Day: day})
		}
	}
	return out, nil
}

// AddLog appends to the director's log.
func (l *Local) AddLog(ctx context.Context, tok Token, category, text, amends string) (LogEntry, error) {
	return do(ctx, l, func(tx *Tx) (LogEntry, error) { return tx.AddLog(tok, category, text, amends) })
}

// Handover hands the desk to the next director with a note, in the log.
// The next director is another active director: a handover to oneself
// would leave a log that says the desk changed hands when it did not.
func (l *Local) Handover(ctx context.Context, tok Token, to, note string) (LogEntry, error) {
	return do(ctx, l, func(tx *Tx) (LogEntry, error) {
		me, err := tx.st.lookupDirector(tok)
		if err != nil {
			return LogEntry{}, err
		}
		if me.No == to {
			return LogEntry{}, ErrInvalid.WithMessage("不能交班给本人，请选择接班的值班主任", "handover to oneself (%s)", to)
		}
		m := tx.st.staff[to]
		if m == nil || !m.Active || m.Role != RoleDirector {
			return LogEntry{}, ErrUnknownStaff.WithMessage("接班人须为在职的值班主任", "handover to %q", to)
		}
		return tx.AddLog(tok, LogHandover, "交班给"+m.Name+"（工号"+m.No+"）："+strings.TrimSpace(note), "")
	})
}

// DeclareEmergency enters emergency mode.
func (l *Local) DeclareEmergency(ctx context.Context, tok Token, text string, until time.Time) (Emergency, error) {
	return do(ctx, l, func(tx *Tx) (Emergency, error) { return tx.DeclareEmergency(tok, text, until) })
}

// EndEmergency leaves emergency mode.
func (l *Local) EndEmergency(ctx context.Context, tok Token, note string) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.EndEmergency(tok, note) })
}

// EmergencyState reports whether the hall is in emergency mode.
func (l *Local) EmergencyState(ctx context.Context) (Emergency, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.emergency, nil
}

// LogStore is a store that can read the director's log back.
type LogStore interface {
	Log(ctx context.Context, day string) ([]LogEntry, error)
}

// Log returns a day's log entries; a director or admin only.
func (l *Local) Log(ctx context.Context, tok Token, day string) ([]LogEntry, error) {
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	ls, ok := l.store.(LogStore)
	if !ok {
		return nil, ErrStore.WithMessage("此数据存储不支持查阅值班日志", "store has no Log")
	}
	return ls.Log(ctx, day)
}
