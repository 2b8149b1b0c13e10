package assets_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/simplifiedchinese"

	"servicehall/assets"
)

// missingGBK lists the runes GBK can encode that the embedded font has no
// glyph for, each with the reason and what the user sees instead. The test
// fails if any entry here actually has a glyph, so the list stays true.
var missingGBK = map[rune]string{
	// GBK 0xA8 0x50, in the GBK/5 extra-symbols area (0xA840-0xA9A0).
	'\u2252': "≒ APPROXIMATELY EQUAL TO OR THE IMAGE OF: absent from Noto Sans CJK SC itself " +
		"(not a subsetting loss); a rare mathematical symbol never used in names or addresses. " +
		"Fyne draws it with its fallback font, or as tofu (□) if none has it.",
}

// minGBKRunes guards against an enumeration that silently checks nothing.
// x/text's GBK decodes 21,873 two-byte sequences to 21,872 distinct runes
// (0xA1A1 and 0xA3A0 both give U+3000); with printable ASCII that is 21,967.
const minGBKRunes = 21000

func parseFont(t *testing.T) *sfnt.Font {
	t.Helper()
	f, err := sfnt.Parse(assets.FontRegular)
	if err != nil {
		t.Fatalf("sfnt.Parse(%s): %v", assets.FontRegularName, err)
	}
	return f
}

// gbkRunes returns every distinct rune GBK can encode: all two-byte sequences
// that decode to a single valid rune, plus printable ASCII.
func gbkRunes(t *testing.T) []rune {
	t.Helper()
	seen := map[rune]bool{}
	var out []rune
	add := func(r rune) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for r := rune(0x20); r <= 0x7E; r++ {
		add(r)
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			b, err := dec.Bytes([]byte{byte(lead), byte(trail)})
			if err != nil {
				continue
			}
			r, size := utf8.DecodeRune(b)
			if r == utf8.RuneError || size != len(b) {
				continue
			}
			add(r)
		}
	}
	return out
}

func hasGlyph(t *testing.T, f *sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	t.Helper()
	idx, err := f.GlyphIndex(buf, r)
	if err != nil {
		t.Fatalf("GlyphIndex(%U): %v", r, err)
	}
	return idx != 0
}

func TestFontIsSingleFace(t *testing.T) {
	if len(assets.FontRegular) < 4 {
		t.Fatalf("%s is %d bytes", assets.FontRegularName, len(assets.FontRegular))
	}
	if bytes.Equal(assets.FontRegular[:4], []byte("ttcf")) {
		t.Fatalf("%s is a font collection (ttcf); Fyne needs a single face", assets.FontRegularName)
	}
	c, err := sfnt.ParseCollection(assets.FontRegular)
	if err != nil {
		t.Fatalf("sfnt.ParseCollection: %v", err)
	}
	if n := c.NumFonts(); n != 1 {
		t.Fatalf("NumFonts = %d, want 1", n)
	}
	f := parseFont(t)
	var buf sfnt.Buffer
	family, err := f.Name(&buf, sfnt.NameIDFamily)
	if err != nil {
		t.Fatalf("family name: %v", err)
	}
	if family != "Noto Sans SC GBK" {
		t.Errorf("family name = %q, want %q", family, "Noto Sans SC GBK")
	}
}

func TestFontCoversGBK(t *testing.T) {
	f := parseFont(t)
	var buf sfnt.Buffer

	runes := gbkRunes(t)
	if len(runes) < minGBKRunes {
		t.Fatalf("enumerated only %d GBK runes, want >= %d", len(runes), minGBKRunes)
	}

	inGBK := map[rune]bool{}
	var missing []rune
	for _, r := range runes {
		inGBK[r] = true
		if hasGlyph(t, f, &buf, r) {
			continue
		}
		if _, ok := missingGBK[r]; ok {
			continue
		}
		missing = append(missing, r)
	}
	for i, r := range missing {
		if i == 50 {
			t.Errorf("... and %d more", len(missing)-50)
			break
		}
		t.Errorf("no glyph for %U %q", r, r)
	}

	for r, reason := range missingGBK {
		if !inGBK[r] {
			t.Errorf("missingGBK lists %U %q, which GBK cannot encode; remove it", r, r)
		}
		if hasGlyph(t, f, &buf, r) {
			t.Errorf("missingGBK lists %U %q (%s) but the font has a glyph for it; remove it", r, r, reason)
		}
	}
	t.Logf("checked %d GBK runes (incl. printable ASCII); %d known missing", len(runes), len(missingGBK))
}

func TestFontHasCommonNameAndUIChars(t *testing.T) {
	f := parseFont(t)
	var buf sfnt.Buffer
	for _, r := range "喆堃瑄昇镕赟珺营业厅" {
		if !hasGlyph(t, f, &buf, r) {
			t.Errorf("no glyph for %U %q", r, r)
		}
	}
}
