package hall

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The duty director's on-site patrol (现场巡查; 检查与考核, clauses 3.2,
// 4.1.13, 4.1.14, 4.1.21): a walk along the counters with a checklist
// drawn from the standard. Each counter and the clerk at it gets a score,
// what to correct is noted, and the results feed the reports. A patrol is
// never edited; recording one also writes a 现场巡查 entry to the
// director's log, which is a leaf of the register.

// PatrolItem is one line of the patrol checklist.
type PatrolItem struct {
	Code   string `json:"code"`
	Short  string `json:"short"` // a few characters, for lists and the log
	Label  string `json:"label"`
	Clause string `json:"clause"`
}

// PatrolChecklist is the checklist, in the order it is walked. Codes are
// stored with results: never reuse one for another meaning.
var PatrolChecklist = []PatrolItem{
	{"appearance", "仪容仪表", "仪容仪表：着装统一、佩戴工号牌、自然端庄", "4.1.13"},
	{"posture", "举止姿态", "举止：不抱胸叉腰、不托腮趴台、不抖腿跷腿", "4.1.13"},
	{"language", "文明用语", "讲普通话、用文明用语，语气平和，无忌语", "4.1.14"},
	{"greeting", "迎送问候", "起立问好，来有迎声、去有送声", "4.1.15、4.1.16、4.1.22"},
	{"focus", "工作纪律", "不闲聊、不长时间接打私人电话、不占用电脑做与工作无关的事", "4.1.21"},
	{"workstation", "工位整洁", "工位整洁：资料、票据、设备摆放有序", "3.2"},
}

// PatrolItemShort returns an item's short name, or the code for an unknown one.
func PatrolItemShort(code string) string {
	for _, it := range PatrolChecklist {
		if it.Code == code {
			return it.Short
		}
	}
	return code
}

// PatrolResult is the finding at one counter.
type PatrolResult struct {
	Counter int      `json:"counter"`
	Clerk   string   `json:"clerk"`  // staff number of the clerk inspected
	Failed  []string `json:"failed"` // item codes not met
	Score   int      `json:"score"`  // 0–100: share of items met
	Note    string   `json:"note,omitempty"`
}

// Patrol is one recorded patrol.
type Patrol struct {
	ID      string         `json:"id"`
	Day     string         `json:"day"`
	At      time.Time      `json:"at"`
	By      string         `json:"by"`
	Results []PatrolResult `json:"results"`
	Note    string         `json:"note,omitempty"`
	LogID   string         `json:"log_id"` // the 现场巡查 log entry written with it
}

// PatrolInput is a patrol as the director fills it in.
type PatrolInput struct {
	Results []PatrolResultInput `json:"results"`
	Note    string              `json:"note"`
}

// PatrolResultInput is one counter's finding. Clerk may be empty: the
// clerk signed in at the counter is taken.
type PatrolResultInput struct {
	Counter int      `json:"counter"`
	Clerk   string   `json:"clerk"`
	Failed  []string `json:"failed"`
	Note    string   `json:"note"`
}

// KindPatrol is the patrol's event kind.
const KindPatrol Kind = "patrol.recorded"

// PatrolScore is the score for a number of failed items: the share of the
// checklist met, rounded to a whole percent.
func PatrolScore(failed int) int {
	n := len(PatrolChecklist)
	return int(math.Round(100 * float64(n-failed) / float64(n)))
}

// RecordPatrol records a patrol; a director or admin only.
func (tx *Tx) RecordPatrol(tok Token, in PatrolInput) (Patrol, error) {
	m, err := tx.director(tok)
	if err != nil {
		return Patrol{}, err
	}
	return tx.recordPatrol(m, in)
}

// RecordPatrolAs records a patrol as a given director, for trusted in-process callers.
func (tx *Tx) RecordPatrolAs(by string, in PatrolInput) (Patrol, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return Patrol{}, err
	}
	return tx.recordPatrol(m, in)
}

