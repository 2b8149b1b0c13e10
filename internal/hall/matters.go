package hall

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Contact is how to reach a customer. It is kept in full only in the
// matter's own record; everywhere else (screens others can see, events,
// lists) it appears masked (clause 4.1.4).
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Masked hides all but the edges: 张*, 欧***, 138****5678.
func (c Contact) Masked() Contact { return Contact{Name: MaskName(c.Name), Phone: MaskPhone(c.Phone)} }

// MaskName keeps a name's first character and hides the rest: 张*, 欧***.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return ""
	}
	_, size := utf8.DecodeRuneInString(name)
	if n == 1 {
		return "*"
	}
	return name[:size] + strings.Repeat("*", n-1)
}

// MaskPhone keeps the first three and last four digits of a mobile number,
// and the last two of a shorter one.
func MaskPhone(p string) string {
	p = strings.TrimSpace(p)
	n := len(p)
	switch {
	case n == 0:
		return ""
	case n >= 11:
		return p[:3] + strings.Repeat("*", n-7) + p[n-4:]
	case n > 4:
		return strings.Repeat("*", n-2) + p[n-2:]
	default:
		return strings.Repeat("*", n)
	}
}

// validPhone accepts digits with an optional leading + and dashes, 5 to 20 long.
func validPhone(p string) bool {
	if p == "" {
		return true
	}
	if len(p) < 5 || len(p) > 20 {
		return false
	}
	for i, r := range p {
		if !(r >= '0' && r <= '9' || r == '-' || (r == '+' && i == 0)) {
			return false
		}
	}
	return true
}

// Escalation is a problem the clerk could not solve at the counter, passed
// to a department or leader (clause 4.1.19). The clerk who recorded it
// stays its owner until the reply to the customer is recorded.
type Escalation struct {
	ID        string    `json:"id"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Number    string    `json:"number,omitempty"`
	Counter   int       `json:"counter"`
	Owner     string    `json:"owner"`
	Need      string    `json:"need"`     // what the customer needs
	Assignee  string    `json:"assignee"` // the department or leader
	Due       string    `json:"due"`      // local date 2006-01-02
	Contact   Contact   `json:"contact"`  // masked except in EscalationRecord
	CreatedAt time.Time `json:"created_at"`
	Reply     string    `json:"reply,omitempty"`
	RepliedAt time.Time `json:"replied_at,omitzero"`
	RepliedBy string    `json:"replied_by,omitempty"`
}

// Closed reports whether the reply to the customer is recorded.
func (e Escalation) Closed() bool { return !e.RepliedAt.IsZero() }

// EscalationInput is what the clerk fills in.
type EscalationInput struct {
	Need     string  `json:"need"`
	Assignee string  `json:"assignee"`
	Due      string  `json:"due"` // 2006-01-02, today or later
	Contact  Contact `json:"contact"`
}

// ProxyState is where a 代办 record stands.
type ProxyState string

// 代办 states: the customer confirms or declines on the customer-facing screen.
const (
	ProxyPending   ProxyState = "pending"
	ProxyConfirmed ProxyState = "confirmed"
	ProxyDeclined  ProxyState = "declined"
)

// Proxy is business a clerk handled on behalf of a disabled or
// mobility-impaired customer (代办, clause 4.1.8), pending until the
// customer confirms it.
type Proxy struct {
	ID        string     `json:"id"`
	TicketID  string     `json:"ticket_id"`
	Number    string     `json:"number"`
	Counter   int        `json:"counter"`
	Clerk     string     `json:"clerk"`
	Summary   string     `json:"summary"`
	State     ProxyState `json:"state"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt time.Time  `json:"decided_at,omitzero"`
}

