package hall

import (
	"strconv"
	"strings"
)

// Money for the clerk's cash calculator (唱收唱付, clause 4.1.17 of the
// service standard): the clerk says 「收到您XX元」 and 「这是您的找零XX元，请点清」,
// where XX is Fen.String() (or Fen.Yuan()). Money is whole fen, never float.

// Fen is an amount of money in fen (分), 1 yuan = 100 fen.
type Fen int64

// MaxFen bounds amounts a counter handles: 10,000,000.00 yuan.
const MaxFen Fen = 1_000_000_000

// Money errors. Compare with errors.Is.
var (
	ErrMoneyFormat    = newError("money_format", "金额格式有误，请输入数字，例如 120.50")
	ErrMoneyNegative  = newError("money_negative", "金额不能为负数")
	ErrMoneyPrecision = newError("money_precision", "金额最多精确到分（小数点后两位）")
	ErrMoneyTooLarge  = newError("money_too_large", "金额过大")
	ErrNotEnoughPaid  = newError("not_enough_paid", "实收金额少于应收金额")
)

// ParseYuan parses an amount in yuan as a clerk types it and returns it in
// fen.
//
// Accepted: "120", "120.5", "120.50", ".5", "120.", surrounding spaces
// (including the full-width space), a leading "+", full-width digits and
// signs (０-９, ＋), the full-width periods "．" and "。" as the decimal
// point, an optional trailing "元", and thousands separators "," or "，" in
// the integer part when they group strictly by three ("1,200.00", "1，200",
// "12,345,678"). Leading zeros are ignored.
//
// Refused: empty input, "." alone, letters, exponents, inner spaces, more
// than one point, misplaced separators (ErrMoneyFormat); a minus sign
// (ErrMoneyNegative, even "-0"); more than two decimals, even "1.000"
// (ErrMoneyPrecision); more than MaxFen (ErrMoneyTooLarge).
func ParseYuan(s string) (Fen, error) {
	t := strings.TrimSpace(s)
	if y, ok := strings.CutSuffix(t, "元"); ok {
		t = strings.TrimSpace(y)
	}
	if t == "" {
		return 0, ErrMoneyFormat.WithMessage("请输入金额，例如 120.50", "parse yuan %q: empty", s)
	}

	// Normalize to ASCII; anything outside the accepted alphabet is a format
	// error.
	var b strings.Builder
	b.Grow(len(t))
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '+', r == '-':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
		case r == '．', r == '。':
			b.WriteByte('.')
		case r == '，':
			b.WriteByte(',')
		case r == '＋':
			b.WriteByte('+')
		case r == '－', r == '−': // full-width hyphen-minus, minus sign
			b.WriteByte('-')
		default:
			return 0, formatError(s, "unexpected character %q", r)
		}
	}
	a := b.String()

	neg := false
	switch a[0] {
	case '+':
		a = a[1:]
	case '-':
		neg = true
		a = a[1:]
	}

	intPart, fracPart, hasPoint := strings.Cut(a, ".")
	if strings.ContainsAny(fracPart, ".") {
		return 0, formatError(s, "more than one decimal point")
	}
	if strings.ContainsAny(fracPart, ",+-") {
		return 0, formatError(s, "unexpected character in decimals")
	}
	if intPart == "" && fracPart == "" {
		return 0, formatError(s, "no digits")
	}
	if hasPoint && fracPart == "" && intPart == "" {
		return 0, formatError(s, "point alone")
	}
	if strings.ContainsAny(intPart, "+-") {
		return 0, formatError(s, "misplaced sign")
	}
	digits, ok := ungroup(intPart)
	if !ok {
		return 0, formatError(s, "misplaced thousands separator")
	}

	if neg {
		return 0, ErrMoneyNegative.WithMessage(ErrMoneyNegative.Message, "parse yuan %q: negative", s)
	}
	if len(fracPart) > 2 {
		return 0, ErrMoneyPrecision.WithMessage(ErrMoneyPrecision.Message,
			"parse yuan %q: %d decimals", s, len(fracPart))
	}

	digits = strings.TrimLeft(digits, "0")
	// MaxFen is 10,000,000 yuan: eight integer digits.
	if len(digits) > 8 {
		return 0, tooLarge(s)
	}
	var yuan int64
	if digits != "" {
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil { // cannot happen: at most eight ASCII digits
			return 0, formatError(s, "%v", err)
		}
		yuan = v
	}
	var cents int64
	for i := range 2 {
		cents *= 10
		if i < len(fracPart) {
			cents += int64(fracPart[i] - '0')
		}
	}
	f := Fen(yuan*100 + cents)
	if f > MaxFen {
		return 0, tooLarge(s)
	}
	return f, nil
}

