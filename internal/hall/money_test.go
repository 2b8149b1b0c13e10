package hall_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"servicehall/internal/hall"
)

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want hall.Fen
	}{
		{"0", 0},
		{"0.00", 0},
		{"120", 12000},
		{"120.5", 12050},
		{"120.50", 12050},
		{" 120.50 ", 12050},
		{"\t120.50\n", 12050},
		{"　120.50　", 12050}, // full-width spaces
		{"１２０.５０", 12050},
		{"１２０．５０", 12050},
		{"１２０。５", 12050},
		{"120.50元", 12050},
		{"120.50 元", 12050},
		{" １２０元 ", 12000},
		{"+120.50", 12050},
		{"＋120", 12000},
		{"1,200.00", 120000},
		{"1，200", 120000},
		{"１，２００．０５元", 120005},
		{"1,234,567.89", 123456789},
		{"9,999,999.99", hall.MaxFen - 1},
		{"999,999", 99999900},
		{".5", 50},
		{"0.05", 5},
		{"0.5", 50},
		{"5.", 500},
		{"007", 700},
		{"00000000000000000000001.01", 101},
		{"10000000", hall.MaxFen},
		{"10,000,000.00", hall.MaxFen},
		{"9999999.99", hall.MaxFen - 1},
	}
	for _, tt := range tests {
		got, err := hall.ParseYuan(tt.in)
		if err != nil {
			t.Errorf("ParseYuan(%q) error %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseYuanRefuses(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", hall.ErrMoneyFormat},
		{"   ", hall.ErrMoneyFormat},
		{"元", hall.ErrMoneyFormat},
		{".", hall.ErrMoneyFormat},
		{"．", hall.ErrMoneyFormat},
		{"+", hall.ErrMoneyFormat},
		{"-", hall.ErrMoneyFormat},
		{"+.", hall.ErrMoneyFormat},
		{"abc", hall.ErrMoneyFormat},
		{"12a", hall.ErrMoneyFormat},
		{"a12", hall.ErrMoneyFormat},
		{"1e3", hall.ErrMoneyFormat},
		{"1E3", hall.ErrMoneyFormat},
		{"1.5e2", hall.ErrMoneyFormat},
		{"0x10", hall.ErrMoneyFormat},
		{"NaN", hall.ErrMoneyFormat},
		{"Inf", hall.ErrMoneyFormat},
		{"1.2.3", hall.ErrMoneyFormat},
		{"1..2", hall.ErrMoneyFormat},
		{"1．2。3", hall.ErrMoneyFormat},
		{"1 200", hall.ErrMoneyFormat},
		{"1_000", hall.ErrMoneyFormat},
		{"12,00", hall.ErrMoneyFormat},
		{"1,2345", hall.ErrMoneyFormat},
		{"1234,567", hall.ErrMoneyFormat},
		{",100", hall.ErrMoneyFormat},
		{"100,", hall.ErrMoneyFormat},
		{"1,,000", hall.ErrMoneyFormat},
		{"1.000,00", hall.ErrMoneyFormat},
		{"++1", hall.ErrMoneyFormat},
		{"+-1", hall.ErrMoneyFormat},
		{"1-", hall.ErrMoneyFormat},
		{"1.+5", hall.ErrMoneyFormat},
		{"120元5角", hall.ErrMoneyFormat},
		{"5元元", hall.ErrMoneyFormat},
		{"¥5", hall.ErrMoneyFormat},
		{"٣", hall.ErrMoneyFormat}, // Arabic-Indic digit
		{"-1", hall.ErrMoneyNegative},
		{"-0", hall.ErrMoneyNegative},
		{"-120.50元", hall.ErrMoneyNegative},
		{"－５", hall.ErrMoneyNegative},
		{"−5", hall.ErrMoneyNegative},
		{"-1.234", hall.ErrMoneyNegative},
		{"1.000", hall.ErrMoneyPrecision},
		{"1.001", hall.ErrMoneyPrecision},
		{"0.125", hall.ErrMoneyPrecision},
		{"１．２３４", hall.ErrMoneyPrecision},
		{"10000000.01", hall.ErrMoneyTooLarge},
		{"10000001", hall.ErrMoneyTooLarge},
		{"99999999.99", hall.ErrMoneyTooLarge},
		{"100000000", hall.ErrMoneyTooLarge},
		{"99999999999999999999999", hall.ErrMoneyTooLarge},
		{"10,000,000.01", hall.ErrMoneyTooLarge},
	}
	for _, tt := range tests {
		got, err := hall.ParseYuan(tt.in)
		if err == nil {
			t.Errorf("ParseYuan(%q) = %d, want error %v", tt.in, got, tt.want)
			continue
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseYuan(%q) error %v, want %v", tt.in, err, tt.want)
		}
		if hall.Message(err) == "" {
			t.Errorf("ParseYuan(%q): empty Chinese message", tt.in)
		}
		if got != 0 {
			t.Errorf("ParseYuan(%q) = %d with error, want 0", tt.in, got)
		}
	}
}