// Complaint is a customer's complaint taken at the counter (投诉, clause
// 4.1.5). Complaints are never edited or deleted.
type Complaint struct {
	ID        string    `json:"id"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Number    string    `json:"number,omitempty"`
	Counter   int       `json:"counter"`
	Clerk     string    `json:"clerk"`
	What      string    `json:"what"`     // what happened
	Where     string    `json:"where"`    // where
	Occurred  string    `json:"occurred"` // when, as the customer says it
	Contact   Contact   `json:"contact"`  // masked except in the record
	CreatedAt time.Time `json:"created_at"`
	// Salt hashes the contact into the register; kept with the record,
	// never shown or sent.
	Salt []byte `json:"-"`
}

// ComplaintInput is the complaint form.
type ComplaintInput struct {
	What     string  `json:"what"`
	Where    string  `json:"where"`
	Occurred string  `json:"occurred"`
	Contact  Contact `json:"contact"`
}

// FaultReport is a power fault reported at the counter (报修, clause 4.3.1).
type FaultReport struct {
	ID        string    `json:"id"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Number    string    `json:"number,omitempty"`
	Counter   int       `json:"counter"`
	Clerk     string    `json:"clerk"`
	What      string    `json:"what"`     // what is wrong: no power, sparks, a fallen line …
	Where     string    `json:"where"`    // the address
	Occurred  string    `json:"occurred"` // since when
	Contact   Contact   `json:"contact"`
	CreatedAt time.Time `json:"created_at"`
}

// FaultInput is the fault report form.
type FaultInput struct {
	What     string  `json:"what"`
	Where    string  `json:"where"`
	Occurred string  `json:"occurred"`
	Contact  Contact `json:"contact"`
}

// Matter event kinds. Their payloads hold contacts masked.
const (
	KindEscalated       Kind = "escalation.recorded"
	KindEscalationReply Kind = "escalation.replied"
	KindProxyRecorded   Kind = "proxy.recorded"
	KindProxyDecided    Kind = "proxy.decided"
	KindComplaintRecord Kind = "complaint.recorded"
	KindFaultRecorded   Kind = "fault.recorded"
	KindScriptsSaved    Kind = "scripts.saved"
)

// Matter errors.
var (
	ErrUnknownMatter = newError("unknown_matter", "没有这条记录")
	ErrMatterClosed  = newError("matter_closed", "这条记录已办结")
	ErrProxyPending  = newError("proxy_pending", "本窗口还有一条代办等待客户确认")
)

func trimmed(s string, max int, field string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrInvalid.WithMessagef("请填写%s", []string{field}, "%s empty", field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", ErrInvalid.WithMessagef("%s不能超过%s个字", []string{field, strconv.Itoa(max)}, "%s too long", field)
	}
	return s, nil
}

func checkContact(c Contact, phoneRequired bool) (Contact, error) {
	c.Name, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Phone)
	if utf8.RuneCountInString(c.Name) > 20 {
		return c, ErrInvalid.WithMessage("联系人姓名不能超过20个字", "contact name too long")
	}
	if phoneRequired && c.Phone == "" {
		return c, ErrInvalid.WithMessage("请填写客户的联系电话，以便答复", "phone required")
	}
	if !validPhone(c.Phone) {
		return c, ErrInvalid.WithMessage("联系电话格式有误", "bad phone")
	}
	return c, nil
}

// currentTicket returns the ticket at a counter, if any.
func (st *state) currentTicket(counter int) *Ticket {
	if c := st.counters[counter]; c != nil && c.Current != "" {
		return st.tickets[c.Current]
	}
	return nil
}

func (tx *Tx) touchEscalation(e *Escalation) {
	tx.mutated = true
	tx.escalations = append(tx.escalations, e)
}

// Escalate records a problem passed on from the counter (clause 4.1.19).
func (tx *Tx) Escalate(tok Token, in EscalationInput) (Escalation, error) {
	s, m, err := tx.session(tok)
	if err != nil {
		return Escalation{}, err
	}
	need, err := trimmed(in.Need, 500, "客户诉求")
	if err != nil {
		return Escalation{}, err
	}
	assignee, err := trimmed(in.Assignee, 50, "提交的部门或领导")
	if err != nil {
		return Escalation{}, err
	}
	due, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.Due), tx.st.loc)
	if err != nil {
		return Escalation{}, ErrInvalid.WithMessage("答复期限须为日期，例如 2026-12-01", "bad due %q", in.Due)
	}
	now := tx.now()
	if due.Format(time.DateOnly) < tx.st.localDay(now) {
		return Escalation{}, ErrInvalid.WithMessage("答复期限不能早于今天", "due %s in the past", in.Due)
	}
	contact, err := checkContact(in.Contact, true)
	if err != nil {
		return Escalation{}, err
	}
	id, err := newID()
	if err != nil {
		return Escalation{}, err
	}
	e := &Escalation{ID: id, Counter: s.rec.Counter, Owner: m.No, Need: need, Assignee: assignee,
		Due: due.Format(time.DateOnly), Contact: contact, CreatedAt: now}
	if t := tx.st.currentTicket(s.rec.Counter); t != nil {
		e.TicketID, e.Number = t.ID, t.Number
	}
	tx.st.escalations[e.ID] = e
	tx.touchEscalation(e)
	return e.masked(), tx.emit(KindEscalated, now, e.masked())
}

