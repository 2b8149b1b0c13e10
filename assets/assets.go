// Package assets holds the files embedded in the servicehall binary: the CJK font, icons, translations.
package assets

import _ "embed"

// FontRegularName is the file name of FontRegular inside fonts/.
const FontRegularName = "NotoSansSC-Regular-GBK.otf"

// FontRegular is a single-face OpenType (CFF) subset of Noto Sans CJK SC
// Regular that covers every character GBK can encode (one exception, U+2252;
// see fonts/README.md). Licensed under the SIL OFL 1.1, see fonts/OFL.txt.
//
//go:embed fonts/NotoSansSC-Regular-GBK.otf
var FontRegular []byte

// Icon is the program's icon, 512×512 PNG (also named in FyneApp.toml).
//
//go:embed icon.png
var Icon []byte
