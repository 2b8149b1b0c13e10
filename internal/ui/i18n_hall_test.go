package ui

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/lan"
)

// notTranslatedDecls are the top-level declarations of internal/hall whose
// Chinese is not for the windows' language: the default service scripts a
// clerk says to the customer (the hall's own data once saved), the Chinese
// capital numerals of amounts.
var notTranslatedDecls = map[string]bool{
	"DefaultScripts":  true,
	"emergencyAnswer": true,
	"daxieDigits":     true,
	"daxieUnits":      true,
	"Daxie":           true,
	"writeDaxieInt":   true,
	"writeDaxieGroup": true,
}

// notTranslatedTexts are Chinese literals elsewhere in internal/hall that
// are not shown through the catalogue: what amounts and hours may be typed
// with, and texts written into the duty log, which is a register kept as
// it was written.
var notTranslatedTexts = map[string]string{
	"元":         "an amount may be typed with 元 after it",
	"－":         "a fullwidth hyphen typed in hours",
	"：":         "a fullwidth colon typed in hours; also joins log texts",
	"宣布进入应急状态：": "duty log text",
	"结束应急状态":    "duty log text",
	"交班给":       "duty log text",
	"（工号":       "duty log text",
	"）：":        "duty log text",
	"现场巡查 %d 个窗口，不合格 %d 项。": "duty log text of a patrol",
	"\n%d号窗口（%s）%d分":        "duty log text of a patrol",
	"：%s；整改：%s":             "duty log text of a patrol",
	"、":                     "duty log text of a patrol",
}

// chineseLiteral is a Chinese string literal in the source.
type chineseLiteral struct {
	text string
	pos  token.Position
	decl string // the top-level declaration it is in
}

// goFiles parses the non-test Go files of dir.
func goFiles(t *testing.T, dir string) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return fset, files
}

// named lists the top-level declarations of f by name: a function, or
// each const or var of a group.
func named(f *ast.File) map[ast.Node]string {
	out := map[ast.Node]string{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			out[d] = d.Name.Name
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok {
					out[v] = v.Names[0].Name
				} else {
					out[s] = ""
				}
			}
		}
	}
	return out
}

// chineseString is the value of a Chinese string literal, or "".
func chineseString(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || !hasChinese(s) {
		return ""
	}
	return s
}

// chineseLiterals lists every Chinese string literal of the files.
func chineseLiterals(fset *token.FileSet, files []*ast.File) []chineseLiteral {
	var out []chineseLiteral
	for _, f := range files {
		for d, name := range named(f) {
			ast.Inspect(d, func(n ast.Node) bool {
				if e, ok := n.(ast.Expr); ok {
					if s := chineseString(e); s != "" {
						out = append(out, chineseLiteral{s, fset.Position(e.Pos()), name})
					}
				}
				return true
			})
		}
	}
	slices.SortFunc(out, func(a, b chineseLiteral) int {
		return cmp.Or(strings.Compare(a.pos.Filename, b.pos.Filename), cmp.Compare(a.pos.Offset, b.pos.Offset))
	})
	return out
}

