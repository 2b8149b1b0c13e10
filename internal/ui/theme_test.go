package ui

import (
	"bytes"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"servicehall/assets"
)

func TestThemeFontIsEmbedded(t *testing.T) {
	th := newHallTheme()
	styles := map[string]fyne.TextStyle{
		"regular":     {},
		"bold":        {Bold: true},
		"italic":      {Italic: true},
		"bold italic": {Bold: true, Italic: true},
		"monospace":   {Monospace: true},
		"symbol":      {Symbol: true},
	}
	for name, style := range styles {
		f := th.Font(style)
		if f == nil {
			t.Errorf("%s: no font", name)
			continue
		}
		if got, want := f.Name(), assets.FontRegularName; got != want {
			t.Errorf("%s: font %q, want %q", name, got, want)
		}
		if !bytes.Equal(f.Content(), assets.FontRegular) {
			t.Errorf("%s: font content is not the embedded font", name)
		}
	}
}

func TestThemeSizes(t *testing.T) {
	th := newHallTheme()
	if got := th.Size(theme.SizeNameText); got != textSize {
		t.Errorf("text size %v, want %v", got, textSize)
	}
	def := theme.DefaultTheme()
	for _, n := range []fyne.ThemeSizeName{theme.SizeNamePadding, theme.SizeNameHeadingText, theme.SizeNameCaptionText} {
		if got, want := th.Size(n), def.Size(n); got != want {
			t.Errorf("size %s = %v, want the default %v", n, got, want)
		}
	}
}