func (tx *Tx) recordPatrol(m *Staff, in PatrolInput) (Patrol, error) {
	if len(in.Results) == 0 {
		return Patrol{}, ErrInvalid.WithMessage("请至少检查一个窗口", "patrol without results")
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > 500 {
		return Patrol{}, ErrInvalid.WithMessage("巡查总体情况不能超过500个字", "patrol note too long")
	}
	now := tx.now()
	p := Patrol{Day: tx.st.localDay(now), At: now, By: m.No, Note: note}
	seen := map[int]bool{}
	failedTotal := 0
	for _, r := range in.Results {
		c := tx.st.counters[r.Counter]
		if c == nil {
			return Patrol{}, ErrUnknownCounter
		}
		if seen[r.Counter] {
			return Patrol{}, ErrInvalid.WithMessagef("%s号窗口重复填写", []string{strconv.Itoa(r.Counter)}, "counter %d twice", r.Counter)
		}
		seen[r.Counter] = true
		clerk := strings.TrimSpace(r.Clerk)
		if clerk == "" {
			clerk = tx.st.signedIn(r.Counter)
		}
		if clerk == "" {
			return Patrol{}, ErrInvalid.WithMessagef("%s号窗口无人签到，请选择受检人员", []string{strconv.Itoa(r.Counter)}, "counter %d: no clerk", r.Counter)
		}
		if s := tx.st.staff[clerk]; s == nil || !s.Active {
			return Patrol{}, ErrUnknownStaff
		}
		var failed []string
		for _, code := range r.Failed {
			if !slices.ContainsFunc(PatrolChecklist, func(it PatrolItem) bool { return it.Code == code }) {
				return Patrol{}, ErrInvalid.WithMessage("检查项目有误", "patrol item %q", code)
			}
			if !slices.Contains(failed, code) {
				failed = append(failed, code)
			}
		}
		// Keep the checklist's order whatever order they came in.
		slices.SortFunc(failed, func(a, b string) int { return cmp.Compare(itemIndex(a), itemIndex(b)) })
		rn := strings.TrimSpace(r.Note)
		if len(failed) > 0 && rn == "" {
			return Patrol{}, ErrInvalid.WithMessagef("%s号窗口有不合格项，请写明整改要求", []string{strconv.Itoa(r.Counter)}, "counter %d: failures without a note", r.Counter)
		}
		if utf8.RuneCountInString(rn) > 300 {
			return Patrol{}, ErrInvalid.WithMessage("整改要求不能超过300个字", "patrol result note too long")
		}
		if failed == nil {
			failed = []string{}
		}
		failedTotal += len(failed)
		p.Results = append(p.Results, PatrolResult{Counter: r.Counter, Clerk: clerk, Failed: failed, Score: PatrolScore(len(failed)), Note: rn})
	}
	slices.SortFunc(p.Results, func(a, b PatrolResult) int { return cmp.Compare(a.Counter, b.Counter) })
	id, err := newID()
	if err != nil {
		return Patrol{}, err
	}
	p.ID = id
	// The log entry that puts the patrol in the register.
	var b strings.Builder
	fmt.Fprintf(&b, "现场巡查 %d 个窗口，不合格 %d 项。", len(p.Results), failedTotal)
	for _, r := range p.Results {
		fmt.Fprintf(&b, "\n%d号窗口（%s）%d分", r.Counter, r.Clerk, r.Score)
		if len(r.Failed) > 0 {
			labels := make([]string, len(r.Failed))
			for i, code := range r.Failed {
				labels[i] = PatrolItemShort(code)
			}
			fmt.Fprintf(&b, "：%s；整改：%s", strings.Join(labels, "、"), r.Note)
		}
	}
	if note != "" {
		b.WriteString("\n" + note)
	}
	e, err := tx.addLog(m, LogPatrol, b.String(), "")
	if err != nil {
		return Patrol{}, err
	}
	p.LogID = e.ID
	tx.patrols = append(tx.patrols, p)
	tx.mutated = true
	return p, tx.emit(KindPatrol, now, p)
}

func itemIndex(code string) int {
	return slices.IndexFunc(PatrolChecklist, func(it PatrolItem) bool { return it.Code == code })
}

// signedIn returns the staff number signed in at a counter, or "".
func (st *state) signedIn(counter int) string {
	now := ""
	var latest time.Time
	for _, s := range st.sessions {
		if s.rec.Counter == counter && s.rec.Ended.IsZero() && s.rec.Since.After(latest) {
			now, latest = s.rec.Staff, s.rec.Since
		}
	}
	return now
}

// PatrolStore is a store that reads patrols back.
type PatrolStore interface {
	Patrols(ctx context.Context, from, to string) ([]Patrol, error)
}

// RecordPatrol records a patrol.
func (l *Local) RecordPatrol(ctx context.Context, tok Token, in PatrolInput) (Patrol, error) {
	return do(ctx, l, func(tx *Tx) (Patrol, error) { return tx.RecordPatrol(tok, in) })
}

// Patrols lists the patrols of days from..to, newest first; a director or admin only.
func (l *Local) Patrols(ctx context.Context, tok Token, from, to string) ([]Patrol, error) {
	ps, err := historyStore[PatrolStore](l, tok, from, to, "巡查记录")
	if err != nil {
		return nil, err
	}
	out, err := ps.Patrols(ctx, from, to)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Patrol) int { return b.At.Compare(a.At) })
	return out, nil
}
