package hq

import (
	"fmt"

	"servicehall/internal/hq/wire"
)

// Held is a record HQ already stores, as Decide needs it.
type Held struct {
	Seq    int64
	UUID   string
	SHA256 string // lowercase hex
}

// Settled is a number HQ settled without storing a record there: a
// rejected or conflicting record kept aside, or a declared hole.
type Settled struct {
	Seq    int64
	UUID   string // "" for a declared hole
	SHA256 string // as the hall sent it
	Status string // wire.StatusRejected, StatusConflict or StatusMissing
	Reason string
}

// Existing is what a hall's tables hold that a batch touches: the cursor,
// records with the batch's uuids, and records and settled numbers in the
// batch's range.
type Existing struct {
	Cursor  int64
	ByUUID  map[string]Held
	BySeq   map[int64]Held
	Settled map[int64][]Settled
}

// Plan is what a batch writes. Storages write it in the transaction in
// which they read the Existing it was decided from.
type Plan struct {
	Gap          bool
	AckedThrough int64
	Insert       []wire.Record // new records
	SetAside     []Aside       // records and holes settled without storing
	Alerts       []Alert       // HallID and At left for the storage to fill
	Results      []wire.Result
}

// Aside is a number settled without a stored record. Record is zero but for
// Seq when it is a declared hole.
type Aside struct {
	Record wire.Record
	Status string
	Reason string
}

// Outcome is the answer the plan gives.
func (p *Plan) Outcome() Outcome {
	return Outcome{Gap: p.Gap, AckedThrough: p.AckedThrough, Results: p.Results}
}

// Decide applies a batch to what HQ holds, on paper. The rules:
//   - A batch that starts after Cursor+1 is a gap: nothing changes and the
//     hall must resend from Cursor+1.
//   - A record whose uuid HQ holds at the same number with the same digest
//     is a duplicate; at another number or with another digest, a conflict.
//   - A record at a number HQ holds under another uuid is a conflict.
//   - A record at a number HQ settled before without storing it gets the
//     same answer again when it is the same record, else a conflict.
//   - A record that fails its own checks (verdict not "") is rejected.
//   - Anything else is inserted.
//   - A declared hole is settled as missing; a hole where HQ holds a
//     record means the hall lost a record HQ has, and raises an alert.
//
// Conflicts, rejections and holes are kept aside with an alert, never
// written over anything, and they settle their number: the cursor moves
// over every number of the batch, so a hall is never stuck behind a bad
// record, while each one stays visible at HQ and in the hall's quarantine.
func Decide(ex Existing, b *wire.Batch, verdicts []string) Plan {
	p := Plan{AckedThrough: ex.Cursor}
	if b.FirstSeq > ex.Cursor+1 {
		p.Gap = true
		return p
	}
	byUUID := make(map[string]Held, len(ex.ByUUID)+len(b.Records))
	for k, v := range ex.ByUUID {
		byUUID[k] = v
	}
	settled := map[int64]bool{}
	settle := func(seq int64) { settled[seq] = true }
	aside := func(r wire.Record, status, reason, alertKind, detail string) {
		p.SetAside = append(p.SetAside, Aside{Record: r, Status: status, Reason: reason})
		p.Alerts = append(p.Alerts, Alert{Kind: alertKind, Detail: detail})
		p.Results = append(p.Results, wire.Result{Seq: r.Seq, UUID: r.UUID, Status: status, Reason: reason})
		settle(r.Seq)
	}
	for i, r := range b.Records {
		res := wire.Result{Seq: r.Seq, UUID: r.UUID}
		h, held := byUUID[r.UUID]
		if held && h.Seq == r.Seq && h.SHA256 == r.SHA256 && verdicts[i] == "" {
			res.Status = wire.StatusDuplicate
			p.Results = append(p.Results, res)
			settle(r.Seq)
			continue
		}
		// The same record set aside before gets the same answer, and no
		// second alert.
		if s, ok := findSettled(ex.Settled[r.Seq], r); ok {
			res.Status, res.Reason = s.Status, s.Reason
			p.Results = append(p.Results, res)
			settle(r.Seq)
			continue
		}
		if held {
			reason := "同一记录编号在总部已存有不同的内容"
			if h.Seq != r.Seq {
				reason = fmt.Sprintf("该记录编号在总部已存于序号 %d", h.Seq)
			}
			aside(r, wire.StatusConflict, reason, AlertConflict,
				fmt.Sprintf("序号 %d 的记录（编号 %s，%s）：%s", r.Seq, r.UUID, r.Kind, reason))
			continue
		}
		if h, ok := ex.BySeq[r.Seq]; ok {
			reason := "该序号在总部已存有另一条记录（" + h.UUID + "）"
			aside(r, wire.StatusConflict, reason, AlertConflict,
				fmt.Sprintf("序号 %d 的记录（编号 %s，%s）：%s", r.Seq, r.UUID, r.Kind, reason))
			continue
		}
		if prev := ex.Settled[r.Seq]; len(prev) > 0 {
			reason := "该序号在总部已另行处理（" + prev[0].Status + "）"
			aside(r, wire.StatusConflict, reason, AlertConflict,
				fmt.Sprintf("序号 %d 的记录（编号 %s，%s）：%s", r.Seq, r.UUID, r.Kind, reason))
			continue
		}
		if v := verdicts[i]; v != "" {
			aside(r, wire.StatusRejected, v, AlertRejected,
				fmt.Sprintf("序号 %d 的记录（编号 %s，%s）被拒收：%s", r.Seq, r.UUID, r.Kind, v))
			continue
		}
		p.Insert = append(p.Insert, r)
		byUUID[r.UUID] = Held{Seq: r.Seq, UUID: r.UUID, SHA256: r.SHA256}
		res.Status = wire.StatusInserted
		p.Results = append(p.Results, res)
		settle(r.Seq)
	}
	const missingReason = "营业厅的事件日志缺少这一序号"
	for _, seq := range b.Missing {
		res := wire.Result{Seq: seq, Status: wire.StatusMissing, Reason: missingReason}
		if h, ok := ex.BySeq[seq]; ok {
			// HQ has it: the hall lost a record after sending it.
			p.Alerts = append(p.Alerts, Alert{Kind: AlertLost,
				Detail: fmt.Sprintf("营业厅的事件日志缺少序号 %d，而总部已收到这条记录（编号 %s）：营业厅的记录可能被删除", seq, h.UUID)})
			p.Results = append(p.Results, res)
			settle(seq)
			continue
		}
		if prev := ex.Settled[seq]; len(prev) > 0 {
			p.Results = append(p.Results, res)
			settle(seq)
			continue
		}
		aside(wire.Record{Seq: seq}, wire.StatusMissing, missingReason, AlertMissing,
			fmt.Sprintf("营业厅声明其事件日志缺少序号 %d（记录可能被删除）", seq))
	}
	isSettled := func(seq int64) bool {
		if settled[seq] {
			return true
		}
		if _, ok := ex.BySeq[seq]; ok {
			return true
		}
		return len(ex.Settled[seq]) > 0
	}
	for p.AckedThrough < b.LastSeq && isSettled(p.AckedThrough+1) {
		p.AckedThrough++
	}
	return p
}

func findSettled(prev []Settled, r wire.Record) (Settled, bool) {
	for _, s := range prev {
		if s.UUID == r.UUID && s.SHA256 == r.SHA256 {
			return s, true
		}
	}
	return Settled{}, false
}
