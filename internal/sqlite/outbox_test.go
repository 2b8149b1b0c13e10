package sqlite_test

import (
	"path/filepath"
	"slices"
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The event log is the outbox headquarters receives. Every table of the
// hall's database is either carried by events (the kinds that record its
// changes are listed) or named here as local-only, with the reason. A new
// table that is neither fails this test, so nobody adds a fact that never
// reaches headquarters without deciding so.
var carriedBy = map[string][]hall.Kind{
	"hall":           {hall.KindHallSetup, hall.KindPolicySet, hall.KindHallSaved},
	"business_types": {hall.KindHallSetup, hall.KindTypeSaved, hall.KindTypeRetired},
	"counters":       {hall.KindHallSetup, hall.KindCounterSaved, hall.KindCounterState},
	"staff":          {hall.KindHallSetup, hall.KindStaffSaved, hall.KindPINSet, hall.KindStaffLocked, hall.KindStaffUnlock},
	"tickets": {hall.KindTicketIssued, hall.KindTicketCalled, hall.KindTicketRecalled, hall.KindTicketStarted,
		hall.KindTicketFinished, hall.KindTicketNoShow, hall.KindTicketRequeued, hall.KindTicketTransfer,
		hall.KindTicketCancelled, hall.KindTicketUnfinish},
	"services":         {hall.KindTicketStarted, hall.KindTicketFinished, hall.KindTicketTransfer},
	"sessions":         {hall.KindSignedIn, hall.KindSignedOut, hall.KindSessionEnded},
	"settings":         {hall.KindScriptsSaved, hall.KindEmergencyStart, hall.KindEmergencyEnd, hall.KindCalendarSet},
	"complaint_status": {hall.KindComplaintStatus},
	"rating_followups": {hall.KindRatingFollowUp},
	"escalations":      {hall.KindEscalated, hall.KindEscalationReply},
	"proxies":          {hall.KindProxyRecorded, hall.KindProxyDecided},
	"complaints":       {hall.KindComplaintRecord},
	"fault_reports":    {hall.KindFaultRecorded},
	"ratings":          {hall.KindRated, hall.KindRatingAlert},
	"notices":          {hall.KindNoticePosted, hall.KindNoticeEnded},
	"roster":           {hall.KindRosterSet},
	"director_log":     {hall.KindLogEntry},
	"devices":          {hall.KindDeviceStatus},
	"reception_days":   {hall.KindReceptionScheduled, hall.KindReceptionCancelled},
	"reception_visits": {hall.KindVisitRecorded},
	"reception_notes":  {hall.KindVisitNote},
	"patrols":          {hall.KindPatrol},
	"patrol_results":   {hall.KindPatrol},
}

var localOnly = map[string]string{
	"events":          "the outbox itself",
	"sqlite_sequence": "SQLite's own AUTOINCREMENT bookkeeping",
	"register_leaves": "derived from complaints and log entries; its head goes to HQ with the anchoring",
	"register_hashes": "derived: the Merkle tree's stored hashes",
	"register_head":   "derived: the tree's size and root",
	"sync_state":      "the sync cursor: where this hall is in the outbox",
	"quarantine":      "records HQ refused, kept for the director; HQ has its own alert",
	"hq_notices":      "which HQ notices were already posted (they arrive as notice.posted events)",
	"lan_clients":     "credentials of the PCs paired with this hall node: secrets of this LAN only",
	"call_answers":    "the answers the hall node sent to its PCs' calls, kept two days so a retry after a restart is not done twice",
	"hq_checkpoints":  "HQ's signed checkpoints of the register: HQ keeps the heads it signed",
}

func TestEveryTableIsCarriedToHeadquartersOrNamedLocal(t *testing.T) {
	db := halltest.OpenDB(t, filepath.Join(t.TempDir(), "hall.db"))
	db.Close()
	raw := rawDB(t, filepath.Join(filepath.Dir(db.Path()), "hall.db"))
	rows, err := raw.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if len(tables) < 20 {
		t.Fatalf("found only %d tables: %v", len(tables), tables)
	}
	for _, name := range tables {
		kinds, carried := carriedBy[name]
		_, local := localOnly[name]
		switch {
		case carried && local:
			t.Errorf("table %s is both carried and local-only", name)
		case !carried && !local:
			t.Errorf("table %s is neither carried by events nor named local-only: decide whether headquarters needs it", name)
		case carried && len(kinds) == 0:
			t.Errorf("table %s names no event kinds", name)
		}
	}
	for name := range carriedBy {
		if !slices.Contains(tables, name) {
			t.Errorf("carriedBy names %s, which is not a table", name)
		}
	}
	for name := range localOnly {
		if !slices.Contains(tables, name) {
			t.Errorf("localOnly names %s, which is not a table", name)
		}
	}
}
