package voice

// ClipSource is one pre-rendered clip: its file name in assets/voice
// (without .wav) and what espeak-ng is given to say.
type ClipSource struct {
	Name string // file name without .wav, and the word's name in a phrase
	Say  string // espeak-ng's input, Chinese or tone-numbered pinyin
	Text string // how the word is written in a call's text
}

// Words the calls are made of.
const (
	wQing      = "qing"      // 请
	wHao       = "hao"       // 号
	wDao       = "dao"       // 到
	wChuangkou = "chuangkou" // 窗口
	wBanli     = "banli"     // 办理
	wChonghu   = "chonghu"   // 重呼
	wShi       = "shi"       // 十
	wPause     = ","         // a short pause between phrases, not a clip
)

var digitText = [10]string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// Clips lists every clip a call can need. espeak-ng's Mandarin voice
// (cmn-latn-pinyin) reads Chinese characters; 重呼 is given as pinyin
// because it reads 重 as zhòng. Letters are read the way Chinese halls read
// them (A ēi, B bì … W 达不溜), as the voice does.
func Clips() []ClipSource {
	out := []ClipSource{
		{wQing, "请", "请"},
		{wHao, "号", "号"},
		{wDao, "到", "到"},
		{wChuangkou, "窗口", "窗口"},
		{wBanli, "办理", "办理"},
		{wChonghu, "chong2 hu1", "重呼"},
		{wShi, "十", "十"},
	}
	for d, t := range digitText {
		out = append(out, ClipSource{Name: digitWord(d), Say: t, Text: t})
	}
	for c := 'A'; c <= 'Z'; c++ {
		out = append(out, ClipSource{Name: string(c), Say: string(c), Text: string(c)})
	}
	return out
}

func digitWord(d int) string { return "d" + string(rune('0'+d)) }
