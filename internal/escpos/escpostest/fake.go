// Package escpostest is a fake ESC/POS network printer for tests: a TCP
// listener on loopback that parses the byte stream it receives into
// commands and decoded text, answers status queries as told, and can hang
// up in the middle of a ticket.
package escpostest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Status bytes a fake printer may answer DLE EOT 4 with.
const (
	PaperOK  byte = 0x12 // fixed bits only: paper present
	PaperOut byte = 0x72 // bits 5 and 6: paper roll end
)

// Options shape the fake printer's behaviour.
type Options struct {
	// Charset decodes text: "gbk" (default) or "gb18030".
	Charset string
	// Silent printers never answer status queries.
	Silent bool
	// Paper is the answer to DLE EOT 4 (PaperOK when zero).
	Paper byte
	// CloseAfter hangs up once this many bytes of a job have arrived
	// (0: never), as a printer that resets mid-ticket does.
	CloseAfter int
}

// Item is one element of the parsed stream: a command or a run of text.
type Item struct {
	Cmd  string // "ESC @", "FS &", "GS V", "LF", "DLE EOT"… ; "" for text
	Args []byte
	Text string // decoded text, for Cmd == ""
}

func (it Item) String() string {
	if it.Cmd == "" {
		return fmt.Sprintf("%q", it.Text)
	}
	if len(it.Args) > 0 {
		return fmt.Sprintf("%s %v", it.Cmd, it.Args)
	}
	return it.Cmd
}

// Job is what arrived on one connection.
type Job struct {
	Items  []Item
	Raw    []byte
	Errors []string // what the parser refused: unknown commands, high bytes outside Chinese mode
}

// Lines returns the text of the job line by line (text runs joined up to
// each LF), skipping empty lines.
func (j Job) Lines() []string {
	var out []string
	var cur strings.Builder
	for _, it := range j.Items {
		switch it.Cmd {
		case "":
			cur.WriteString(it.Text)
		case "LF":
			if cur.Len() > 0 {
				out = append(out, cur.String())
			}
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// Cmds returns the job's commands in order, without their arguments.
func (j Job) Cmds() []string {
	var out []string
	for _, it := range j.Items {
		if it.Cmd != "" {
			out = append(out, it.Cmd)
		}
	}
	return out
}

// Printer is a running fake printer.
type Printer struct {
	Addr string
	opt  Options
	ln   net.Listener

	mu   sync.Mutex
	jobs []Job
	wg   sync.WaitGroup
	done chan struct{} // a job has finished; buffered
}

// Start starts a fake printer on a loopback port; it stops with the test.
func Start(t testing.TB, opt Options) *Printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opt.Paper == 0 {
		opt.Paper = PaperOK
	}
	p := &Printer{Addr: ln.Addr().String(), opt: opt, ln: ln, done: make(chan struct{}, 64)}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Close stops the printer and waits for its connections to end.
func (p *Printer) Close() {
	p.ln.Close()
	p.wg.Wait()
}

// Jobs returns what arrived so far, one Job per finished connection.
func (p *Printer) Jobs() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Job(nil), p.jobs...)
}

// WaitJob waits for the next connection to end and returns its job. The
// client's Print returns only after the connection closes, so a test
// calls it after Print returned.
func (p *Printer) WaitJob(t testing.TB) Job {
	t.Helper()
	<-p.done
	jobs := p.Jobs()
	return jobs[len(jobs)-1]
}

func (p *Printer) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			job := p.serve(c)
			p.mu.Lock()
			p.jobs = append(p.jobs, job)
			p.mu.Unlock()
			p.done <- struct{}{}
		}()
	}
}

// serve reads one connection to its end, answering status queries as they
// arrive, and parses the stream.
func (p *Printer) serve(c net.Conn) Job {
	defer c.Close()
	var enc encoding.Encoding = simplifiedchinese.GBK
	if strings.EqualFold(p.opt.Charset, "gb18030") {
		enc = simplifiedchinese.GB18030
	}
	ps := &parser{enc: enc}
	buf := make([]byte, 512)
	for {
		n, err := c.Read(buf)
		chunk := buf[:n]
		if p.opt.CloseAfter > 0 && len(ps.raw)+n >= p.opt.CloseAfter {
			chunk = chunk[:p.opt.CloseAfter-len(ps.raw)]
			ps.feed(chunk)
			ps.finish()
			return ps.job()
		}
		for _, q := range ps.feed(chunk) {
			if p.opt.Silent {
				continue
			}
			answer := PaperOK
			if q == 4 {
				answer = p.opt.Paper
			}
			if _, werr := c.Write([]byte{answer}); werr != nil {
				break
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				ps.errs = append(ps.errs, "read: "+err.Error())
			}
			ps.finish()
			return ps.job()
		}
	}
}

