package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"servicehall/internal/hall"
)

// Language is the language of the windows. Chinese is the default: the
// source text of every window is Simplified Chinese, and it is also the key
// of its translation. English is the second language, through Fyne's lang.
type Language string

// The languages of the windows.
const (
	Chinese Language = "zh"
	English Language = "en"
)

// ParseLanguage reads a language setting ("zh", "en"; "" is Chinese).
func ParseLanguage(s string) (Language, error) {
	switch s {
	case "", "zh", "zh-CN", "zh_CN", "chinese", "中文":
		return Chinese, nil
	case "en", "en-US", "en_US", "english", "English":
		return English, nil
	}
	return Chinese, fmt.Errorf("unknown language %q (want zh or en)", s)
}

// catalogue holds the English text of every window, one file per group of
// windows, each a flat JSON object from the Chinese text to the English:
// translations/<group>.en.json. A format string is translated as a whole,
// its verbs in the same order.
//
//go:embed translations/*.json
var catalogue embed.FS

var (
	current  atomic.Value // Language
	register sync.Mutex
	english  atomic.Pointer[map[string]string] // the merged catalogue, once registered
)

// CurrentLanguage is the language of the windows.
func CurrentLanguage() Language {
	if l, ok := current.Load().(Language); ok {
		return l
	}
	return Chinese
}

// SetLanguage switches the windows' text to l; windows opened afterwards
// use it. English registers the catalogue with Fyne's lang for English and
// for the locale Fyne resolves on this PC, so the English text wins on a
// Chinese Windows too.
func SetLanguage(l Language) error {
	if l == English {
		if err := registerEnglish(); err != nil {
			return err
		}
	}
	current.Store(l)
	return nil
}

func registerEnglish() error {
	register.Lock()
	defer register.Unlock()
	merged, err := englishCatalogue()
	if err != nil {
		return err
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return err
	}
	locales := []fyne.Locale{"en", lang.SystemLocale()}
	for _, loc := range locales {
		if err := lang.AddTranslationsForLocale(data, loc); err != nil {
			return fmt.Errorf("register English for %s: %w", loc, err)
		}
	}
	english.Store(&merged)
	return nil
}

// englishCatalogue merges the catalogue's files. The same Chinese text in
// two files must have the same English.
func englishCatalogue() (map[string]string, error) {
	files, err := fs.Glob(catalogue, "translations/*.en.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	merged := map[string]string{}
	for _, f := range files {
		data, err := catalogue.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k, v := range m {
			if old, ok := merged[k]; ok && old != v {
				return nil, fmt.Errorf("%s: %q is %q here and %q elsewhere", f, k, v, old)
			}
			merged[k] = v
		}
	}
	return merged, nil
}

// T is the text zh in the windows' language.
func T(zh string) string {
	if zh == "" || CurrentLanguage() == Chinese {
		return zh
	}
	// Text outside the catalogue (a hall's own names, what people typed)
	// stays as it is, without asking Fyne and logging a failed lookup.
	if m := english.Load(); m == nil {
		return zh
	} else if _, ok := (*m)[zh]; !ok {
		return zh
	}
	return lang.X(zh, zh)
}

// Tf formats the translation of the format string zh with args.
func Tf(zh string, args ...any) string {
	return fmt.Sprintf(T(zh), args...)
}

// errText is the message for a person for err, in the windows' language: a
// message that names something (a ticket, a counter, a field) is translated
// as its format, then filled in (hall.MessageIn).
func errText(err error) string {
	return hall.MessageIn(err, T)
}