func (e Escalation) masked() Escalation {
	e.Contact = e.Contact.Masked()
	return e
}

// ownEscalation finds an open escalation that the session may handle and
// see in full: its owner's, or any for a director.
func (tx *Tx) ownEscalation(tok Token, id string) (*Escalation, *Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, nil, err
	}
	return tx.st.ownEscalation(tok, id)
}

// ownEscalation is the check itself: it changes nothing.
func (st *state) ownEscalation(tok Token, id string) (*Escalation, *Staff, error) {
	_, m, err := st.lookupSession(tok)
	if err != nil {
		return nil, nil, err
	}
	e := st.escalations[id]
	if e == nil {
		return nil, nil, ErrUnknownMatter
	}
	if e.Owner != m.No && !m.directs() {
		return nil, nil, ErrNotPermitted.WithMessage("只有记录人或值班主任可以处理这条升级事项", "%s is not the owner of %s", m.No, id)
	}
	return e, m, nil
}

// ReplyEscalation records the reply given to the customer, which closes it.
func (tx *Tx) ReplyEscalation(tok Token, id, reply string) (Escalation, error) {
	e, m, err := tx.ownEscalation(tok, id)
	if err != nil {
		return Escalation{}, err
	}
	reply, err = trimmed(reply, 500, "答复客户的内容")
	if err != nil {
		return Escalation{}, err
	}
	now := tx.now()
	e.Reply, e.RepliedAt, e.RepliedBy = reply, now, m.No
	delete(tx.st.escalations, e.ID)
	tx.touchEscalation(e)
	return e.masked(), tx.emit(KindEscalationReply, now, e.masked())
}

// RecordComplaint takes a complaint (clause 4.1.5).
func (tx *Tx) RecordComplaint(tok Token, in ComplaintInput) (Complaint, error) {
	s, m, err := tx.session(tok)
	if err != nil {
		return Complaint{}, err
	}
	return tx.recordComplaint(s.rec.Counter, m, in)
}

// RecordComplaintAs takes a complaint at a counter as a given member of
// staff, for trusted in-process callers.
func (tx *Tx) RecordComplaintAs(counter int, staffNo string, in ComplaintInput) (Complaint, error) {
	if err := tx.requireConfigured(); err != nil {
		return Complaint{}, err
	}
	m := tx.st.staff[staffNo]
	if m == nil || !m.Active {
		return Complaint{}, ErrUnknownStaff
	}
	return tx.recordComplaint(counter, m, in)
}

func (tx *Tx) recordComplaint(counter int, m *Staff, in ComplaintInput) (Complaint, error) {
	what, err := trimmed(in.What, 1000, "投诉内容")
	if err != nil {
		return Complaint{}, err
	}
	where := strings.TrimSpace(in.Where)
	occurred := strings.TrimSpace(in.Occurred)
	if utf8.RuneCountInString(where) > 200 || utf8.RuneCountInString(occurred) > 100 {
		return Complaint{}, ErrInvalid.WithMessage("地点或时间填写过长", "where/when too long")
	}
	contact, err := checkContact(in.Contact, false)
	if err != nil {
		return Complaint{}, err
	}
	id, err := newID()
	if err != nil {
		return Complaint{}, err
	}
	now := tx.now()
	salt, err := newSalt()
	if err != nil {
		return Complaint{}, err
	}
	c := &Complaint{ID: id, Counter: counter, Clerk: m.No, What: what, Where: where, Occurred: occurred, Contact: contact, CreatedAt: now, Salt: salt}
	if t := tx.st.currentTicket(counter); t != nil {
		c.TicketID, c.Number = t.ID, t.Number
	}
	tx.complaints = append(tx.complaints, c)
	tx.st.complaints[c.ID] = &openComplaint{c: *c}
	tx.mutated = true
	out := *c
	out.Contact, out.Salt = c.Contact.Masked(), nil
	return out, tx.emit(KindComplaintRecord, now, out)
}

