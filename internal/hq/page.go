package hq

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"servicehall/internal/hall"
)

// HQ's page for its staff: plain server-rendered HTML under /staff/. Staff
// sign in with a name and a password (`servicehall-hq staff add`, bcrypt at
// rest); a session is a random cookie (HttpOnly, SameSite=Strict, Secure
// over TLS) of which HQ keeps only the SHA-256. Every form carries a CSRF
// token: before sign-in a random value also set as a cookie, after it an
// HMAC of the session's secret; a POST from another origin is refused.

//go:embed templates/*.html
var templateFS embed.FS

var pageTmpl = template.Must(template.ParseFS(templateFS, "templates/*.html"))

const (
	sessionCookie = "shq_session"
	csrfCookie    = "shq_csrf"
	// SessionTTL is how long a staff session lasts.
	SessionTTL = 12 * time.Hour
	// maxLoginFailures within loginWindow lock a name out for the rest of it.
	maxLoginFailures = 5
	loginWindow      = 15 * time.Minute
	maxNoticeRunes   = 500
	staleAfter       = time.Hour // a hall not heard from for this long is marked
)

// dummyHash evens out the time of a sign-in with an unknown name.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("servicehall-hq"), bcrypt.DefaultCost)

// loginLimiter counts failed sign-ins per name.
type loginLimiter struct {
	mu   sync.Mutex
	fail map[string][]time.Time
}

func (l *loginLimiter) blocked(name string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keep []time.Time
	for _, t := range l.fail[name] {
		if now.Sub(t) < loginWindow {
			keep = append(keep, t)
		}
	}
	if l.fail == nil {
		l.fail = map[string][]time.Time{}
	}
	l.fail[name] = keep
	return len(keep) >= maxLoginFailures
}

func (l *loginLimiter) failed(name string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail == nil {
		l.fail = map[string][]time.Time{}
	}
	l.fail[name] = append(l.fail[name], now)
}

func (l *loginLimiter) reset(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fail, name)
}

// HashPassword is what HQ keeps of a staff password.
func HashPassword(pw string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
}

