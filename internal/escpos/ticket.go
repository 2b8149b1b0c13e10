package escpos

import (
	"bytes"
	"strconv"
	"time"
)

// ESC/POS command bytes used here.
const (
	esc = 0x1b
	gs  = 0x1d
	fsc = 0x1c
	dle = 0x10
	eot = 0x04
	lf  = 0x0a
)

var (
	cmdInit        = []byte{esc, '@'}       // ESC @: reset the printer's modes
	cmdChineseOn   = []byte{fsc, '&'}       // FS &: Chinese (double-byte) character mode
	cmdChineseOff  = []byte{fsc, '.'}       // FS .: leave it
	cmdCenter      = []byte{esc, 'a', 1}    // ESC a 1: centre lines
	cmdBoldOn      = []byte{esc, 'E', 1}    // ESC E 1
	cmdBoldOff     = []byte{esc, 'E', 0}    // ESC E 0
	cmdDoubleSize  = []byte{gs, '!', 0x11}  // GS ! 0x11: double width and height
	cmdNormalSize  = []byte{gs, '!', 0x00}  // GS ! 0
	cmdFeed        = []byte{esc, 'd', 4}    // ESC d 4: feed four lines, past the cutter
	cmdPartialCut  = []byte{gs, 'V', 66, 0} // GS V 66 0: feed to the cutter and cut, leaving a hinge
	queryOffline   = []byte{dle, eot, 2}    // DLE EOT 2: offline cause (cover open, error)
	queryPaperRoll = []byte{dle, eot, 4}    // DLE EOT 4: paper roll sensor
)

// Ticket is what a queue ticket says. It carries no customer data: a
// ticket is a number, not a person.
type Ticket struct {
	Hall     string    // the hall's name, at the top
	Number   string    // A001, printed large
	Type     string    // the business type's name
	Ahead    int       // tickets waiting before this one; negative leaves the line out
	Issued   time.Time // printed in its own location: pass the hall's local time
	Priority string    // 敬老 or 助残 for a priority ticket; "" for a normal one
	Note     string    // a closing line, e.g. 请留意叫号屏和语音呼叫; may be ""
}

// Render returns the ticket as the bytes an ESC/POS printer takes: text in
// the charset, inside the printer's Chinese mode, then the paper cut.
func Render(t Ticket, cs Charset) []byte {
	var b bytes.Buffer
	text := func(s string) {
		b.Write(encodeText(s, cs))
		b.WriteByte(lf)
	}
	b.Write(cmdInit)
	b.Write(cmdChineseOn)
	b.Write(cmdCenter)
	if t.Hall != "" {
		b.Write(cmdBoldOn)
		text(t.Hall)
		b.Write(cmdBoldOff)
	}
	text("您的号码")
	b.Write(cmdDoubleSize)
	text(t.Number)
	b.Write(cmdNormalSize)
	if t.Type != "" {
		text(t.Type)
	}
	if t.Priority != "" {
		b.Write(cmdBoldOn)
		text("【" + t.Priority + "优先】")
		b.Write(cmdBoldOff)
	}
	if t.Ahead >= 0 {
		text("前面还有 " + strconv.Itoa(t.Ahead) + " 人等候")
	}
	if !t.Issued.IsZero() {
		text("取号时间 " + t.Issued.Format("2006-01-02 15:04"))
	}
	if t.Note != "" {
		text(t.Note)
	}
	b.Write(cmdFeed)
	b.Write(cmdChineseOff)
	b.Write(cmdPartialCut)
	return b.Bytes()
}