// RecordFault takes a fault report (clause 4.3.1).
func (tx *Tx) RecordFault(tok Token, in FaultInput) (FaultReport, error) {
	s, m, err := tx.session(tok)
	if err != nil {
		return FaultReport{}, err
	}
	return tx.recordFault(s.rec.Counter, m, in)
}

// RecordFaultAs takes a fault report at a counter as a given member of
// staff, for trusted in-process callers (the demo's simulation).
func (tx *Tx) RecordFaultAs(counter int, staffNo string, in FaultInput) (FaultReport, error) {
	if err := tx.requireConfigured(); err != nil {
		return FaultReport{}, err
	}
	m := tx.st.staff[staffNo]
	if m == nil || !m.Active {
		return FaultReport{}, ErrUnknownStaff
	}
	return tx.recordFault(counter, m, in)
}

func (tx *Tx) recordFault(counter int, m *Staff, in FaultInput) (FaultReport, error) {
	what, err := trimmed(in.What, 500, "故障情况")
	if err != nil {
		return FaultReport{}, err
	}
	where, err := trimmed(in.Where, 200, "故障地点")
	if err != nil {
		return FaultReport{}, err
	}
	occurred := strings.TrimSpace(in.Occurred)
	if utf8.RuneCountInString(occurred) > 100 {
		return FaultReport{}, ErrInvalid.WithMessage("发生时间填写过长", "when too long")
	}
	contact, err := checkContact(in.Contact, true)
	if err != nil {
		return FaultReport{}, err
	}
	id, err := newID()
	if err != nil {
		return FaultReport{}, err
	}
	now := tx.now()
	f := &FaultReport{ID: id, Counter: counter, Clerk: m.No, What: what, Where: where, Occurred: occurred, Contact: contact, CreatedAt: now}
	if t := tx.st.currentTicket(counter); t != nil {
		f.TicketID, f.Number = t.ID, t.Number
	}
	tx.faults = append(tx.faults, f)
	tx.mutated = true
	out := *f
	out.Contact = f.Contact.Masked()
	return out, tx.emit(KindFaultRecorded, now, out)
}

// RecordProxy records business handled on a customer's behalf (代办) for the
// ticket being served at the session's counter.
func (tx *Tx) RecordProxy(tok Token, summary string) (Proxy, error) {
	counter, clerk, err := tx.clerk(tok)
	if err != nil {
		return Proxy{}, err
	}
	t := tx.st.currentTicket(counter)
	if t == nil || t.State != Serving {
		return Proxy{}, ErrNotServing.WithMessage("请在办理客户业务时记录代办事项", "no service at counter %d", counter)
	}
	for _, p := range tx.st.proxies {
		if p.Counter == counter {
			return Proxy{}, ErrProxyPending
		}
	}
	summary, err = trimmed(summary, 500, "代办事项")
	if err != nil {
		return Proxy{}, err
	}
	id, err := newID()
	if err != nil {
		return Proxy{}, err
	}
	now := tx.now()
	p := &Proxy{ID: id, TicketID: t.ID, Number: t.Number, Counter: counter, Clerk: clerk, Summary: summary, State: ProxyPending, CreatedAt: now}
	tx.st.proxies[p.ID] = p
	tx.proxies = append(tx.proxies, p)
	tx.mutated = true
	return *p, tx.emit(KindProxyRecorded, now, *p)
}

// DecideProxy is the customer's answer on the counter's customer screen.
func (tx *Tx) DecideProxy(counter int, id string, confirm bool) (Proxy, error) {
	if err := tx.requireConfigured(); err != nil {
		return Proxy{}, err
	}
	p := tx.st.proxies[id]
	if p == nil || p.Counter != counter {
		return Proxy{}, ErrUnknownMatter.WithMessage("没有待确认的代办事项", "no pending proxy %s at %d", id, counter)
	}
	now := tx.now()
	p.State, p.DecidedAt = ProxyDeclined, now
	if confirm {
		p.State = ProxyConfirmed
	}
	delete(tx.st.proxies, id)
	tx.proxies = append(tx.proxies, p)
	tx.mutated = true
	return *p, tx.emit(KindProxyDecided, now, *p)
}

// SaveScripts replaces the hall's scripts.
func (tx *Tx) SaveScripts(tok Token, s Scripts) error {
	if _, err := tx.director(tok); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	tx.st.scripts = s
	tx.scripts = true
	return tx.emit(KindScriptsSaved, tx.now(), s)
}