// NewPassword is a generated staff password: 80 random bits in a form
// people can type (lowercase letters and digits, in groups of four).
func NewPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String(), nil
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func csrfFor(session string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("servicehall-hq csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func same(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (s *Server) staffRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/staff/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /staff/login", s.loginPage)
	mux.HandleFunc("POST /staff/login", s.login)
	mux.HandleFunc("POST /staff/logout", s.logout)
	mux.HandleFunc("GET /staff/{$}", s.overviewPage)
	mux.HandleFunc("GET /staff/api/overview", s.overviewAPI)
	mux.HandleFunc("POST /staff/notices", s.postNotice)
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var sb strings.Builder
	if err := pageTmpl.ExecuteTemplate(&sb, name, data); err != nil {
		s.logf("hq: render %s: %v", name, err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	w.Write([]byte(sb.String()))
}

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/staff/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// sameOrigin refuses a POST whose Origin (or, lacking it, Referer) names
// another host than the request's.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		o = r.Header.Get("Referer")
	}
	if o == "" || o == "null" {
		return o == ""
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

type loginData struct {
	Title, Error, CSRF, Name string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, msg, name string) {
	tok := randomToken()
	setCookie(w, r, csrfCookie, tok, 3600)
	s.render(w, status, "login.html", loginData{Title: "登录", Error: msg, CSRF: tok, Name: name})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.showLogin(w, r, http.StatusBadRequest, "提交的内容有误，请重试", "")
		return
	}
	c, _ := r.Cookie(csrfCookie)
	if c == nil || !same(c.Value, r.PostForm.Get("csrf")) || !sameOrigin(r) {
		s.showLogin(w, r, http.StatusForbidden, "页面已过期或来源不明，请重新登录", "")
		return
	}
	name, pw := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("password")
	now := s.now()
	if s.logins.blocked(name, now) {
		s.showLogin(w, r, http.StatusTooManyRequests, "密码错误次数过多，请15分钟后再试", name)
		return
	}
	st, hash, err := s.store.StaffPassword(r.Context(), name)
	switch {
	case errors.Is(err, ErrUnknownStaff):
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
		s.logins.failed(name, now)
		s.showLogin(w, r, http.StatusUnauthorized, "用户名或密码错误", name)
		return
	case err != nil:
		s.logf("hq: staff sign-in: %v", err)
		s.showLogin(w, r, http.StatusInternalServerError, "总部数据库暂时无法读取，请稍后重试", name)
		return
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil {
		s.logins.failed(name, now)
		s.showLogin(w, r, http.StatusUnauthorized, "用户名或密码错误", name)
		return
	}
	s.logins.reset(name)
	tok := randomToken()
	if err := s.store.AddStaffSession(r.Context(), sha256.Sum256([]byte(tok)), st.ID, now, now.Add(SessionTTL)); err != nil {
		s.logf("hq: staff session: %v", err)
		s.showLogin(w, r, http.StatusInternalServerError, "登录失败，请稍后重试", name)
		return
	}
	setCookie(w, r, sessionCookie, tok, int(SessionTTL/time.Second))
	setCookie(w, r, csrfCookie, "", -1)
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

// staff returns the signed-in staff member and the session's secret.
func (s *Server) staff(r *http.Request) (Staff, string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return Staff{}, "", false
	}
	st, err := s.store.StaffSession(r.Context(), sha256.Sum256([]byte(c.Value)), s.now())
	if err != nil {
		if !errors.Is(err, ErrUnknownStaff) {
			s.logf("hq: staff session: %v", err)
		}
		return Staff{}, "", false
	}
	return st, c.Value, true
}

// checkPost checks a signed-in form: session, CSRF token, origin.
func (s *Server) checkPost(w http.ResponseWriter, r *http.Request) (Staff, string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	st, sess, ok := s.staff(r)
	if !ok {
		http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		return st, "", false
	}
	if err := r.ParseForm(); err != nil || !same(r.PostForm.Get("csrf"), csrfFor(sess)) || !sameOrigin(r) {
		pageHeaders(w)
		http.Error(w, "请求来源不明或页面已过期，请刷新页面后重试", http.StatusForbidden)
		return st, "", false
	}
	return st, sess, true
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	_, sess, ok := s.checkPost(w, r)
	if !ok {
		return
	}
	if err := s.store.EndStaffSession(r.Context(), sha256.Sum256([]byte(sess))); err != nil {
		s.logf("hq: end staff session: %v", err)
	}
	setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

// HallSummary is one hall as HQ's page and GET /staff/api/overview show it.
type HallSummary struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	LastContact  time.Time `json:"last_contact"` // zero: never
	AckedThrough int64     `json:"acked_through_seq"`
	HallLastSeq  int64     `json:"hall_last_seq"` // 0: not known
	Backlog      *int64    `json:"backlog"`       // nil: not known
	TreeSize     int64     `json:"tree_size"`     // the last register head HQ signed
	Inconsistent bool      `json:"tree_inconsistent"`
	AlertCount   int       `json:"alerts"`
	Figures      Figures   `json:"figures"`
}

// AlertView is an alert with its hall's name.
type AlertView struct {
	Alert
	Hall string `json:"hall"`
}

// Overview is HQ's view of its halls for one day.
type Overview struct {
	Day    string        `json:"day"`
	Halls  []HallSummary `json:"halls"`
	Alerts []AlertView   `json:"alerts"` // newest first, at most 100
}

func (s *Server) dayBounds(day string) (string, time.Time, time.Time, error) {
	loc := s.loc
	if day == "" {
		day = s.now().In(loc).Format("2006-01-02")
	}
	start, err := time.ParseInLocation("2006-01-02", day, loc)
	if err != nil {
		return "", time.Time{}, time.Time{}, err
	}
	return day, start, start.AddDate(0, 0, 1), nil
}

// Overview gathers the halls' state and the day's figures.
func (s *Server) Overview(ctx context.Context, day string) (Overview, error) {
	day, from, to, err := s.dayBounds(day)
	if err != nil {
		return Overview{}, err
	}
	out := Overview{Day: day, Halls: []HallSummary{}, Alerts: []AlertView{}}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return out, err
	}
	for _, h := range halls {
		c, err := s.store.Cursor(ctx, h.ID)
		if err != nil {
			return out, err
		}
		th, err := s.store.TreeHead(ctx, h.ID)
		if err != nil {
			return out, err
		}
		as, err := s.store.Alerts(ctx, h.ID)
		if err != nil {
			return out, err
		}
		rs, err := s.store.RecordsAt(ctx, h.ID, FigureKinds, from, to)
		if err != nil {
			return out, err
		}
		hs := HallSummary{ID: h.ID, Name: h.Name, LastContact: c.LastContact, AckedThrough: c.AckedThrough, HallLastSeq: c.HallLastSeq,
			TreeSize: th.Size, AlertCount: len(as), Figures: ComputeFigures(rs)}
		if c.HallLastSeq > 0 {
			b := max(0, c.HallLastSeq-c.AckedThrough)
			hs.Backlog = &b
		}
		for _, a := range as {
			if a.Kind == AlertTreeInconsistent && !a.At.Before(th.At) {
				hs.Inconsistent = true
			}
			out.Alerts = append(out.Alerts, AlertView{Alert: a, Hall: h.Name})
		}
		out.Halls = append(out.Halls, hs)
	}
	slices.SortStableFunc(out.Alerts, func(a, b AlertView) int { return cmp.Or(b.At.Compare(a.At), cmp.Compare(b.ID, a.ID)) })
	if len(out.Alerts) > 100 {
		out.Alerts = out.Alerts[:100]
	}
	return out, nil
}

func (s *Server) overviewAPI(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := s.staff(r); !ok {
		writeError(w, http.StatusUnauthorized, "unauthorized", "请先登录")
		return
	}
	ov, err := s.Overview(r.Context(), r.URL.Query().Get("day"))
	if err != nil {
		s.overviewError(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, ov)
}

func (s *Server) overviewError(w http.ResponseWriter, err error) {
	var pe *time.ParseError
	if errors.As(err, &pe) {
		writeError(w, http.StatusBadRequest, "bad_day", "日期格式应为 2026-12-01")
		return
	}
	s.logf("hq: overview: %v", err)
	writeError(w, http.StatusInternalServerError, "store", "总部数据库暂时无法读取，请稍后重试")
}

// Labels of alert and notice kinds.
var (
	alertLabels = map[string]string{
		AlertConflict: "记录冲突", AlertRejected: "记录被拒收", AlertMissing: "缺号",
		AlertLost: "营业厅丢失记录", AlertTreeInconsistent: "登记簿不一致",
	}
	noticeLabels = map[string]string{"outage": "停电信息", "emergency": "紧急通知", "info": "一般信息"}
)

type pageHall struct {
	HallSummary
	LastContact, Acked, Backlog, MeanWait, Satisfaction string
	Stale                                               bool
}

type pageAlert struct{ At, Hall, Kind, Detail string }

type pageNotice struct{ Kind, Text, Span, Halls string }

type overviewData struct {
	Title, Staff, CSRF, Error, Note string
	Day, DayLabel, Now, Zone        string
	FromDefault                     string
	Halls                           []pageHall
	Alerts                          []pageAlert
	Notices                         []pageNotice
}

func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	st, sess, ok := s.staff(r)
	if !ok {
		http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		return
	}
	note := ""
	if r.URL.Query().Get("published") != "" {
		note = "公告已发布，各营业厅下次同步时取回并显示"
	}
	s.showOverview(w, r, st, sess, http.StatusOK, "", note, r.URL.Query().Get("day"))
}

func (s *Server) showOverview(w http.ResponseWriter, r *http.Request, st Staff, sess string, status int, errMsg, note, day string) {
	now := s.now().In(s.loc)
	ov, err := s.Overview(r.Context(), day)
	if err != nil {
		var pe *time.ParseError
		if !errors.As(err, &pe) {
			s.logf("hq: overview: %v", err)
			pageHeaders(w)
			http.Error(w, "总部数据库暂时无法读取，请稍后重试", http.StatusInternalServerError)
			return
		}
		errMsg, status = "日期格式应为 2026-12-01", http.StatusBadRequest
		ov, err = s.Overview(r.Context(), "")
		if err != nil {
			pageHeaders(w)
			http.Error(w, "总部数据库暂时无法读取，请稍后重试", http.StatusInternalServerError)
			return
		}
	}
	d := overviewData{Title: "概况", Staff: st.Name, CSRF: csrfFor(sess), Error: errMsg, Note: note,
		Day: ov.Day, DayLabel: dayLabel(ov.Day, now), Now: now.Format("2006-01-02 15:04"), Zone: s.loc.String(),
		FromDefault: now.Format("2006-01-02T15:04")}
	for _, h := range ov.Halls {
		ph := pageHall{HallSummary: h, LastContact: "从未同步", Acked: strconv.FormatInt(h.AckedThrough, 10), Backlog: "未知",
			MeanWait: "—", Satisfaction: "—"}
		if !h.LastContact.IsZero() {
			ph.LastContact = h.LastContact.In(s.loc).Format("01-02 15:04")
			ph.Stale = now.Sub(h.LastContact) > staleAfter
			if ph.Stale {
				ph.LastContact += "（" + spanText(now.Sub(h.LastContact)) + "前）"
			}
		}
		if h.Backlog != nil {
			ph.Backlog = strconv.FormatInt(*h.Backlog, 10)
		}
		if h.Figures.Called > 0 {
			ph.MeanWait = minutesText(time.Duration(h.Figures.MeanWaitSec * float64(time.Second)))
		}
		if h.Figures.Rated > 0 {
			ph.Satisfaction = fmt.Sprintf("%.1f%%", h.Figures.Satisfaction*100)
		}
		d.Halls = append(d.Halls, ph)
	}
	for _, a := range ov.Alerts {
		d.Alerts = append(d.Alerts, pageAlert{At: a.At.In(s.loc).Format("01-02 15:04"), Hall: a.Hall, Kind: cmp.Or(alertLabels[a.Kind], a.Kind), Detail: a.Detail})
	}
	d.Notices, err = s.activeNotices(r.Context(), ov.Halls)
	if err != nil {
		s.logf("hq: notices: %v", err)
	}
	s.render(w, status, "overview.html", d)
}

// activeNotices lists the notices not yet ended, with the halls each is for.
func (s *Server) activeNotices(ctx context.Context, halls []HallSummary) ([]pageNotice, error) {
	type seen struct {
		n     Notice
		halls []string
	}
	var order []string
	byID := map[string]*seen{}
	for _, h := range halls {
		ns, err := s.store.Notices(ctx, h.ID, s.now())
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if byID[n.ID] == nil {
				byID[n.ID] = &seen{n: n}
				order = append(order, n.ID)
			}
			byID[n.ID].halls = append(byID[n.ID].halls, h.Name)
		}
	}
	var out []pageNotice
	for _, id := range order {
		x := byID[id]
		who := strings.Join(x.halls, "、")
		if len(x.halls) == len(halls) {
			who = "全部营业厅"
		}
		out = append(out, pageNotice{Kind: cmp.Or(noticeLabels[x.n.Kind], x.n.Kind), Text: x.n.Text,
			Span: x.n.From.In(s.loc).Format("01-02 15:04") + " 至 " + x.n.Until.In(s.loc).Format("01-02 15:04"), Halls: who})
	}
	return out, nil
}

