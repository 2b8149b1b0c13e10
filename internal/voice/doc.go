// Package voice speaks the hall's calls offline: 「请A零零一号到三号窗口办理」
// joined at run time from short clips pre-rendered with espeak-ng and
// embedded in the program (assets/voice), a chime synthesized here, and a
// queue that speaks simultaneous calls one after another. It renders to
// PCM and WAV; playing on a sound device is package speaker's.
package voice
