package cli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strings"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
)

// SetupFile is what `servicehall setup --file` reads: the first-run setup
// of a hall without a screen (a hall node in a cupboard), the same
// questions as the setup wizard.
type SetupFile struct {
	Hall struct {
		Name string `json:"name"`
		Code string `json:"code"`
	} `json:"hall"`
	// Hours are the opening hours, Sunday first: seven "HH:MM-HH:MM", or
	// one for every day.
	Hours []string `json:"hours"`
	// Types are the business types; none: the six standard ones.
	Types    []hall.BusinessType `json:"types,omitempty"`
	Counters []SetupCounter      `json:"counters"`
	Staff    []SetupStaff        `json:"staff"`
	HQ       HQConfig            `json:"hq"`
}

// SetupCounter is one counter and the business type codes it serves.
type SetupCounter struct {
	No    int      `json:"no"`
	Name  string   `json:"name,omitempty"`
	Types []string `json:"types"`
}

// SetupStaff is one member of staff. A missing PIN is generated and
// printed once.
type SetupStaff struct {
	No   string    `json:"no"`
	Name string    `json:"name"`
	Role hall.Role `json:"role"`
	PIN  string    `json:"pin,omitempty"`
}

// ExampleSetup is the file `servicehall setup --example` prints.
func ExampleSetup() SetupFile {
	var f SetupFile
	f.Hall.Name, f.Hall.Code = "城关供电营业厅", "HB0301"
	f.Hours = []string{"08:30-17:30"}
	f.Counters = []SetupCounter{
		{No: 1, Types: []string{demo.TypeFee, demo.TypeConsult}},
		{No: 2, Types: []string{demo.TypeConnect, demo.TypeChange}},
		{No: 3, Types: []string{demo.TypeRepair, demo.TypeComplaint, demo.TypeConsult}},
	}
	f.Staff = []SetupStaff{
		{No: "2001", Name: "张主任", Role: hall.RoleDirector},
		{No: "9001", Name: "系统管理员", Role: hall.RoleAdmin},
		{No: "1001", Name: "李娜", Role: hall.RoleClerk},
		{No: "1002", Name: "王芳", Role: hall.RoleClerk},
	}
	return f
}

// config turns the file into the hall's configuration, generating the
// PINs it leaves out; generated lists them.
func (f SetupFile) config() (cfg hall.Config, generated []SetupStaff, err error) {
	bad := func(msg string) (hall.Config, []SetupStaff, error) {
		return hall.Config{}, nil, hall.ErrInvalid.WithMessage(msg, "setup file: %s", msg)
	}
	cfg.Hall = hall.HallInfo{Name: strings.TrimSpace(f.Hall.Name), Code: strings.TrimSpace(f.Hall.Code), TimeZone: "Asia/Shanghai"}
	if cfg.Hall.Name == "" || cfg.Hall.Code == "" {
		return bad("设置文件缺少营业厅名称（hall.name）或编码（hall.code）")
	}
	cfg.Types = f.Types
	if len(cfg.Types) == 0 {
		cfg.Types = demo.DefaultTypes()
	}
	cfg.Policy = hall.DefaultPolicy()
	switch len(f.Hours) {
	case 1:
		for range 7 {
			cfg.Policy.OpenHours = append(cfg.Policy.OpenHours, f.Hours[0])
		}
	case 7:
		cfg.Policy.OpenHours = slices.Clone(f.Hours)
	default:
		return bad("营业时间（hours）须为一项（每天相同）或七项（星期日到星期六）")
	}
	for i, h := range cfg.Policy.OpenHours {
		if _, err := hall.ParseOpenHours(h); err != nil {
			return bad(hall.Weekdays[i] + "的营业时间格式有误，例如 08:30-17:30")
		}
	}
	if len(f.Counters) == 0 {
		return bad("设置文件至少要有一个窗口（counters）")
	}
	for _, c := range f.Counters {
		name := strings.TrimSpace(c.Name)
		if name == "" {
			name = fmt.Sprintf("%d号窗口", c.No)
		}
		cfg.Counters = append(cfg.Counters, hall.Counter{No: c.No, Name: name, Types: c.Types, State: hall.CounterOpen})
	}
	roles := map[hall.Role]int{}
	for _, s := range f.Staff {
		pin := s.PIN
		if pin == "" {
			if pin, err = randomPIN(); err != nil {
				return hall.Config{}, nil, err
			}
			generated = append(generated, SetupStaff{No: s.No, Name: s.Name, Role: s.Role, PIN: pin})
		}
		roles[s.Role]++
		cfg.Staff = append(cfg.Staff, hall.Staff{No: strings.TrimSpace(s.No), Name: strings.TrimSpace(s.Name), Role: s.Role, Active: true, PIN: pin})
	}
	if roles[hall.RoleDirector] == 0 || roles[hall.RoleAdmin] == 0 {
		return bad("设置文件至少要有一名值班主任（director）和一名系统管理员（admin）")
	}
	return cfg, generated, nil
}

// randomPIN is a six-digit PIN from the system's random source.
func randomPIN() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// setupCmd sets up a new hall from a file: servicehall setup [--db PATH]
// --file hall.json, or --example to print a file to start from.
func setupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall setup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file (default: in the user's data directory)")
	file := fs.String("file", "", "setup file (JSON); see --example")
	example := fs.Bool("example", false, "print an example setup file and exit")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: "多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	if *example {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(ExampleSetup())
	}
	if *file == "" {
		return &UsageError{Msg: "请用 --file 指定设置文件（servicehall setup --example 可打印示例）"}
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return &UsageError{Msg: "无法读取设置文件：" + *file}
	}
	var f SetupFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return &UsageError{Msg: fmt.Sprintf("设置文件不是有效的 JSON（第 %d 个字节附近）", se.Offset)}
		case errors.As(err, &te):
			return &UsageError{Msg: fmt.Sprintf("设置文件中 %s 的类型有误", te.Field)}
		}
		return &UsageError{Msg: "设置文件有误：" + err.Error()}
	}
	cfg, generated, err := f.config()
	if err != nil {
		return err
	}
	db, err := dbOrDefault(*path)
	if err != nil {
		return err
	}
	l, sdb, err := OpenHallWith(ctx, db, "servicehall setup", false)
	if err != nil {
		return err
	}
	defer sdb.Close()
	if l.Configured() {
		return hall.ErrAlreadyConfigured
	}
	if err := FinishSetup(ctx, l, db, cfg, f.HQ.URL, f.HQ.Token); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "营业厅已设置：%s（%s），%d 个窗口，%d 名工作人员；数据库 %s\n",
		cfg.Hall.Name, cfg.Hall.Code, len(cfg.Counters), len(cfg.Staff), db)
	if f.HQ.URL != "" {
		fmt.Fprintf(stdout, "总部同步：%s（凭据保存在 %s）\n", strings.TrimRight(f.HQ.URL, "/"), HQConfigPath(db))
	}
	if len(generated) > 0 {
		fmt.Fprintln(stdout, "以下人员的初始密码为随机生成，只显示这一次，请分别转交本人并提醒首次登录后修改：")
		for _, s := range generated {
			fmt.Fprintf(stdout, "  %s  %s  %s\n", s.No, s.Name, s.PIN)
		}
	}
	if f.HQ.Token != "" || slices.ContainsFunc(f.Staff, func(s SetupStaff) bool { return s.PIN != "" }) {
		fmt.Fprintf(stdout, "设置文件 %s 中写有密码或总部同步凭据，请在确认后删除该文件。\n", *file)
	}
	return nil
}