// NoticeError is a notice HQ staff wrote that cannot be published.
type NoticeError struct{ Msg string }

func (e *NoticeError) Error() string       { return "invalid notice: " + e.Msg }
func (e *NoticeError) UserMessage() string { return e.Msg }

// ParseNoticeForm reads the page's notice form: kind, text, from (empty:
// now), until, and hall IDs (none: every hall), times in loc.
func ParseNoticeForm(v url.Values, known []Hall, now time.Time, loc *time.Location) (Notice, error) {
	n := Notice{Kind: v.Get("kind"), Text: strings.TrimSpace(v.Get("text")), Created: now}
	if _, ok := noticeLabels[n.Kind]; !ok {
		return n, &NoticeError{"请选择公告类别"}
	}
	if n.Text == "" {
		return n, &NoticeError{"请填写公告内容"}
	}
	if utf8.RuneCountInString(n.Text) > maxNoticeRunes {
		return n, &NoticeError{fmt.Sprintf("公告内容不能超过 %d 字", maxNoticeRunes)}
	}
	parse := func(s string) (time.Time, error) {
		for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
			if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
				return t, nil
			}
		}
		return time.Time{}, &NoticeError{"时间格式有误：" + s}
	}
	n.From = now
	if f := strings.TrimSpace(v.Get("from")); f != "" {
		t, err := parse(f)
		if err != nil {
			return n, err
		}
		n.From = t
	}
	if strings.TrimSpace(v.Get("until")) == "" {
		return n, &NoticeError{"请填写结束时间"}
	}
	until, err := parse(v.Get("until"))
	if err != nil {
		return n, err
	}
	n.Until = until
	if !n.Until.After(n.From) || !n.Until.After(now) {
		return n, &NoticeError{"结束时间须晚于开始时间和现在"}
	}
	for _, hv := range v["hall"] {
		id, err := strconv.ParseInt(hv, 10, 64)
		i := slices.IndexFunc(known, func(h Hall) bool { return h.ID == id })
		if err != nil || i < 0 {
			return n, &NoticeError{"所选营业厅不存在"}
		}
		if !slices.Contains(n.Halls, id) {
			n.Halls = append(n.Halls, id)
		}
	}
	return n, nil
}

