package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"servicehall/internal/voice"
)

// Say is `servicehall say NUMBER COUNTER [--recall] [--wav PATH] [--volume N]
// [--repeat N]`: it speaks a call as the display would, to check a hall's
// speakers, or writes it to a WAV file (--wav) on a PC without sound. play
// is the sound device; nil allows only --wav.
func Say(ctx context.Context, args []string, stdout, stderr io.Writer, play func(context.Context, voice.Sound) error) error {
	fs := flag.NewFlagSet("servicehall say", flag.ContinueOnError)
	fs.SetOutput(stderr)
	wav := fs.String("wav", "", "write the call to this WAV file instead of playing it")
	recall := fs.Bool("recall", false, "say it as a recall (重呼)")
	volume := fs.Int("volume", 100, "volume, 0-100")
	repeat := fs.Int("repeat", 1, "how many times the sentence is said, 1-3")
	// Flags may come before or after the number and counter.
	var pos []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return &UsageError{Msg: "命令行参数有误：" + err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if len(pos) != 2 {
		return &UsageError{Msg: "用法：servicehall say 号码 窗口号 [--recall] [--wav 文件]，例如 servicehall say A001 3"}
	}
	counter, err := strconv.Atoi(pos[1])
	if err != nil || counter < 1 {
		return &UsageError{Msg: "窗口号须为正整数：" + pos[1]}
	}
	if *volume < 0 || *volume > 100 || *repeat < 1 || *repeat > 3 {
		return &UsageError{Msg: "音量须在 0–100 之间，遍数须为 1–3"}
	}
	c := voice.Call{Number: pos[0], Counter: counter, Recall: *recall}
	text, err := c.Text()
	if err != nil {
		return &UsageError{Msg: "无法播报这个号码（号码须为字母加数字，如 A001）：" + pos[0]}
	}
	v, err := voice.Embedded()
	if err != nil {
		return err
	}
	snd := v.Render(c, voice.Settings{Volume: *volume, Repeat: *repeat})
	if *wav != "" {
		f, err := os.Create(*wav)
		if err != nil {
			return err
		}
		if err := voice.WriteWAV(f, snd); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "「%s」已写入 %s（%.1f 秒）\n", text, *wav, snd.Duration().Seconds())
		return nil
	}
	if play == nil {
		return &UsageError{Msg: "请用 --wav 文件 指定输出文件"}
	}
	fmt.Fprintf(stdout, "正在播报「%s」（%.1f 秒）…\n", text, snd.Duration().Seconds())
	pctx, cancel := context.WithTimeout(ctx, snd.Duration()+voice.PlaySlack)
	defer cancel()
	return play(pctx, snd)
}
