// Command servicehall is the counter-side program of a county power-supply
// business hall: the hall's queue, its windows for every role, and the
// subcommands that keep its database healthy.
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	_ "time/tzdata" // the hall's time zone on a PC without zone files (Windows)

	"fyne.io/fyne/v2/app"

	"servicehall/internal/cli"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/hqsync"
	"servicehall/internal/station"
	"servicehall/internal/ui"
	"servicehall/internal/voice/speaker"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// SIGTERM or Ctrl-C quits the windows cleanly, closing the database.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "servicehall:", hall.Message(err))
		fmt.Fprintln(os.Stderr, "detail:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "say" {
		return cli.Say(ctx, args[1:], stdout, stderr, speaker.New().Play)
	}
	if done, err := cli.Subcommand(ctx, args, stdout, stderr); done {
		return err
	}
	wa, err := cli.ParseWindow(args, stderr)
	if err != nil {
		return err
	}
	if wa.Version {
		fmt.Fprintln(stdout, "servicehall", version)
		return nil
	}
	// The log file in the data directory; log.Printf (Fyne's errors too)
	// goes there through slog's default logger.
	logger, closeLog, err := cli.OpenLog(wa.DB, "servicehall", stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	slog.SetDefault(logger)
	logger.Info("servicehall started", "version", version, "role", wa.Role, "hall", wa.Hall, "serve", wa.Serve, "hq", wa.HQ != "")
	// This PC's printer and voice settings are checked before the hall opens.
	st, stPath, err := wa.Station.Settings()
	if err != nil {
		return err
	}
	// The windows' language: --lang, else this PC's setting (both checked).
	lang, err := ui.ParseLanguage(cmp.Or(wa.Lang, st.Language))
	if err != nil {
		return err
	}
	if err := ui.SetLanguage(lang); err != nil {
		return err
	}
	if wa.Hall != "" {
		// A PC of a hall of many: the hall node owns the file and syncs.
		svc, err := cli.RemoteHall(wa.Hall, "")
		if err != nil {
			return err
		}
		opt := ui.Options{Role: wa.Role, Counter: wa.Counter, Version: version, Station: stationSettings(stPath)}
		if opt.Devices, err = devices(ctx, st, svc, log.Printf); err != nil {
			return err
		}
		return ui.Run(ctx, app.NewWithID("cn.servicehall.hall"), svc, opt)
	}
	// A new database becomes the demo hall only with --demo (make run);
	// otherwise the first-run setup asks for the hall.
	l, db, err := cli.OpenHallWith(ctx, wa.DB, "servicehall "+version, wa.Demo)
	if err != nil {
		return err
	}
	defer db.Close()
	if wa.HQ == "" { // kept by the first-run setup
		wa.HQ, wa.Token = cli.LoadHQ(wa.DB)
	}
	// Backups at the day's close, and now if the PC was off then.
	defer cli.StartBackups(ctx, wa.DB, logger)()
	opt := ui.Options{Role: wa.Role, Counter: wa.Counter, Version: version, DBPath: wa.DB, Housekeep: l.Housekeep,
		HQ: hqSettings(wa.DB), Station: stationSettings(stPath)}
	if !l.Configured() {
		var started atomic.Pointer[hqsync.Client] // the sync the setup started
		opt.Setup = &ui.Setup{Types: demo.DefaultTypes(), SyncStatus: func() func(context.Context) (ui.SyncState, error) {
			if c := started.Load(); c != nil {
				return syncStatus(c)
			}
			return nil
		}, Save: func(ctx context.Context, r ui.SetupResult) error {
			if err := cli.FinishSetup(ctx, l, wa.DB, r.Config, r.HQURL, r.HQToken); err != nil {
				return err
			}
			logger.Info("hall set up", "code", r.Config.Hall.Code, "counters", len(r.Config.Counters), "hq", r.HQURL != "")
			if r.HQURL != "" && wa.HQ == "" {
				c, err := cli.StartSync(ctx, l, db, r.HQURL, r.HQToken, log.Printf, nil)
				if err != nil {
					return err
				}
				started.Store(c)
			}
			return nil
		}}
	}
	if opt.Devices, err = devices(ctx, st, l, log.Printf); err != nil {
		return err
	}
	if wa.Serve != "" {
		n, err := cli.StartNode(ctx, l, db, wa.Serve, log.Printf, nil)
		if err != nil {
			return err
		}
		opt.LAN = n.Pairing
	}
	if wa.HQ != "" {
		c, err := cli.StartSync(ctx, l, db, wa.HQ, wa.Token, log.Printf, nil)
		if err != nil {
			return err
		}
		opt.SyncStatus = syncStatus(c)
	}
	a := app.NewWithID("cn.servicehall.hall")
	return ui.Run(ctx, a, l, opt)
}

// hqSettings lets the admin window read and keep hq.json beside the
// database; the sync takes them at the next start.
func hqSettings(dbPath string) *ui.HQSettings {
	return &ui.HQSettings{
		Load: func() (string, bool) {
			url, token := cli.LoadHQ(dbPath)
			return url, token != ""
		},
		Save: func(url, token string) error {
			if token == "" { // keep the credential kept
				_, token = cli.LoadHQ(dbPath)
			}
			return cli.SaveHQ(dbPath, url, token)
		},
	}
}

// stationSettings lets the admin window read and keep this PC's settings
// file (without this run's flags); they apply at the next start.
func stationSettings(path string) *ui.StationSettings {
	return &ui.StationSettings{
		Load: func() (station.Settings, error) { return station.Load(path) },
		Save: func(s station.Settings) error { return station.Save(path, s) },
	}
}

// syncStatus adapts the sync client's status to what the windows show.
func syncStatus(c *hqsync.Client) func(context.Context) (ui.SyncState, error) {
	return func(ctx context.Context) (ui.SyncState, error) {
		st, err := c.Status(ctx)
		if err != nil {
			return ui.SyncState{}, err
		}
		return ui.SyncState{Backlog: st.Backlog, LastSuccess: st.LastSuccess, LastError: st.LastError, Quarantined: st.Quarantined}, nil
	}
}