func (s *Server) postNotice(w http.ResponseWriter, r *http.Request) {
	st, sess, ok := s.checkPost(w, r)
	if !ok {
		return
	}
	halls, err := s.store.Halls(r.Context())
	if err != nil {
		s.logf("hq: halls: %v", err)
		pageHeaders(w)
		http.Error(w, "总部数据库暂时无法读取，请稍后重试", http.StatusInternalServerError)
		return
	}
	n, err := ParseNoticeForm(r.PostForm, halls, s.now(), s.loc)
	if err != nil {
		s.showOverview(w, r, st, sess, http.StatusBadRequest, "公告未发布："+hall.Message(err), "", "")
		return
	}
	if _, err := s.store.AddNotice(r.Context(), n); err != nil {
		s.logf("hq: add notice: %v", err)
		s.showOverview(w, r, st, sess, http.StatusInternalServerError, "公告未发布：总部数据库保存失败，请稍后重试", "", "")
		return
	}
	s.logf("hq: staff %d published a %s notice", st.ID, n.Kind)
	http.Redirect(w, r, "/staff/?published=1", http.StatusSeeOther)
}

func dayLabel(day string, now time.Time) string {
	if day == now.Format("2006-01-02") {
		return "今日（" + day + "）"
	}
	return day
}

func minutesText(d time.Duration) string {
	m := d.Round(time.Second)
	if m < time.Minute {
		return fmt.Sprintf("%d秒", int(m/time.Second))
	}
	return fmt.Sprintf("%d分%02d秒", int(m/time.Minute), int(m%time.Minute/time.Second))
}

func spanText(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%d天", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return fmt.Sprintf("%d小时", int(d/time.Hour))
	}
	return fmt.Sprintf("%d分钟", int(d/time.Minute))
}
