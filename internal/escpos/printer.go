package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPort is the raw-printing port of network printers (JetDirect).
const DefaultPort = 9100

// Default timeouts.
const (
	DefaultDialTimeout   = 3 * time.Second
	DefaultWriteTimeout  = 5 * time.Second
	DefaultStatusTimeout = 400 * time.Millisecond
)

// Config says where the printer is and how to talk to it. Exactly one of
// Addr and Device is set.
type Config struct {
	// Addr is a network printer's host:port; a bare host gets DefaultPort.
	Addr string
	// Device is a local printer's device file: /dev/usb/lp0 on Linux, a
	// shared printer's port (\\.\COM3, \\host\share) on Windows.
	Device  string
	Charset Charset // GBK when empty

	DialTimeout  time.Duration // DefaultDialTimeout when zero
	WriteTimeout time.Duration // DefaultWriteTimeout when zero
	// StatusTimeout is how long to wait for a status answer (DLE EOT).
	// Many printers never answer: no answer is not a fault.
	StatusTimeout time.Duration // DefaultStatusTimeout when zero
}

// Printer prints tickets on one printer. It connects for each ticket, as
// network printers serve one connection at a time, and is safe for
// concurrent use: tickets go out one at a time.
type Printer struct {
	cfg Config

	mu     sync.Mutex
	silent bool // the printer has never answered a status query
}

// New checks cfg and returns its printer.
func New(cfg Config) (*Printer, error) {
	switch {
	case cfg.Addr != "" && cfg.Device != "":
		return nil, &Error{Code: BadConfig, Message: "打印机只能设置网络地址或设备文件之一", Err: errors.New("both address and device set")}
	case cfg.Addr == "" && cfg.Device == "":
		return nil, &Error{Code: BadConfig, Message: "未设置打印机地址", Err: errors.New("neither address nor device set")}
	}
	if cfg.Addr != "" {
		addr, err := normalizeAddr(cfg.Addr)
		if err != nil {
			return nil, err
		}
		cfg.Addr = addr
	}
	cs, err := ParseCharset(string(cfg.Charset))
	if err != nil {
		return nil, err
	}
	cfg.Charset = cs
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.StatusTimeout <= 0 {
		cfg.StatusTimeout = DefaultStatusTimeout
	}
	return &Printer{cfg: cfg}, nil
}

// normalizeAddr adds the default port to a bare host and checks the port.
func normalizeAddr(a string) (string, error) {
	a = strings.TrimSpace(strings.TrimPrefix(a, "tcp://"))
	bad := func(err error) (string, error) {
		return "", &Error{Code: BadConfig, Message: "打印机网络地址有误：" + a + "（应为 IP 或主机名，可加 :端口）", Err: err}
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		// No port: a bare host, or a bare IPv6 address.
		host, port = strings.Trim(a, "[]"), strconv.Itoa(DefaultPort)
	}
	if host == "" || strings.ContainsAny(host, " /") {
		return bad(fmt.Errorf("bad printer host in %q", a))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return bad(fmt.Errorf("bad printer port in %q", a))
	}
	return net.JoinHostPort(host, port), nil
}

// Config returns the printer's settings, defaults filled in.
func (p *Printer) Config() Config { return p.cfg }

// String names the printer for people: its address or device.
func (p *Printer) String() string {
	if p.cfg.Addr != "" {
		return p.cfg.Addr
	}
	return p.cfg.Device
}

// Print prints one ticket. A printer that reports its paper out or its
// cover open is not sent the ticket (it would come out stale, later);
// every failure is an *Error with a Chinese message.
func (p *Printer) Print(ctx context.Context, t Ticket) error {
	data := Render(t, p.cfg.Charset)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg.Device != "" {
		return p.printDevice(ctx, data)
	}
	return p.printNetwork(ctx, data)
}

