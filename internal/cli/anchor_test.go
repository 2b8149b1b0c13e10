package cli_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"servicehall/internal/cli"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
)

// TestSyncOnceAnchorsTheRegisterAndFailsWhenItWasTamperedWith: `sync
// --once` ends with the register anchored at HQ; after a complaint is
// deleted behind the program's back it exits non-zero naming the register,
// HQ has an alert, and `verify` fails.
func TestSyncOnceAnchorsTheRegisterAndFailsWhenItWasTamperedWith(t *testing.T) {
	hl := halltest.New(t, nil)
	for i := range 3 {
		if _, err := hl.RecordComplaint(ctx, hl.At(1+i), hall.ComplaintInput{What: "等候时间过长", Where: "营业厅"}); err != nil {
			t.Fatal(err)
		}
	}
	path := hl.Path
	if err := hl.DB.Close(); err != nil {
		t.Fatal(err)
	}
	srv, st, h, tok := startHQ(t)
	out, err := runCmd(t, "sync", "--db", path, "--hq", srv.URL, "--token", tok, "--once")
	if err != nil || !strings.Contains(out, "登记簿已由总部签署确认：共 3 条") {
		t.Fatalf("first sync: %v\n%s", err, out)
	}
	if th, err := st.TreeHead(ctx, h.ID); err != nil || th.Size != 3 {
		t.Fatalf("HQ's head = %+v (%v)", th, err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`DROP TRIGGER complaints_immutable_delete;
		DELETE FROM complaints WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 1)`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err = runCmd(t, "sync", "--db", path, "--hq", srv.URL, "--token", tok, "--once")
	var se *cli.SyncError
	if !errors.As(err, &se) || !strings.Contains(hall.Message(err), "登记簿") || !strings.Contains(out, "已全部送达总部") {
		t.Fatalf("sync after the delete: %v (%q)\n%s", err, hall.Message(err), out)
	}
	as, err := st.Alerts(ctx, h.ID)
	if err != nil || len(as) != 1 || as[0].Kind != hq.AlertTreeInconsistent {
		t.Fatalf("HQ's alerts = %+v (%v)", as, err)
	}
	out, err = runCmd(t, "verify", "--db", path)
	if err == nil || !strings.Contains(out+hall.Message(err), "总部上次确认") {
		t.Fatalf("verify after the delete: %v\n%s", err, out)
	}
}
