// Package demo describes the demo hall that `make run` opens and that tests
// and the traffic simulator start from: the six business types of clause
// 4.2.1, five counters and a small staff.
package demo

import "servicehall/internal/hall"

// Type codes of the six default business types (clause 4.2.1).
const (
	TypeFee       = "fee"       // 交纳电费
	TypeConnect   = "connect"   // 新装/增容
	TypeChange    = "change"    // 变更用电
	TypeConsult   = "consult"   // 业务咨询与查询
	TypeRepair    = "repair"    // 报修
	TypeComplaint = "complaint" // 投诉
)

// DefaultTypes are the business types every hall starts with.
func DefaultTypes() []hall.BusinessType {
	return []hall.BusinessType{
		{Code: TypeFee, Name: "交纳电费", Prefix: "A", Position: 1},
		{Code: TypeConnect, Name: "新装/增容", Prefix: "B", Position: 2},
		{Code: TypeChange, Name: "变更用电", Prefix: "C", Position: 3},
		{Code: TypeConsult, Name: "业务咨询与查询", Prefix: "D", Position: 4},
		{Code: TypeRepair, Name: "报修", Prefix: "E", Position: 5},
		{Code: TypeComplaint, Name: "投诉", Prefix: "F", Position: 6},
	}
}

// PIN is every demo staff member's PIN. A real hall sets its own in the
// setup wizard.
const PIN = "123456"

// Config is the demo hall: 城关供电营业厅 with five counters.
func Config() hall.Config {
	return hall.Config{
		Hall:   hall.HallInfo{Code: "DEMO001", Name: "城关供电营业厅", TimeZone: "Asia/Shanghai"},
		Policy: hall.DefaultPolicy(),
		Types:  DefaultTypes(),
		Counters: []hall.Counter{
			{No: 1, Name: "1号窗口", Types: []string{TypeFee, TypeConsult}, State: hall.CounterOpen},
			{No: 2, Name: "2号窗口", Types: []string{TypeFee, TypeRepair}, State: hall.CounterOpen},
			{No: 3, Name: "3号窗口", Types: []string{TypeConnect, TypeChange}, State: hall.CounterOpen},
			{No: 4, Name: "4号窗口", Types: []string{TypeConnect, TypeChange, TypeConsult}, State: hall.CounterOpen},
			{No: 5, Name: "5号窗口", Types: []string{TypeComplaint, TypeConsult, TypeRepair}, State: hall.CounterOpen},
		},
		Staff: []hall.Staff{
			{No: "1001", Name: "李娜", Role: hall.RoleClerk, Active: true, PIN: PIN},
			{No: "1002", Name: "王芳", Role: hall.RoleClerk, Active: true, PIN: PIN},
			{No: "1003", Name: "张伟", Role: hall.RoleClerk, Active: true, PIN: PIN},
			{No: "1004", Name: "刘洋", Role: hall.RoleClerk, Active: true, PIN: PIN},
			{No: "1005", Name: "陈静", Role: hall.RoleClerk, Active: true, PIN: PIN},
			{No: "2001", Name: "赵敏", Role: hall.RoleDirector, Active: true, PIN: PIN},
			{No: "2002", Name: "钱亮", Role: hall.RoleDirector, Active: true, PIN: PIN},
			{No: "9001", Name: "系统管理员", Role: hall.RoleAdmin, Active: true, PIN: PIN},
		},
	}
}
