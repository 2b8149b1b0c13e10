package hq_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hq/wire"
)

var pageNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

func event(t *testing.T, seq int64, kind hall.Kind, at time.Time, payload string) wire.Record {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	e := hall.Event{Seq: seq, UUID: id.String(), Kind: kind, At: at.UTC().Truncate(time.Millisecond), Payload: []byte(payload)}
	e.Digest = e.ComputeDigest()
	return wire.FromEvent(e)
}

// browser is a staff member's browser: cookies kept, redirects not followed.
type browser struct {
	t   *testing.T
	srv *httptest.Server
	c   *http.Client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, srv: srv, c: c}
}

func (b *browser) do(method, path string, form url.Values, origin string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in %q", page)
	}
	return m[1]
}

func cookieOf(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestStaffPageOnSQLite(t *testing.T) {
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	testStaffPage(t, st)
}

func TestStaffPageOnPostgreSQL(t *testing.T) {
	st, _ := pgtest.Open(t)
	testStaffPage(t, st)
}

func testStaffPage(t *testing.T, st hq.Storage) {
	now := pageNow
	srv := httptest.NewServer(hq.NewServer(st, hq.Options{Now: func() time.Time { return now }, Logf: t.Logf}).Handler())
	t.Cleanup(srv.Close)
	tokA, _ := hq.NewToken()
	a, err := st.AddHall(ctx, "城关供电营业厅", hq.HashToken(tokA), now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.AddHall(ctx, "城南供电营业厅", hq.HashToken("shq_b"), now)
	if err != nil {
		t.Fatal(err)
	}
	// Hall A's morning: two tickets, both called (waits of 4 and 6
	// minutes), a re-call that does not count again, three ratings (two
	// satisfied, one unrated), one complaint, and yesterday's ticket.
	morning := time.Date(2026, 12, 1, 9, 0, 0, 0, now.Location())
	called := func(issued, first, at time.Time) string {
		return fmt.Sprintf(`{"ticket":{"issued_at":%q,"first_called_at":%q,"called_at":%q}}`,
			issued.UTC().Format(time.RFC3339), first.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	rs := []wire.Record{
		event(t, 1, hall.KindTicketIssued, morning.Add(-24*time.Hour), `{}`),
		event(t, 2, hall.KindTicketIssued, morning, `{}`),
		event(t, 3, hall.KindTicketIssued, morning.Add(time.Minute), `{}`),
		event(t, 4, hall.KindTicketCalled, morning.Add(4*time.Minute), called(morning, morning.Add(4*time.Minute), morning.Add(4*time.Minute))),
		event(t, 5, hall.KindTicketCalled, morning.Add(7*time.Minute), called(morning.Add(time.Minute), morning.Add(7*time.Minute), morning.Add(7*time.Minute))),
		event(t, 6, hall.KindTicketCalled, morning.Add(9*time.Minute), called(morning, morning.Add(4*time.Minute), morning.Add(9*time.Minute))),
		event(t, 7, hall.KindRated, morning.Add(10*time.Minute), `{"level":5}`),
		event(t, 8, hall.KindRated, morning.Add(11*time.Minute), `{"level":2}`),
		event(t, 9, hall.KindRated, morning.Add(12*time.Minute), `{"level":4}`),
		event(t, 10, hall.KindRated, morning.Add(13*time.Minute), `{"level":0}`),
		event(t, 11, hall.KindComplaintRecord, morning.Add(14*time.Minute), `{"what":"等候太久"}`),
	}
	batch := &wire.Batch{FirstSeq: 1, LastSeq: 11, Records: rs, HallLastSeq: 30}
	verdicts := make([]string, len(rs))
	if _, err := st.ApplyBatch(ctx, a.ID, batch, verdicts, now.Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddBadHead(ctx, a.ID, hq.TreeHead{Size: 3, Root: [32]byte{9}, At: now.Add(-time.Hour)}, "营业厅登记簿与总部上次签署的不一致：测试"); err != nil {
		t.Fatal(err)
	}
	pw := "abcd-efgh-jkmn-pqrs-tuvw"
	hash, err := hq.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddStaff(ctx, "总部值班员", hash, now); err != nil {
		t.Fatal(err)
	}

	br := newBrowser(t, srv)
	// Not signed in: the page and the API send to sign-in.
	if resp, _ := br.do("GET", "/staff/", nil, ""); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
		t.Fatalf("page without a session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := br.do("GET", "/staff/api/overview", nil, ""); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "请先登录") {
		t.Fatalf("API without a session: %d %s", resp.StatusCode, body)
	}
	resp, page := br.do("GET", "/staff/login", nil, "")
	if resp.StatusCode != 200 || !strings.Contains(page, "总部人员登录") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("login page: %d", resp.StatusCode)
	}
	if c := cookieOf(resp, "shq_csrf"); c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("csrf cookie = %+v", c)
	}
	csrf := csrfOf(t, page)
	// A form without the token, or with a wrong password: no session.
	if resp, body := br.do("POST", "/staff/login", url.Values{"name": {"总部值班员"}, "password": {pw}}, ""); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "重新登录") {
		t.Fatalf("login without csrf: %d", resp.StatusCode)
	}
	_, page = br.do("GET", "/staff/login", nil, "")
	csrf = csrfOf(t, page)
	resp, body := br.do("POST", "/staff/login", url.Values{"csrf": {csrf}, "name": {"总部值班员"}, "password": {"wrong"}}, srv.URL)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") || cookieOf(resp, "shq_session") != nil {
		t.Fatalf("wrong password: %d, session %v", resp.StatusCode, cookieOf(resp, "shq_session"))
	}
	csrf = csrfOf(t, body)
	resp, _ = br.do("POST", "/staff/login", url.Values{"csrf": {csrf}, "name": {"总部值班员"}, "password": {pw}}, srv.URL)
	sc := cookieOf(resp, "shq_session")
	if resp.StatusCode != http.StatusSeeOther || sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode {
		t.Fatalf("sign-in: %d, session cookie %+v", resp.StatusCode, sc)
	}

	resp, page = br.do("GET", "/staff/", nil, "")
	if resp.StatusCode != 200 {
		t.Fatalf("page: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{"总部值班员", "城关供电营业厅", "城南供电营业厅", "今日（2026-12-01）",
		"<td class=\"num\">19</td>", // backlog: the hall had 30, HQ holds 11
		"5分00秒",                     // mean wait of 4 and 6 minutes
		"66.7%",                     // two satisfied of three rated
		"登记簿不一致", "营业厅登记簿与总部上次签署的不一致：测试", "从未同步", "未知"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the page carries a script")
	}
	// The JSON read endpoint says the same.
	resp, body = br.do("GET", "/staff/api/overview?day=2026-12-01", nil, "")
	var ov hq.Overview
	if err := json.Unmarshal([]byte(body), &ov); resp.StatusCode != 200 || err != nil || len(ov.Halls) != 2 {
		t.Fatalf("API: %d %v %s", resp.StatusCode, err, body)
	}
	f := ov.Halls[0].Figures
	if f.Tickets != 2 || f.Called != 2 || f.MeanWaitSec != 300 || f.Rated != 3 || f.Satisfied != 2 || f.Unrated != 1 || f.Complaints != 1 ||
		*ov.Halls[0].Backlog != 19 || !ov.Halls[0].Inconsistent || ov.Halls[1].Backlog != nil || len(ov.Alerts) != 1 {
		t.Fatalf("API overview = %+v", ov)
	}
	if resp, body := br.do("GET", "/staff/api/overview?day=2026-11-30", nil, ""); resp.StatusCode != 200 || !strings.Contains(body, `"tickets":1`) {
		t.Fatalf("yesterday: %d %s", resp.StatusCode, body)
	}
	if resp, body := br.do("GET", "/staff/api/overview?day=昨天", nil, ""); resp.StatusCode != 400 || !strings.Contains(body, "日期格式") {
		t.Fatalf("bad day: %d %s", resp.StatusCode, body)
	}

	// Notices: the form needs the page's token and this origin.
	csrf = csrfOf(t, page)
	notice := url.Values{"csrf": {csrf}, "kind": {"outage"}, "text": {"12月1日14:00至18:00城关片区线路检修停电"},
		"from": {"2026-12-01T14:00"}, "until": {"2026-12-01T18:00"}, "hall": {fmt.Sprint(a.ID)}}
	noToken := url.Values{}
	for k, v := range notice {
		noToken[k] = v
	}
	noToken.Del("csrf")
	if resp, _ := br.do("POST", "/staff/notices", noToken, srv.URL); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("notice without csrf: %d", resp.StatusCode)
	}
	if resp, _ := br.do("POST", "/staff/notices", notice, "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("notice from another origin: %d", resp.StatusCode)
	}
	past := url.Values{}
	for k, v := range notice {
		past[k] = v
	}
	past.Set("until", "2026-12-01T11:00")
	if resp, body := br.do("POST", "/staff/notices", past, srv.URL); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "结束时间须晚于开始时间和现在") {
		t.Fatalf("a notice ending in the past: %d", resp.StatusCode)
	}
	if ns, _ := st.Notices(ctx, a.ID, now); len(ns) != 0 {
		t.Fatalf("refused notices stored: %+v", ns)
	}
	resp, _ = br.do("POST", "/staff/notices", notice, srv.URL)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/?published=1" {
		t.Fatalf("publish: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	ns, err := st.Notices(ctx, a.ID, now)
	if err != nil || len(ns) != 1 || ns[0].Kind != "outage" || !ns[0].From.Equal(time.Date(2026, 12, 1, 14, 0, 0, 0, now.Location())) {
		t.Fatalf("hall A's notices = %+v (%v)", ns, err)
	}
	if ns, _ := st.Notices(ctx, b.ID, now); len(ns) != 0 {
		t.Fatalf("hall B got hall A's notice: %+v", ns)
	}
	_, page = br.do("GET", "/staff/?published=1", nil, "")
	if !strings.Contains(page, "公告已发布") || !strings.Contains(page, "城关片区线路检修停电") {
		t.Error("the page does not show the published notice")
	}
	// Hall A pulls it through the halls' endpoint.
	req, _ := http.NewRequest("GET", srv.URL+wire.PathNotices, nil)
	req.Header.Set("Authorization", "Bearer "+tokA)
	req.Header.Set(wire.HeaderProtocol, "1")
	hr, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pulled wire.Notices
	json.NewDecoder(hr.Body).Decode(&pulled)
	hr.Body.Close()
	if len(pulled.Notices) != 1 || pulled.Notices[0].ID != ns[0].ID {
		t.Fatalf("hall A pulled %+v", pulled)
	}

	// Sign-out ends the session at HQ, not just in the browser.
	csrf = csrfOf(t, page)
	if resp, _ := br.do("POST", "/staff/logout", url.Values{"csrf": {csrf}}, srv.URL); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	old := &http.Cookie{Name: "shq_session", Value: sc.Value}
	req, _ = http.NewRequest("GET", srv.URL+"/staff/", nil)
	req.AddCookie(old)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the old cookie after sign-out: %v %v", resp.StatusCode, err)
	}

	// Five wrong passwords lock the name for a while.
	for i := range 6 {
		_, page := br.do("GET", "/staff/login", nil, "")
		resp, _ := br.do("POST", "/staff/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"总部值班员"}, "password": {"nope"}}, srv.URL)
		want := http.StatusUnauthorized
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Fatalf("wrong password %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}
