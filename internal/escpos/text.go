package escpos

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Charset is how Chinese text goes to the printer.
type Charset string

// Charsets. Most Chinese thermal printers take GBK in their Chinese mode;
// some newer ones take GB18030, which encodes every Unicode character (rare
// name characters among them) in up to four bytes.
const (
	GBK     Charset = "gbk"
	GB18030 Charset = "gb18030"
)

// ParseCharset reads a charset name as settings and flags spell it.
func ParseCharset(s string) (Charset, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "gbk", "cp936":
		return GBK, nil
	case "gb18030":
		return GB18030, nil
	}
	return "", &Error{Code: BadConfig, Message: "打印机编码只能是 GBK 或 GB18030", Err: fmt.Errorf("unknown charset %q", s)}
}

func (c Charset) encoding() encoding.Encoding {
	if c == GB18030 {
		return simplifiedchinese.GB18030
	}
	return simplifiedchinese.GBK
}

// Replacement is what stands on paper for a character the charset cannot
// encode (GBK has no code for, say, 𠀾 or an emoji).
const Replacement = '?'

// encodeText encodes s for the printer. Control characters become spaces,
// so that text (a hall name, a business type) can never smuggle a printer
// command into the stream; a character the charset cannot encode becomes
// Replacement rather than failing the ticket.
func encodeText(s string, cs Charset) []byte {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	enc := cs.encoding().NewEncoder()
	if b, err := enc.Bytes([]byte(s)); err == nil {
		return b
	}
	// Encode rune by rune, replacing those the charset lacks.
	out := make([]byte, 0, len(s)*2)
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		n := utf8.EncodeRune(buf[:], r)
		b, err := enc.Bytes(buf[:n])
		if err != nil {
			out = append(out, Replacement)
			continue
		}
		out = append(out, b...)
	}
	return out
}
