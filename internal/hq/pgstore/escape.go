package pgstore

import (
	"strings"
	"unicode/utf8"
)

// PostgreSQL's text holds neither a NUL byte nor invalid UTF-8, but a hall
// may send either inside a record's uuid or kind (JSON's \u0000), and HQ
// must keep a rejected record as sent and know it again when it is resent.
// So text that comes from a hall is stored through esc: a backslash is
// doubled, a NUL byte and each byte that is not UTF-8 become \xHH. Every
// well-formed uuid, kind and digest has none of these and is stored as it
// is; unesc gives back the exact bytes.

func esc(s string) string {
	if utf8.ValidString(s) && !strings.ContainsAny(s, "\x00\\") {
		return s
	}
	const hexdigits = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, r == 0:
			b.WriteString(`\x`)
			b.WriteByte(hexdigits[s[i]>>4])
			b.WriteByte(hexdigits[s[i]&15])
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func unesc(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b = append(b, s[i])
			continue
		}
		switch {
		case s[i+1] == '\\':
			b = append(b, '\\')
			i++
		case s[i+1] == 'x' && i+3 < len(s) && isHex(s[i+2]) && isHex(s[i+3]):
			b = append(b, unhex(s[i+2])<<4|unhex(s[i+3]))
			i += 3
		default:
			b = append(b, s[i])
		}
	}
	return string(b)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}
