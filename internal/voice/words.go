package voice

import (
	"errors"
	"fmt"
	"strings"
)

// Call is one announcement: a ticket called (or called again) to a counter.
type Call struct {
	Number  string // the ticket's number: letters then digits, A001
	Counter int    // the counter's number, 1…
	Recall  bool   // 重呼
}

// ErrUnspeakable is returned for a call the clips cannot say (a number with
// characters other than letters and digits, a counter below 1); the queue
// plays the plain chime for it.
var ErrUnspeakable = errors.New("call cannot be spoken with the clips")

// Words returns the clips of a call, in order. The reading rules:
//
//   - the ticket number letter by letter and digit by digit, as halls read
//     them: A001 → A 零 零 一 号 (never 一百, and 一 never 幺);
//   - the counter as a number in words up to 99: 3 → 三号, 10 → 十号,
//     12 → 十二号, 20 → 二十号, 21 → 二十一号; from 100 digit by digit
//     (101 → 一零一号), as room numbers are read;
//   - a recall starts with 重呼 and a pause.
func (c Call) Words() ([]string, error) {
	num := strings.ToUpper(strings.TrimSpace(c.Number))
	if num == "" {
		return nil, fmt.Errorf("%w: empty number", ErrUnspeakable)
	}
	var w []string
	if c.Recall {
		w = append(w, wChonghu, wPause)
	}
	w = append(w, wQing)
	for _, r := range num {
		switch {
		case r >= 'A' && r <= 'Z':
			w = append(w, string(r))
		case r >= '0' && r <= '9':
			w = append(w, digitWord(int(r-'0')))
		default:
			return nil, fmt.Errorf("%w: number %q", ErrUnspeakable, c.Number)
		}
	}
	w = append(w, wHao, wDao)
	cw, err := counterWords(c.Counter)
	if err != nil {
		return nil, err
	}
	w = append(w, cw...)
	return append(w, wHao, wChuangkou, wBanli), nil
}

func counterWords(n int) ([]string, error) {
	switch {
	case n < 1:
		return nil, fmt.Errorf("%w: counter %d", ErrUnspeakable, n)
	case n < 10:
		return []string{digitWord(n)}, nil
	case n < 100:
		var w []string
		if n >= 20 {
			w = append(w, digitWord(n/10))
		}
		w = append(w, wShi)
		if n%10 != 0 {
			w = append(w, digitWord(n%10))
		}
		return w, nil
	}
	var w []string
	for _, r := range fmt.Sprint(n) {
		w = append(w, digitWord(int(r-'0')))
	}
	return w, nil
}

// Text is the call as the voice says it, in characters:
// 「请A零零一号到三号窗口办理」, 「重呼，请…」.
func (c Call) Text() (string, error) {
	words, err := c.Words()
	if err != nil {
		return "", err
	}
	return wordsText(words), nil
}

var clipText = func() map[string]string {
	m := map[string]string{wPause: "，"}
	for _, c := range Clips() {
		m[c.Name] = c.Text
	}
	return m
}()

func wordsText(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(clipText[w])
	}
	return b.String()
}
