package sqlite_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"servicehall/internal/checkpoint"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// signHead keeps a checkpoint of the hall's current register, signed with
// skey, as the sync does with HQ's answer.
func signHead(t *testing.T, path, skey, vkey string) int64 {
	t.Helper()
	db := halltest.OpenDB(t, path)
	defer db.Close()
	tr, err := db.RegisterTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	note, err := checkpoint.Sign(checkpoint.Checkpoint{Origin: checkpoint.Origin(1), Size: tr.Size, Root: tr.Root}, skey)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddCheckpoint(ctx, note, vkey, tr.Size, tr.Root, time.Now()); err != nil {
		t.Fatal(err)
	}
	return tr.Size
}

// rebuildRegister rewrites the register from the leaves left, renumbered,
// with fresh hashes and head, as a careful tamperer would after deleting
// a record and its leaf.
func rebuildRegister(t *testing.T, raw *sql.DB) {
	t.Helper()
	rows, err := raw.Query(`SELECT kind, record_id, leaf, at FROM register_leaves ORDER BY idx`)
	if err != nil {
		t.Fatal(err)
	}
	type leaf struct {
		kind, id string
		leaf     []byte
		at       int64
	}
	var ls []leaf
	for rows.Next() {
		var l leaf
		if err := rows.Scan(&l.kind, &l.id, &l.leaf, &l.at); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	rows.Close()
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`DELETE FROM register_leaves; DELETE FROM register_hashes; DELETE FROM register_head`)
	for i, l := range ls {
		hs, err := tlog.StoredHashes(int64(i), l.leaf, r)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
		exec(`INSERT INTO register_leaves (idx, kind, record_id, leaf, at) VALUES (?, ?, ?, ?, ?)`, i, l.kind, l.id, l.leaf, l.at)
	}
	for i, h := range hashes {
		exec(`INSERT INTO register_hashes (idx, hash) VALUES (?, ?)`, i, h[:])
	}
	root, err := tlog.TreeHash(int64(len(ls)), r)
	if err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO register_head (id, size, root) VALUES (1, ?, ?)`, len(ls), root[:])
}

const dropAll = `DROP TRIGGER complaints_immutable_update; DROP TRIGGER complaints_immutable_delete;
	DROP TRIGGER register_leaves_immutable_update; DROP TRIGGER register_leaves_immutable_delete;
	DROP TRIGGER register_hashes_immutable_update; DROP TRIGGER register_hashes_immutable_delete;`

func TestVerifyChecksTheRegisterAgainstHQsLastCheckpoint(t *testing.T) {
	skey, vkey, err := checkpoint.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	otherSkey, otherVkey, _ := checkpoint.GenerateKey()
	tests := []struct {
		name   string
		tamper func(t *testing.T, path string)
		want   string // "" intact
	}{
		{"intact", func(*testing.T, string) {}, ""},
		{"a complaint deleted, its leaf too, the register rebuilt", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(dropAll + `DELETE FROM complaints WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 2);
				DELETE FROM register_leaves WHERE idx = 2`); err != nil {
				t.Fatal(err)
			}
			rebuildRegister(t, raw)
		}, "少于总部上次确认的"},
		{"a complaint edited, its leaf too, the register rebuilt", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(dropAll + `UPDATE complaints SET what = '无' WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 1)`); err != nil {
				t.Fatal(err)
			}
			db := halltest.OpenDB(t, path)
			tr, err := db.RegisterTree(ctx) // the edited complaint's leaf, as the tamperer computes it
			db.Close()
			if err != nil || len(tr.Changed) != 1 {
				t.Fatalf("recomputed register: %+v (%v)", tr, err)
			}
			if _, err := raw.Exec(`UPDATE register_leaves SET leaf = CAST(replace(CAST(leaf AS TEXT), '"what":"第2条投诉：等候时间过长"', '"what":"无"') AS BLOB) WHERE idx = 1`); err != nil {
				t.Fatal(err)
			}
			rebuildRegister(t, raw)
		}, "与总部上次确认的不一致"},
		{"a forged checkpoint under another key", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(`DROP TRIGGER hq_checkpoints_kept_update;
				UPDATE hq_checkpoints SET verifier_key = ? WHERE id = (SELECT max(id) FROM hq_checkpoints)`, otherVkey); err != nil {
				t.Fatal(err)
			}
			_ = otherSkey
		}, "签名无效"},
		{"a checkpoint's recorded size edited", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(`DROP TRIGGER hq_checkpoints_kept_update; UPDATE hq_checkpoints SET size = 2`); err != nil {
				t.Fatal(err)
			}
		}, "条数或树根不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, _ := hallWithComplaints(t, 6)
			if n := signHead(t, path, skey, vkey); n != 6 {
				t.Fatalf("checkpoint of %d leaves", n)
			}
			tt.tamper(t, path)
			r, err := sqlite.Verify(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(r.Problems, "\n")
			if tt.want == "" {
				if !r.OK() {
					t.Fatalf("intact register with its checkpoint: %v", r.Problems)
				}
				return
			}
			// Only the checkpoint catches it: the register's own checks pass.
			if len(r.Problems) != 1 || !strings.Contains(got, tt.want) {
				t.Fatalf("problems = %v, want exactly one, saying %q", r.Problems, tt.want)
			}
		})
	}
}

func TestACheckpointIsKeptOnlyIfItOpensWithTheFirstKeyAndSaysWhatWasSent(t *testing.T) {
	path, _ := hallWithComplaints(t, 3)
	db := halltest.OpenDB(t, path)
	defer db.Close()
	tr, err := db.RegisterTree(ctx)
	if err != nil || tr.Size != 3 || len(tr.Changed) != 0 {
		t.Fatalf("register = %+v (%v)", tr, err)
	}
	skey, vkey, _ := checkpoint.GenerateKey()
	otherSkey, otherVkey, _ := checkpoint.GenerateKey()
	sign := func(skey string, size int64, root tlog.Hash) string {
		n, err := checkpoint.Sign(checkpoint.Checkpoint{Origin: "o", Size: size, Root: root}, skey)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := db.AddCheckpoint(ctx, sign(skey, 2, tr.Root), vkey, 3, tr.Root, time.Now()); err == nil {
		t.Fatal("kept a checkpoint of another size than sent")
	}
	if err := db.AddCheckpoint(ctx, sign(otherSkey, 3, tr.Root), vkey, 3, tr.Root, time.Now()); err == nil {
		t.Fatal("kept a checkpoint that does not open with the key given")
	}
	if err := db.AddCheckpoint(ctx, sign(skey, 3, tr.Root), vkey, 3, tr.Root, time.Now()); err != nil {
		t.Fatal(err)
	}
	// Later checkpoints must carry the first key.
	if err := db.AddCheckpoint(ctx, sign(otherSkey, 3, tr.Root), otherVkey, 3, tr.Root, time.Now()); err == nil {
		t.Fatal("kept a checkpoint under another HQ key")
	}
	if cp, ok, err := db.LastCheckpoint(ctx); err != nil || !ok || cp.Size != 3 || cp.VerifierKey != vkey {
		t.Fatalf("last checkpoint = %+v %v (%v)", cp, ok, err)
	}
}
