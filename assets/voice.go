package assets

import "embed"

// Voice holds the call clips (voice/*.wav: mono 16-bit PCM, 22,050 Hz),
// rendered from espeak-ng's Mandarin voice by `make voice`; see
// voice/README.md.
//
//go:embed voice/*.wav
var Voice embed.FS
