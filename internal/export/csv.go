package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"servicehall/internal/hall"
)

// BOM is the UTF-8 byte order mark that starts the CSV: without it Excel
// reads the file in the system's legacy code page and garbles Chinese.
const BOM = "\ufeff"

// SectionTitle is the one-field record that opens a table in the CSV:
// 【概况】, 【按业务】 …
func SectionTitle(name string) string { return "【" + name + "】" }

// WriteCSV writes the report as one CSV file (RFC 4180, CRLF line ends),
// UTF-8 with a byte order mark. The layout: the seven tables one after
// another, in the workbook's order; each opens with a record of one field,
// its title in brackets (【概况】), then its header record and its data
// records; an empty line separates tables. Minutes have one decimal
// (12.4), rates are percentages with one decimal (66.7%), and a figure
// that does not exist is an empty field. A text that a spreadsheet would
// take for a formula (starting with =, +, - or @) is written with a
// leading apostrophe.
func WriteCSV(w io.Writer, r hall.Report) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	for i, t := range tables(r) {
		if i > 0 {
			cw.Flush()
			if _, err := bw.WriteString("\r\n"); err != nil {
				return err
			}
		}
		if err := cw.Write([]string{SectionTitle(t.name)}); err != nil {
			return err
		}
		if err := cw.Write(t.header); err != nil {
			return err
		}
		rec := make([]string, 0, len(t.header))
		for _, row := range t.rows {
			rec = rec[:0]
			for _, c := range row {
				rec = append(rec, csvField(c))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvField(c cell) string {
	switch c.kind {
	case text:
		if c.s != "" && strings.ContainsRune("=+-@", rune(c.s[0])) {
			return "'" + c.s
		}
		return c.s
	case count:
		return strconv.Itoa(c.n)
	case minutes:
		return strconv.FormatFloat(c.f, 'f', 1, 64)
	case rate:
		return strconv.FormatFloat(c.f*100, 'f', 1, 64) + "%"
	}
	return ""
}