func TestMoneyErrorMessages(t *testing.T) {
	for _, e := range []*hall.Error{hall.ErrMoneyFormat, hall.ErrMoneyNegative, hall.ErrMoneyPrecision,
		hall.ErrMoneyTooLarge, hall.ErrNotEnoughPaid} {
		if e.Message == "" || e.Code == "" {
			t.Errorf("%v: empty code or message", e)
		}
	}
	_, err := hall.ParseYuan("10000001")
	if !strings.Contains(hall.Message(err), "10000000.00") {
		t.Errorf("too-large message %q does not name the limit", hall.Message(err))
	}
}

func TestFenString(t *testing.T) {
	tests := []struct {
		in   hall.Fen
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{5, "0.05"},
		{10, "0.10"},
		{50, "0.50"},
		{99, "0.99"},
		{100, "1.00"},
		{12050, "120.50"},
		{120000, "1200.00"},
		{hall.MaxFen, "10000000.00"},
		{-1, "-0.01"},
		{-12050, "-120.50"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Fen(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		if got := tt.in.Yuan(); got != tt.want {
			t.Errorf("Fen(%d).Yuan() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestFenDaxie(t *testing.T) {
	tests := []struct {
		in   hall.Fen
		want string
	}{
		{0, "零元整"},
		{1, "壹分"},
		{5, "伍分"},
		{50, "伍角"},
		{55, "伍角伍分"},
		{100, "壹元整"},
		{101, "壹元零壹分"},
		{110, "壹元壹角"},
		{150, "壹元伍角"},
		{1000, "壹拾元整"},
		{1001, "壹拾元零壹分"},
		{1010, "壹拾元壹角"},
		{1500, "壹拾伍元整"},
		{10000, "壹佰元整"},
		{10500, "壹佰零伍元整"},
		{11000, "壹佰壹拾元整"},
		{12050, "壹佰贰拾元伍角"},
		{100000, "壹仟元整"},
		{100005, "壹仟元零伍分"},
		{100500, "壹仟零伍元整"},
		{101000, "壹仟零壹拾元整"},
		{100100, "壹仟零壹元整"},
		{1_0000_00, "壹万元整"},
		{1_0001_00, "壹万零壹元整"},
		{1_0010_00, "壹万零壹拾元整"},
		{1_1000_00, "壹万壹仟元整"},
		{1_0101_00, "壹万零壹佰零壹元整"},
		{10_0000_00, "壹拾万元整"},
		{10_0005_00, "壹拾万零伍元整"},
		{10_1000_00, "壹拾万壹仟元整"},
		{12_3456_78, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"},
		{100_0000_05, "壹佰万元零伍分"},
		{100_0100_00, "壹佰万零壹佰元整"},
		{200_0000_00, "贰佰万元整"},
		{200_0000_30, "贰佰万元叁角"},
		{1000_0000_00, "壹仟万元整"},
		{1001_0000_00, "壹仟零壹万元整"},
		{1010_1010_10, "壹仟零壹拾万壹仟零壹拾元壹角"},
		{9999_9999_99, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"},
		{1_0000_0000_00, "壹亿元整"},
		{1_0000_0005_00, "壹亿零伍元整"},
		{1_0005_0000_00, "壹亿零伍万元整"},
		{1_1000_0000_00, "壹亿壹仟万元整"},
		{1_0000_1000_00, "壹亿零壹仟元整"},
		{1_2345_0000_0000_00, "壹万贰仟叁佰肆拾伍亿元整"},
		{1_0000_0000_0000_0000_00, "壹亿亿元整"},
		{-12050, "负壹佰贰拾元伍角"},
		{-5, "负伍分"},
		{math.MinInt64, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"},
	}
	for _, tt := range tests {
		if got := tt.in.Daxie(); got != tt.want {
			t.Errorf("Fen(%d).Daxie() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

// TestFenDaxieShape checks rules that must hold for every amount: no 零 next
// to another 零 or before 万/亿/元, 整 only when jiao and fen are zero.
func TestFenDaxieShape(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		f := hall.Fen(r.Int64N(int64(hall.MaxFen) + 1))
		d := f.Daxie()
		for _, bad := range []string{"零零", "零万", "零亿", "零元", "零角", "零整", "零拾", "零佰", "零仟"} {
			if strings.Contains(d, bad) && d != "零元整" {
				t.Fatalf("Fen(%d).Daxie() = %q contains %q", f, d, bad)
			}
		}
		if strings.HasSuffix(d, "整") != (f%100 == 0) {
			t.Fatalf("Fen(%d).Daxie() = %q: 整 wrong", f, d)
		}
		if strings.HasPrefix(d, "零") && f != 0 {
			t.Fatalf("Fen(%d).Daxie() = %q starts with 零", f, d)
		}
	}
}

func TestMakeChange(t *testing.T) {
	tests := []struct {
		due, received, want hall.Fen
	}{
		{0, 0, 0},
		{12050, 12050, 0},
		{12050, 20000, 7950},
		{1, 10000, 9999},
		{0, hall.MaxFen, hall.MaxFen},
		{hall.MaxFen, hall.MaxFen, 0},
	}
	for _, tt := range tests {
		got, err := hall.MakeChange(tt.due, tt.received)
		if err != nil || got != tt.want {
			t.Errorf("MakeChange(%s, %s) = %s, %v; want %s", tt.due, tt.received, got, err, tt.want)
		}
	}

	_, err := hall.MakeChange(12050, 10800)
	if !errors.Is(err, hall.ErrNotEnoughPaid) {
		t.Fatalf("short payment: error %v, want ErrNotEnoughPaid", err)
	}
	if msg := hall.Message(err); msg != "实收金额少于应收金额，还差 12.50 元" {
		t.Errorf("short payment message %q", msg)
	}

	refusals := []struct {
		due, received hall.Fen
		want          error
	}{
		{-1, 100, hall.ErrMoneyNegative},
		{100, -1, hall.ErrMoneyNegative},
		{-100, -200, hall.ErrMoneyNegative},
		{hall.MaxFen + 1, hall.MaxFen + 2, hall.ErrMoneyTooLarge},
		{100, hall.MaxFen + 1, hall.ErrMoneyTooLarge},
		{math.MaxInt64, math.MaxInt64, hall.ErrMoneyTooLarge},
		{1, 0, hall.ErrNotEnoughPaid},
	}
	for _, tt := range refusals {
		got, err := hall.MakeChange(tt.due, tt.received)
		if !errors.Is(err, tt.want) || got != 0 {
			t.Errorf("MakeChange(%d, %d) = %d, %v; want %v", tt.due, tt.received, got, err, tt.want)
		}
		if hall.Message(err) == "" {
			t.Errorf("MakeChange(%d, %d): empty Chinese message", tt.due, tt.received)
		}
	}
}

func TestFenRoundTrip(t *testing.T) {
	check := func(f hall.Fen) {
		t.Helper()
		got, err := hall.ParseYuan(f.String())
		if err != nil || got != f {
			t.Fatalf("ParseYuan(%q) = %d, %v; want %d", f.String(), got, err, f)
		}
		got, err = hall.ParseYuan(f.String() + "元")
		if err != nil || got != f {
			t.Fatalf("ParseYuan(%q) = %d, %v; want %d", f.String()+"元", got, err, f)
		}
	}
	for _, f := range []hall.Fen{0, 1, 9, 10, 99, 100, hall.MaxFen - 1, hall.MaxFen} {
		check(f)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		check(hall.Fen(r.Int64N(int64(hall.MaxFen) + 1)))
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{
		"", "0", "120", "120.5", "120.50", " 120.50 ", "１２０.５０", "１２０．５０", "１２０。５",
		"120元", "+120", "-120", "1,200.00", "1，200", "1.000", "1e3", ".", ".5", "5.",
		"10000000", "10000000.01", "abc", "1.2.3", "12,00", "－５", "９９９９９９９.９９元",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := hall.ParseYuan(s)
		if err != nil {
			if v != 0 {
				t.Fatalf("ParseYuan(%q) = %d with error %v", s, v, err)
			}
			var he *hall.Error
			if !errors.As(err, &he) || hall.Message(err) == "" {
				t.Fatalf("ParseYuan(%q): untyped error or empty message: %v", s, err)
			}
			return
		}
		if v < 0 || v > hall.MaxFen {
			t.Fatalf("ParseYuan(%q) = %d out of [0, MaxFen]", s, v)
		}
		back, err := hall.ParseYuan(v.String())
		if err != nil || back != v {
			t.Fatalf("ParseYuan(%q) = %d; round trip of %q gave %d, %v", s, v, v.String(), back, err)
		}
		_ = v.Daxie()
	})
}
