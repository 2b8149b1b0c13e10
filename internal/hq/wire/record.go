package wire

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"unicode/utf8"
)

// Batches as the hall's client writes them (encoding/json's output: the
// fields in order, no spaces, no escapes in the strings) are read by a
// direct parser, which spares HQ most of a batch's decoding time: with
// encoding/json, scanning the bytes twice and filling the structs by
// reflection were nearly half of HQ's work per batch. Anything else, or
// anything the parser is not sure of, is decoded by encoding/json, so the
// result is always what encoding/json gives (FuzzFastBatch holds the two
// equal).

// fastRecord parses one record in the canonical form
//
//	{"seq":N,"uuid":"S","kind":"S","at":N,"payload":"BASE64"|null,"sha256":"S"}
//
// at the start of data into out and returns the bytes after it; ok is
// false, and out untouched, when it could not.
func fastRecord(data []byte, out *Record) (rest []byte, ok bool) {
	var r Record
	p := data
	lit := func(s string) bool {
		if len(p) < len(s) || string(p[:len(s)]) != s {
			return false
		}
		p = p[len(s):]
		return true
	}
	num := func(v *int64) bool {
		n, rest, ok := fastInt(p)
		if ok {
			*v, p = n, rest
		}
		return ok
	}
	str := func() ([]byte, bool) {
		s, rest, ok := fastString(p)
		if ok {
			p = rest
		}
		return s, ok
	}
	if !lit(`{"seq":`) || !num(&r.Seq) || !lit(`,"uuid":"`) {
		return nil, false
	}
	s, ok := str()
	if !ok || !lit(`,"kind":"`) {
		return nil, false
	}
	r.UUID = string(s)
	if s, ok = str(); !ok || !lit(`,"at":`) {
		return nil, false
	}
	r.Kind = string(s)
	if !num(&r.At) || !lit(`,"payload":`) {
		return nil, false
	}
	if !lit("null") {
		if !lit(`"`) {
			return nil, false
		}
		if s, ok = str(); !ok {
			return nil, false
		}
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, err := base64.StdEncoding.Decode(b, s)
		if err != nil {
			return nil, false
		}
		r.Payload = b[:n]
	}
	if !lit(`,"sha256":"`) {
		return nil, false
	}
	if s, ok = str(); !ok || !lit("}") {
		return nil, false
	}
	r.SHA256 = string(s)
	*out = r
	return p, true
}

// fastBatch parses a whole batch in the canonical form
//
//	{["hall_id":N,]["hall":"S",]"hall_clock":"T",["hall_last_seq":N,]"first_seq":N,"last_seq":N,
//	 "records":[RECORD,…]|null[,"missing":[N,…]]}
//
// followed by nothing but JSON white space; ok is false when it could not.
func fastBatch(data []byte) (b Batch, ok bool) {
	p := data
	lit := func(s string) bool {
		if len(p) < len(s) || string(p[:len(s)]) != s {
			return false
		}
		p = p[len(s):]
		return true
	}
	num := func(v *int64) bool {
		n, rest, ok := fastInt(p)
		if ok {
			*v, p = n, rest
		}
		return ok
	}
	if !lit("{") {
		return b, false
	}
	if lit(`"hall_id":`) {
		if !num(&b.HallID) || !lit(",") {
			return b, false
		}
	}
	if lit(`"hall":"`) {
		s, rest, ok := fastString(p)
		if !ok {
			return b, false
		}
		b.Hall, p = string(s), rest
		if !lit(",") {
			return b, false
		}
	}
	if !lit(`"hall_clock":`) {
		return b, false
	}
	end := bytes.IndexByte(p[min(1, len(p)):], '"')
	if len(p) == 0 || p[0] != '"' || end < 0 {
		return b, false
	}
	if err := b.HallClock.UnmarshalJSON(p[:end+2]); err != nil {
		return b, false
	}
	p = p[end+2:]
	if lit(`,"hall_last_seq":`) && !num(&b.HallLastSeq) {
		return b, false
	}
	if !lit(`,"first_seq":`) || !num(&b.FirstSeq) || !lit(`,"last_seq":`) || !num(&b.LastSeq) || !lit(`,"records":`) {
		return b, false
	}
	if !lit("null") {
		if !lit("[") {
			return b, false
		}
		if !lit("]") {
			for {
				var r Record
				rest, ok := fastRecord(p, &r)
				if !ok {
					return b, false
				}
				b.Records, p = append(b.Records, r), rest
				if lit("]") {
					break
				}
				if !lit(",") {
					return b, false
				}
			}
		} else {
			b.Records = []Record{}
		}
	}
	if lit(`,"missing":`) {
		if !lit("null") {
			if !lit("[") {
				return b, false
			}
			b.Missing = []int64{}
			if !lit("]") {
				for {
					var n int64
					if !num(&n) {
						return b, false
					}
					b.Missing = append(b.Missing, n)
					if lit("]") {
						break
					}
					if !lit(",") {
						return b, false
					}
				}
			}
		}
	}
	if !lit("}") || len(bytes.TrimLeft(p, " \t\r\n")) != 0 {
		return b, false
	}
	return b, true
}

// fastInt reads a JSON integer that fits an int64.
func fastInt(p []byte) (int64, []byte, bool) {
	i := 0
	if i < len(p) && p[i] == '-' {
		i++
	}
	start := i
	for i < len(p) && p[i] >= '0' && p[i] <= '9' {
		i++
	}
	digits := i - start
	if digits == 0 || (digits > 1 && p[start] == '0') || (i < len(p) && (p[i] == '.' || p[i] == 'e' || p[i] == 'E')) {
		return 0, nil, false
	}
	n, err := strconv.ParseInt(string(p[:i]), 10, 64)
	if err != nil {
		return 0, nil, false
	}
	return n, p[i:], true
}

// fastString reads the rest of a JSON string after its opening quote
// when it needs no unescaping: no backslash, no control character, valid
// UTF-8.
func fastString(p []byte) ([]byte, []byte, bool) {
	i := bytes.IndexByte(p, '"')
	if i < 0 {
		return nil, nil, false
	}
	s := p[:i]
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return nil, nil, false
		}
	}
	if !utf8.Valid(s) {
		return nil, nil, false
	}
	return s, p[i+1:], true
}