// parser turns the byte stream into items as it arrives.
type parser struct {
	enc     encoding.Encoding
	raw     []byte
	pending []byte // bytes not yet parsed (an incomplete command or character)
	text    []byte // the current text run, still encoded
	chinese bool   // inside FS & … FS .
	items   []Item
	errs    []string
}

func (ps *parser) job() Job {
	return Job{Items: ps.items, Raw: ps.raw, Errors: ps.errs}
}

func (ps *parser) flushText() {
	if len(ps.text) == 0 {
		return
	}
	s, err := ps.enc.NewDecoder().Bytes(ps.text)
	if err != nil {
		ps.errs = append(ps.errs, fmt.Sprintf("text % x does not decode: %v", ps.text, err))
	}
	ps.items = append(ps.items, Item{Text: string(s)})
	ps.text = nil
}

func (ps *parser) cmd(name string, args ...byte) {
	ps.flushText()
	ps.items = append(ps.items, Item{Cmd: name, Args: append([]byte(nil), args...)})
}

// commands: prefix → name and number of argument bytes.
var commands = []struct {
	prefix []byte
	name   string
	args   int
}{
	{[]byte{0x1b, '@'}, "ESC @", 0},
	{[]byte{0x1b, 'a'}, "ESC a", 1},
	{[]byte{0x1b, 'E'}, "ESC E", 1},
	{[]byte{0x1b, 'd'}, "ESC d", 1},
	{[]byte{0x1d, '!'}, "GS !", 1},
	{[]byte{0x1c, '&'}, "FS &", 0},
	{[]byte{0x1c, '.'}, "FS .", 0},
	{[]byte{0x10, 0x04}, "DLE EOT", 1},
}

// feed parses what it can and returns the DLE EOT queries it saw.
func (ps *parser) feed(b []byte) (queries []byte) {
	ps.raw = append(ps.raw, b...)
	ps.pending = append(ps.pending, b...)
	for len(ps.pending) > 0 {
		n, q, ok := ps.step(ps.pending)
		if !ok {
			break // incomplete: wait for more
		}
		if q != 0 {
			queries = append(queries, q)
		}
		ps.pending = ps.pending[n:]
	}
	return queries
}

// step parses one item at the start of b: its length, a status query's n,
// and false when b holds only part of it.
func (ps *parser) step(b []byte) (int, byte, bool) {
	c := b[0]
	switch {
	case c == 0x0a:
		ps.cmd("LF")
		return 1, 0, true
	case c == 0x1d && len(b) >= 2 && b[1] == 'V':
		// GS V m, or GS V m n for m = 65/66 (feed, then cut).
		if len(b) < 3 {
			return 0, 0, false
		}
		if b[2] >= 65 {
			if len(b) < 4 {
				return 0, 0, false
			}
			ps.cmd("GS V", b[2], b[3])
			return 4, 0, true
		}
		ps.cmd("GS V", b[2])
		return 3, 0, true
	case c < 0x20 || c == 0x7f:
		if len(b) < 2 {
			return 0, 0, false
		}
		for _, k := range commands {
			if bytes.HasPrefix(b, k.prefix) {
				n := len(k.prefix) + k.args
				if len(b) < n {
					return 0, 0, false
				}
				args := b[len(k.prefix):n]
				ps.cmd(k.name, args...)
				switch k.name {
				case "FS &":
					ps.chinese = true
				case "FS .":
					ps.chinese = false
				case "DLE EOT":
					return n, args[0], true
				}
				return n, 0, true
			}
		}
		ps.errs = append(ps.errs, fmt.Sprintf("unknown command % x", b[:2]))
		ps.flushText()
		return 1, 0, true
	case c < 0x80:
		ps.text = append(ps.text, c)
		return 1, 0, true
	}
	// A double-byte (or GB18030 four-byte) character: only valid in
	// Chinese mode.
	if !ps.chinese {
		ps.errs = append(ps.errs, fmt.Sprintf("byte %#x outside Chinese mode", c))
	}
	if len(b) < 2 {
		return 0, 0, false
	}
	n := 2
	if b[1] >= 0x30 && b[1] <= 0x39 { // GB18030 four-byte form
		n = 4
		if len(b) < 4 {
			return 0, 0, false
		}
	}
	ps.text = append(ps.text, b[:n]...)
	return n, 0, true
}

// finish ends the stream: whatever is left is text or an incomplete tail.
func (ps *parser) finish() {
	if len(ps.pending) > 0 {
		ps.errs = append(ps.errs, fmt.Sprintf("stream ends inside an item: % x", ps.pending))
		ps.pending = nil
	}
	ps.flushText()
}
