// Package hall is the domain of a county power-supply business hall
// (供电营业厅): business types, tickets and their life, the queue policy that
// serves elderly and disabled customers first without starving anyone,
// counters, service records and the day's close.
//
// It imports no Fyne, SQL or HTTP. Persistence is the Store interface, time is
// the Clock interface, and every window talks to the hall through the Service
// interface, which Local implements in-process.
package hall
