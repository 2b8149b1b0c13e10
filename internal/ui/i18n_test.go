package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// inEnglish switches the windows to English for one test and back to
// Chinese after it. Tests using it must not run in parallel.
func inEnglish(t *testing.T) {
	t.Helper()
	if err := SetLanguage(English); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLanguage(Chinese) })
}

// hasChinese reports whether s has a Han character or CJK punctuation.
func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			return true
		}
	}
	return false
}

// shownTexts collects the text a person can read in obj: labels, buttons,
// entries and their placeholders, selects and their options, checks,
// radio options, tab titles, cards, forms, rich text and canvas text.
func shownTexts(obj fyne.CanvasObject) []string {
	var out []string
	add := func(s ...string) {
		for _, x := range s {
			if strings.TrimSpace(x) != "" {
				out = append(out, x)
			}
		}
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			add(w.Text)
		case *widget.Button:
			add(w.Text)
		case *widget.Entry:
			add(w.Text, w.PlaceHolder)
		case *widget.Select:
			add(w.Selected, w.PlaceHolder)
			add(w.Options...)
		case *widget.SelectEntry:
			add(w.Text, w.PlaceHolder)
		case *widget.Check:
			add(w.Text)
		case *widget.CheckGroup:
			add(w.Options...)
		case *widget.RadioGroup:
			add(w.Options...)
		case *widget.Hyperlink:
			add(w.Text)
		case *widget.Card:
			add(w.Title, w.Subtitle)
			walk(w.Content)
		case *widget.Form:
			for _, it := range w.Items {
				add(it.Text, it.HintText)
				walk(it.Widget)
			}
			add(w.SubmitText, w.CancelText)
		case *widget.RichText:
			add(w.String())
		case *canvas.Text:
			add(w.Text)
		case *container.AppTabs:
			for _, it := range w.Items {
				add(it.Text)
				walk(it.Content)
			}
			return
		case *container.DocTabs:
			for _, it := range w.Items {
				add(it.Text)
				walk(it.Content)
			}
			return
		case *container.Split:
			walk(w.Leading)
			walk(w.Trailing)
			return
		case *container.Scroll:
			walk(w.Content)
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
			return
		}
		if wd, ok := o.(fyne.Widget); ok {
			if _, isTabs := o.(*container.AppTabs); isTabs {
				return
			}
			r := wd.CreateRenderer()
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	return out
}

// chineseShown lists the texts in obj that are still Chinese, leaving out
// those allowed (a hall's own data, say).
func chineseShown(obj fyne.CanvasObject, allowed ...string) []string {
	var bad []string
	for _, s := range shownTexts(obj) {
		if !hasChinese(s) {
			continue
		}
		ok := false
		for _, a := range allowed {
			if strings.Contains(s, a) {
				ok = true
				break
			}
		}
		if !ok && !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	return bad
}

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// The catalogue is complete: every Chinese string literal in the windows'
// code has an English translation, with no Chinese left in it and the same
// format verbs in the same order.
func TestCatalogueComplete(t *testing.T) {
	cat, err := englishCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for zh, en := range cat {
		if strings.TrimSpace(en) == "" || hasChinese(en) {
			t.Errorf("the English of %q is %q", zh, en)
		}
		if a, b := verbRE.FindAllString(zh, -1), verbRE.FindAllString(en, -1); !slices.Equal(a, b) {
			t.Errorf("%q has verbs %v, its English %q has %v", zh, a, en, b)
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !hasChinese(s) {
				return true
			}
			if _, ok := cat[s]; !ok {
				t.Errorf("%s: %q has no English", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}

// English wins over the PC's own locale: on a Chinese system the windows
// still speak English when asked to, and Chinese again after.
func TestEnglishOnAChineseSystem(t *testing.T) {
	t.Setenv("LANGUAGE", "zh_CN")
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	cat, err := englishCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	var zh, en string
	for k, v := range cat {
		zh, en = k, v
		break
	}
	if zh == "" {
		t.Skip("the catalogue is empty")
	}
	inEnglish(t)
	if got := T(zh); got != en {
		t.Errorf("T(%q) in English on a Chinese system = %q, want %q", zh, got, en)
	}
	if got := T("没有翻译的营业厅名称"); got != "没有翻译的营业厅名称" {
		t.Errorf("text outside the catalogue became %q", got)
	}
	if err := SetLanguage(Chinese); err != nil {
		t.Fatal(err)
	}
	if got := T(zh); got != zh {
		t.Errorf("T(%q) back in Chinese = %q", zh, got)
	}
}

func TestParseLanguage(t *testing.T) {
	for in, want := range map[string]Language{"": Chinese, "zh": Chinese, "en": English, "en_US": English} {
		if got, err := ParseLanguage(in); err != nil || got != want {
			t.Errorf("ParseLanguage(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseLanguage("fr"); err == nil {
		t.Error("ParseLanguage(fr) did not fail")
	}
}
