package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"servicehall/assets"
)

// textSize is a little above Fyne's 14 so that a hall PC's screen reads
// well from a step back.
const textSize = 15

// hallTheme is Fyne's default theme with the embedded Chinese font. The font
// has a single face, so every style (bold, italic, monospace) uses it:
// falling back to a system font would draw boxes on PCs without a CJK font.
type hallTheme struct {
	fyne.Theme
	font fyne.Resource
}

var _ fyne.Theme = (*hallTheme)(nil)

func newHallTheme() *hallTheme {
	return &hallTheme{
		Theme: theme.DefaultTheme(),
		font:  fyne.NewStaticResource(assets.FontRegularName, assets.FontRegular),
	}
}

// Font returns the embedded font whatever the style.
func (t *hallTheme) Font(fyne.TextStyle) fyne.Resource { return t.font }

// Size enlarges body text; everything else is the default.
func (t *hallTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return textSize
	}
	return t.Theme.Size(n)
}
