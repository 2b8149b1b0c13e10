// Package sim fills a hall with realistic simulated traffic, for the command
// `servicehall seed` and for the demo hall that `make run` opens.
//
// Seed runs a discrete-event simulation of whole business days through the
// hall's own domain (hall.Tx), so everything it writes — tickets, calls,
// services, no-shows, transfers, the day's close and the event log — is what
// real windows would have written. Each simulated day is one transaction
// (Local.Batch): a killed seed leaves whole days only, and the last batch is
// today up to the requested instant, left as a live hall would be, with
// customers waiting and counters serving.
//
// The model: the hall opens 08:30–17:30 every day (county halls have no
// weekly rest day). Customers arrive with a morning peak around 9–11 and a
// smaller afternoon one around 14–16, about 120–250 a day (fewer for halls
// with fewer than five open counters), a little more on Mondays and early in
// the month, fewer at weekends. Business follows the usual mix (交纳电费 45%,
// 业务咨询与查询 20%, 报修, 新装/增容 and 变更用电 10% each, 投诉 5%; other
// types share evenly), about 6% take 敬老 and 2% 助残 tickets. Each open
// counter has a clerk who calls the next customer when free, starts serving
// when the customer reaches the window and finishes after a lognormal
// service time typical of the business. A few customers do not come when
// called (过号, after the policy's recalls; some come back and requeue), a
// few are transferred to another business, a few give up waiting, and up to
// two counters take staggered lunch breaks (暂停). Counters call no one new
// after 18:00; at the close whoever still waits ends 未办结.
//
// The traffic is a function of the seed, the day and the hall's
// configuration only: every day draws from its own PCG stream, so the same
// options give the same tickets, numbers, counters and order of events.
package sim
