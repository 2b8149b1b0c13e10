package cli

import (
	"io"
	"log/slog"

	"servicehall/internal/logfile"
)

// OpenLog starts a program's log, NAME.log in the logs folder of the data
// directory that holds dbPath, rotated by size; each line goes to console
// too when it is not nil. close ends it.
func OpenLog(dbPath, name string, console io.Writer) (logger *slog.Logger, close func(), err error) {
	l, r, err := logfile.Open(logfile.Dir(dbPath), name, logfile.Options{Console: console})
	if err != nil {
		return nil, nil, &UsageError{Msg: "无法写入日志文件夹 " + logfile.Dir(dbPath) + "：" + err.Error()}
	}
	return l, func() { r.Close() }, nil
}