// messageLiterals lists the Chinese messages the files give errors:
// newError(code, zh), e.WithMessage(zh, …), e.WithMessagef(zhFormat,
// []string{…}, …) with the Chinese literals among its arguments, and
// Message: "…" in a composite literal (an error type's own field). For a
// WithMessagef whose arguments are a slice literal it also checks that the
// format has a %s for each.
func messageLiterals(t *testing.T, fset *token.FileSet, files []*ast.File) []chineseLiteral {
	var out []chineseLiteral
	add := func(e ast.Expr) {
		if s := chineseString(e); s != "" {
			out = append(out, chineseLiteral{text: s, pos: fset.Position(e.Pos())})
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Message" {
					add(n.Value)
				}
			case *ast.CallExpr:
				var name string
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				switch {
				case name == "newError" && len(n.Args) == 2:
					add(n.Args[1])
				case name == "WithMessage" && len(n.Args) > 0:
					add(n.Args[0])
				case name == "WithMessagef" && len(n.Args) > 1:
					add(n.Args[0])
					if args, ok := n.Args[1].(*ast.CompositeLit); ok {
						for _, a := range args.Elts {
							add(a)
						}
						if lit, ok := n.Args[0].(*ast.BasicLit); ok {
							format, _ := strconv.Unquote(lit.Value)
							if c := strings.Count(format, "%s"); c != len(args.Elts) || strings.Count(format, "%") != c {
								t.Errorf("%s: %q takes %d %%s arguments, is given %d", fset.Position(n.Pos()), format, c, len(args.Elts))
							}
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// Every Chinese text of the domain that reaches a window has English: the
// hall's error messages and message formats, the words filled into them,
// and its standard names (states, priorities, labels, weekdays, the
// patrol checklist, log categories); and the error messages of the LAN,
// the database, the printer and the sound device.
func TestHallTextsHaveEnglish(t *testing.T) {
	cat, err := englishCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	missing := func(l chineseLiteral, what string) {
		t.Errorf("%s: %s %q has no English in translations/hall.en.json", l.pos, what, l.text)
	}

	fset, files := goFiles(t, filepath.Join("..", "hall"))
	// Messages can never be left out, whatever the lists above say.
	msgs := messageLiterals(t, fset, files)
	if len(msgs) < 150 {
		t.Fatalf("found only %d messages in internal/hall; is the parse broken?", len(msgs))
	}
	reported := map[token.Position]bool{}
	for _, l := range msgs {
		if _, ok := cat[l.text]; !ok {
			missing(l, "message")
			reported[l.pos] = true
		}
	}
	// Every other Chinese literal too, unless it is listed above as not
	// for the windows' language.
	lits := chineseLiterals(fset, files)
	skipped := map[string]bool{}
	for _, l := range lits {
		if notTranslatedDecls[l.decl] {
			skipped[l.decl] = true
			continue
		}
		if _, ok := notTranslatedTexts[l.text]; ok {
			skipped[l.text] = true
			continue
		}
		if _, ok := cat[l.text]; !ok && !reported[l.pos] {
			missing(l, "text")
		}
	}
	// The lists above name only what is still there.
	for d := range notTranslatedDecls {
		if !skipped[d] {
			t.Errorf("notTranslatedDecls names %s, which has no Chinese in internal/hall", d)
		}
	}
	for s := range notTranslatedTexts {
		if !skipped[s] {
			t.Errorf("notTranslatedTexts names %q, which is not in internal/hall", s)
		}
	}

	// The error messages of the packages below the windows.
	for _, dir := range []string{"lan", "sqlite", "escpos", filepath.Join("voice", "speaker")} {
		fset, files := goFiles(t, filepath.Join("..", dir))
		for _, l := range messageLiterals(t, fset, files) {
			if _, ok := cat[l.text]; !ok {
				missing(l, "message")
			}
		}
	}

	// The standard names, as the domain gives them.
	var names []string
	names = append(names, hall.Weekdays[:]...)
	names = append(names, hall.RatingReasons...)
	names = append(names, hall.LogCategories...)
	names = append(names, hall.EmergencyType.Name)
	for _, bt := range demo.DefaultTypes() {
		names = append(names, bt.Name)
	}
	for _, it := range hall.PatrolChecklist {
		names = append(names, it.Short, it.Label)
	}
	for _, p := range []hall.Priority{hall.Normal, hall.Elderly, hall.Disabled} {
		names = append(names, p.Label())
	}
	for _, s := range []hall.TicketState{hall.Waiting, hall.Called, hall.Serving, hall.Done, hall.NoShow, hall.Cancelled, hall.Unfinished} {
		names = append(names, s.Label())
	}
	for _, s := range []hall.CounterState{hall.CounterOpen, hall.CounterPaused, hall.CounterClosed} {
		names = append(names, s.Label())
	}
	for _, s := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		names = append(names, s.Label())
	}
	for _, k := range []hall.FollowUpKind{hall.FollowRectified, hall.FollowCalledBack} {
		names = append(names, k.Label())
	}
	for _, k := range []hall.DeviceKind{hall.DevicePrinter, hall.DeviceSpeaker} {
		names = append(names, k.Label())
	}
	for _, k := range []hall.NoticeKind{hall.NoticeOutage, hall.NoticeEmergency, hall.NoticeReception, hall.NoticeInfo} {
		names = append(names, k.Label())
	}
	for _, l := range append([]hall.RatingLevel{hall.Unrated}, hall.Levels...) {
		names = append(names, l.Label())
	}
	for _, s := range []string{"rejected", "conflict", "missing"} {
		names = append(names, hall.QuarantinedRecord{Status: s}.StatusLabel())
	}
	for _, n := range names {
		if !hasChinese(n) {
			t.Errorf("standard name %q is not Chinese: a label changed?", n)
		} else if _, ok := cat[n]; !ok {
			t.Errorf("standard name %q has no English", n)
		}
	}
}

// errText speaks the windows' language: a real error of the hall, fixed or
// built from a format with arguments, a LAN error and an unknown one, in
// Chinese by default and in English when asked.
func TestHallErrorsInEnglish(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	_, unknownType := h.Issue(ctx, "no_such_type", hall.Normal)
	_, wrongPIN := h.SignIn(ctx, 1, "1001", "000000")
	if _, err := h.SetCounterState(ctx, h.At(1), 1, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	_, paused := h.CallNext(ctx, h.At(1))
	tries := strconv.Itoa(hall.MaxPINFailures - 1)
	cases := []struct {
		err     error
		zh, en  string
		wantKey bool
	}{
		{unknownType, "没有这个业务类型", "No such business type", false},
		{wrongPIN, "工号或密码错误，还可以再试" + tries + "次", "Wrong staff number or PIN; " + tries + " tries left", true},
		// The counter's name is the hall's data and stays as it is.
		{paused, "1号窗口未开放（暂停），不能呼叫", "1号窗口 is not open (Paused) and cannot call", true},
		{lan.ErrDisconnected, "连接中断，正在重连…", "Connection lost; reconnecting…", false},
		{errors.New("disk on fire"), "操作失败，请重试或联系管理员", "The operation failed; please try again or contact the administrator", false},
	}
	for _, c := range cases {
		var he *hall.Error
		if errors.As(c.err, &he) && (he.Key != "") != c.wantKey {
			t.Errorf("%v: key %q", c.err, he.Key)
		}
		if got := errText(c.err); got != c.zh {
			t.Errorf("errText(%v) in Chinese = %q, want %q", c.err, got, c.zh)
		}
		if got := hall.Message(c.err); got != c.zh {
			t.Errorf("hall.Message(%v) = %q, want %q", c.err, got, c.zh)
		}
	}
	inEnglish(t)
	for _, c := range cases {
		if got := errText(c.err); got != c.en {
			t.Errorf("errText(%v) in English = %q, want %q", c.err, got, c.en)
		}
	}
	if got := errText(nil); got != "" {
		t.Errorf("errText(nil) = %q", got)
	}
	// Every entry of the domain's file comes through Fyne's lookup as
	// written: formats, dots and quotes included.
	data, err := catalogue.ReadFile("translations/hall.en.json")
	if err != nil {
		t.Fatal(err)
	}
	var own map[string]string
	if err := json.Unmarshal(data, &own); err != nil {
		t.Fatal(err)
	}
	for zh, en := range own {
		if got := T(zh); got != en {
			t.Errorf("T(%q) = %q, want %q", zh, got, en)
		}
	}
}