// ungroup checks the integer part of an amount, which is digits with
// optional thousands separators grouping strictly by three, and returns its
// digits. An empty part is fine (".5").
func ungroup(p string) (string, bool) {
	if !strings.Contains(p, ",") {
		return p, allDigits(p)
	}
	groups := strings.Split(p, ",")
	for i, g := range groups {
		if !allDigits(g) || g == "" || len(g) > 3 || (i > 0 && len(g) != 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func formatError(s, detailFormat string, args ...any) *Error {
	return ErrMoneyFormat.WithMessage(ErrMoneyFormat.Message,
		"parse yuan "+strconv.Quote(s)+": "+detailFormat, args...)
}

func tooLarge(s string) *Error {
	return ErrMoneyTooLarge.WithMessagef("金额过大，最多 %s 元", []string{MaxFen.String()},
		"parse yuan %q: above %s", s, MaxFen)
}

// abs returns the magnitude of f; it is exact even for the smallest Fen.
func (f Fen) abs() uint64 {
	if f < 0 {
		return uint64(-(f + 1)) + 1
	}
	return uint64(f)
}

// String renders the amount in yuan with exactly two decimals and no
// separators: "120.50", "0.05", "-3.00".
func (f Fen) String() string {
	m := f.abs()
	s := strconv.FormatUint(m/100, 10) + "." + string([]byte{byte('0' + m%100/10), byte('0' + m%10)})
	if f < 0 {
		return "-" + s
	}
	return s
}

// Yuan is the amount as the clerk says it in the script, without the unit:
// the same as String, "120.50". The script phrases are Yuan()+"元".
func (f Fen) Yuan() string { return f.String() }

var (
	daxieDigits = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	daxieUnits  = [4]string{"", "拾", "佰", "仟"}
)

// Daxie renders the amount in capital numerals for receipts (大写金额):
// 0 → "零元整", 100 → "壹元整", 12050 → "壹佰贰拾元伍角",
// 10500 → "壹佰零伍元整", 100005 → "壹仟元零伍分", 5 → "伍分".
//
// Rules: ten is "壹拾" also at the start; runs of zeros inside the number
// collapse to one 零, and no 零 stands before 万, 亿 or 元; an amount under
// one yuan starts with its jiao or fen; 零 goes between 元 and the fen when
// jiao is zero; "整" ends the amount only when both jiao and fen are zero.
// Negative amounts get "负".
func (f Fen) Daxie() string {
	m := f.abs()
	yuan, jiao, fen := m/100, m%100/10, m%10

	var b strings.Builder
	if f < 0 {
		b.WriteString("负")
	}
	switch {
	case m == 0:
		b.WriteString("零元整")
		return b.String()
	case yuan > 0:
		writeDaxieInt(&b, yuan)
		b.WriteString("元")
		if jiao == 0 && fen == 0 {
			b.WriteString("整")
			return b.String()
		}
		if jiao == 0 {
			b.WriteString("零")
		}
	}
	if jiao > 0 {
		b.WriteString(daxieDigits[jiao])
		b.WriteString("角")
	}
	if fen > 0 {
		b.WriteString(daxieDigits[fen])
		b.WriteString("分")
	}
	return b.String()
}

// writeDaxieInt writes n > 0 in capital numerals. Above 亿 the high part is
// itself written in full, so 10^16 is "壹亿亿".
func writeDaxieInt(b *strings.Builder, n uint64) {
	switch {
	case n >= 1_0000_0000:
		hi, lo := n/1_0000_0000, n%1_0000_0000
		writeDaxieInt(b, hi)
		b.WriteString("亿")
		if lo > 0 {
			if lo < 1000_0000 {
				b.WriteString("零")
			}
			writeDaxieInt(b, lo)
		}
	case n >= 1_0000:
		hi, lo := n/1_0000, n%1_0000
		writeDaxieGroup(b, hi)
		b.WriteString("万")
		if lo > 0 {
			if lo < 1000 {
				b.WriteString("零")
			}
			writeDaxieGroup(b, lo)
		}
	default:
		writeDaxieGroup(b, n)
	}
}

// writeDaxieGroup writes 0 < n < 10000, without leading or trailing 零.
func writeDaxieGroup(b *strings.Builder, n uint64) {
	var d [4]uint64
	for i := range d {
		d[i] = n % 10
		n /= 10
	}
	started, zero := false, false
	for i := 3; i >= 0; i-- {
		if d[i] == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(daxieDigits[d[i]])
		b.WriteString(daxieUnits[i])
		started = true
	}
}

// MakeChange returns the change to hand back, received - due. It refuses
// negative amounts (ErrMoneyNegative), amounts above MaxFen
// (ErrMoneyTooLarge) and received < due (ErrNotEnoughPaid, whose message
// names the shortfall: "实收金额少于应收金额，还差 12.50 元").
//
// (It is not called Change: that name is the Store's transaction.)
func MakeChange(due, received Fen) (Fen, error) {
	switch {
	case due < 0:
		return 0, ErrMoneyNegative.WithMessage("应收金额不能为负数", "change: due %s is negative", due)
	case received < 0:
		return 0, ErrMoneyNegative.WithMessage("实收金额不能为负数", "change: received %s is negative", received)
	case due > MaxFen:
		return 0, ErrMoneyTooLarge.WithMessagef("应收金额过大，最多 %s 元", []string{MaxFen.String()},
			"change: due %s above %s", due, MaxFen)
	case received > MaxFen:
		return 0, ErrMoneyTooLarge.WithMessagef("实收金额过大，最多 %s 元", []string{MaxFen.String()},
			"change: received %s above %s", received, MaxFen)
	case received < due:
		short := due - received
		return 0, ErrNotEnoughPaid.WithMessagef("实收金额少于应收金额，还差 %s 元", []string{short.String()},
			"change: received %s < due %s, short %s", received, due, short)
	}
	return received - due, nil
}