func (p *Printer) printNetwork(ctx context.Context, data []byte) error {
	d := net.Dialer{Timeout: p.cfg.DialTimeout}
	conn, err := d.DialContext(ctx, "tcp", p.cfg.Addr)
	if err != nil {
		return fault(ErrUnreachable, err)
	}
	defer conn.Close()
	// Cancelling ctx unblocks any read or write in progress.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	if !p.silent {
		st, err := p.status(conn)
		switch {
		case err != nil:
			return err
		case st.answered:
			if err := st.fault(); err != nil {
				return err
			}
		default:
			p.silent = true
		}
	}
	if err := conn.SetWriteDeadline(time.Now().Add(p.cfg.WriteTimeout)); err != nil {
		return fault(ErrInterrupted, err)
	}
	if _, err := conn.Write(data); err != nil {
		return writeFault(err)
	}
	// Ask once more: the answer proves the printer took the whole ticket
	// and still had paper; a closed connection shows here even when the
	// writes went into the socket's buffer.
	st, err := p.status(conn)
	if err != nil {
		return err
	}
	if st.answered {
		p.silent = false
		if st.paperOut {
			return fault(ErrPaperOut, errors.New("paper ran out during the ticket"))
		}
	}
	return nil
}

// status is what the printer answered to DLE EOT.
type status struct {
	answered  bool
	paperOut  bool
	coverOpen bool
}

func (s status) fault() error {
	switch {
	case s.paperOut:
		return fault(ErrPaperOut, errors.New("paper roll sensor: paper end"))
	case s.coverOpen:
		return fault(ErrCoverOpen, errors.New("offline cause: cover open"))
	}
	return nil
}

// status queries the paper roll sensor (DLE EOT 4) and, if the printer
// answers, the offline cause (DLE EOT 2). A printer that does not answer
// within StatusTimeout is not at fault; one that closes the connection is.
func (p *Printer) status(conn net.Conn) (status, error) {
	var st status
	b, ok, err := p.ask(conn, queryPaperRoll)
	if err != nil || !ok {
		return st, err
	}
	st.answered = true
	st.paperOut = b&0x60 == 0x60 // bits 5 and 6: paper roll end detected
	b, ok, err = p.ask(conn, queryOffline)
	if err != nil || !ok {
		return st, err
	}
	st.coverOpen = b&0x04 != 0 // bit 2: cover is open
	return st, nil
}

// ask sends one real-time status query and reads its one-byte answer. A
// byte that is not a status byte (fixed bits 1 and 4 set, 0 and 7 clear)
// counts as no answer.
func (p *Printer) ask(conn net.Conn, q []byte) (byte, bool, error) {
	if err := conn.SetWriteDeadline(time.Now().Add(p.cfg.WriteTimeout)); err != nil {
		return 0, false, fault(ErrInterrupted, err)
	}
	if _, err := conn.Write(q); err != nil {
		return 0, false, writeFault(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(p.cfg.StatusTimeout)); err != nil {
		return 0, false, fault(ErrInterrupted, err)
	}
	var b [1]byte
	_, err := io.ReadFull(conn, b[:])
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return 0, false, nil
	case err != nil:
		return 0, false, fault(ErrInterrupted, err)
	case b[0]&0x93 != 0x12:
		return 0, false, nil
	}
	return b[0], true, nil
}

func writeFault(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fault(ErrNotResponding, err)
	}
	return fault(ErrInterrupted, err)
}

// printDevice writes the ticket to a device file. Device files give no
// status here (USB printer class reads are not reliable across drivers),
// so only what the write reports is known.
func (p *Printer) printDevice(ctx context.Context, data []byte) error {
	f, err := os.OpenFile(p.cfg.Device, os.O_WRONLY, 0)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return &Error{Code: Unreachable, Message: "没有使用打印机设备的权限：" + p.cfg.Device, Err: err}
		}
		return fault(ErrUnreachable, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := f.Write(data)
		done <- err
	}()
	t := time.NewTimer(p.cfg.WriteTimeout)
	defer t.Stop()
	select {
	case err = <-done:
	case <-t.C:
		f.Close() // unblocks the write on most drivers
		return fault(ErrNotResponding, fmt.Errorf("write to %s: no progress in %v", p.cfg.Device, p.cfg.WriteTimeout))
	case <-ctx.Done():
		f.Close()
		return fault(ErrInterrupted, ctx.Err())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fault(ErrInterrupted, err)
	}
	return nil
}
