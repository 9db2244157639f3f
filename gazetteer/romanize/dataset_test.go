package romanize_test

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"wumen/data"
	"wumen/gazetteer/romanize"
)

// TestNames writes whole names as the store does (gazetteer.Derive: Split,
// then Standard): the examples of the dataset review.
func TestNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"长庆桥", "Chángqìng Qiáo"},
		{"傀儡湖", "Kuǐlěi Hú"},
		{"澹台湖", "Tántái Hú"},
		{"曾赵园", "Zēngzhào Yuán"},
		{"七子山", "Qīzǐ Shān"},
		{"言子祠", "Yánzǐ Cí"},
		{"狮子山", "Shīzi Shān"},
		{"狮子林", "Shīzilín"},
		{"苏州博物馆", "Sūzhōu Bówùguǎn"},
		{"苏州博物馆西馆", "Sūzhōu Bówùguǎn Xīguǎn"},
		{"苏州丝绸博物馆", "Sūzhōu Sīchóu Bówùguǎn"},
		{"中国昆曲博物馆", "Zhōngguó Kūnqǔ Bówùguǎn"},
		{"平江历史文化街区", "Píngjiāng Lìshǐ Wénhuà Jiēqū"},
		{"京杭大运河", "Jīng-Háng Dàyùnhé"},
		{"江苏巡抚衙门旧址", "Jiāngsū Xúnfǔ Yámen Jiùzhǐ"},
		{"顾炎武故居", "Gù Yánwǔ Gùjū"},
		{"太平天国忠王府", "Tàipíng Tiānguó Zhōngwáng Fǔ"},
		{"包山禅寺", "Bāoshān Chánsì"},
		{"苏州文庙", "Sūzhōu Wénmiào"},
		{"沙家浜风景区", "Shājiābāng Fēngjǐngqū"},
		{"开元寺无梁殿", "Kāiyuán Sì Wúliáng Diàn"},
		{"斗姥阁", "Dǒumǔ Gé"},
		{"言子旧宅", "Yánzǐ Jiùzhái"},
		{"邓邦述故居", "Dèng Bāngshù Gùjū"},
		{"陈去病墓", "Chén Qùbìng Mù"},
		{"丁祖荫纪念馆", "Dīng Zǔyīn Jìniànguǎn"},
		{"赵用贤宅", "Zhào Yòngxián Zhái"},
		{"楞伽塔", "Léngqié Tǎ"},
		{"山塘街", "Shāntáng Jiē"},
		{"金鸡湖大道", "Jīnjīhú Dàdào"},
		{"灵岩山寺", "Língyánshān Sì"}, // a generic inside the specific stays in it
		{"卫道观前", "Wèidàoguānqián"},
	}
	for _, tt := range tests {
		s, g := romanize.Split(tt.name)
		if got := romanize.Standard(s, g, false); got != tt.want {
			t.Errorf("Standard(Split(%q)) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// record is the part of a data.FS record that romanization reads.
type record struct {
	Name     string `json:"name"`
	Specific string `json:"specific"`
	Generic  string `json:"generic"`
	Joined   bool   `json:"joined"`
}

// TestDataset writes every name of the shipped dataset and checks invariants
// of standard place-name pinyin: each word starts with a capital; a word of a
// name not written joined has at most 7 syllables; every syllable is a pinyin
// syllable with at most one tone mark; a neutral tone (no mark) occurs only in
// a name holding a listed exception (overrides.tsv: 狮子, 衙门).
func TestDataset(t *testing.T) {
	valid := pinyinSyllables()
	exceptions := romanize.NeutralContexts()
	n := 0
	for _, file := range []string{"admin.jsonl", "heritage.jsonl", "culture.jsonl"} {
		f, err := data.FS.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			var r record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("%s:%d: %v", file, line, err)
			}
			if r.Specific == "" && r.Generic == "" { // as gazetteer.Derive does
				r.Specific, r.Generic = romanize.Split(r.Name)
			}
			got := romanize.Standard(r.Specific, r.Generic, r.Joined)
			if got == "" {
				t.Errorf("%s:%d %s: empty romanization", file, line, r.Name)
				continue
			}
			n++
			neutralOK := false
			for _, c := range exceptions {
				neutralOK = neutralOK || strings.Contains(r.Name, c)
			}
			for _, w := range strings.Fields(got) {
				if first := []rune(w)[0]; !unicode.IsUpper(first) && !unicode.IsDigit(first) {
					t.Errorf("%s %q: word %q does not start with a capital", r.Name, got, w)
				}
				syl, neutral, ok := parseWord(w, valid)
				switch {
				case !ok:
					t.Errorf("%s %q: word %q is not pinyin syllables with one tone mark each", r.Name, got, w)
				case syl > 7 && !r.Joined:
					t.Errorf("%s %q: word %q has %d syllables", r.Name, got, w, syl)
				case neutral > 0 && !neutralOK:
					t.Errorf("%s %q: neutral tone in %q", r.Name, got, w)
				}
			}
		}
		f.Close()
	}
	if n < 2500 {
		t.Fatalf("only %d names checked", n)
	}
}

// toneless maps each tone-marked vowel to its plain vowel (ü keeps its
// diaeresis: it is a letter, not a tone).
var toneless = map[rune]rune{
	'ā': 'a', 'á': 'a', 'ǎ': 'a', 'à': 'a', 'ē': 'e', 'é': 'e', 'ě': 'e', 'è': 'e',
	'ī': 'i', 'í': 'i', 'ǐ': 'i', 'ì': 'i', 'ō': 'o', 'ó': 'o', 'ǒ': 'o', 'ò': 'o',
	'ū': 'u', 'ú': 'u', 'ǔ': 'u', 'ù': 'u', 'ǖ': 'ü', 'ǘ': 'ü', 'ǚ': 'ü', 'ǜ': 'ü',
	'ń': 'n', 'ň': 'n', 'ǹ': 'n', 'ḿ': 'm',
}

// pinyinSyllables returns every toneless syllable of go-pinyin's dictionary,
// an independent list of the syllables of 汉语拼音方案.
func pinyinSyllables() map[string]bool {
	out := map[string]bool{}
	for _, v := range pinyin.PinyinDict {
		for _, y := range strings.Split(v, ",") {
			out[plain(y)] = true
		}
	}
	return out
}

func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if p, ok := toneless[r]; ok {
			return p
		}
		return r
	}, s)
}

// parseWord splits a written word into syllables (at hyphens and
// apostrophes, then by dynamic programming over the valid syllables, each
// with at most one tone mark) and returns the syllable count and the number
// of toneless syllables of the best split (fewest neutral, then fewest
// syllables); ok is false when no split exists. Digit runs (Dì-9) count as
// one syllable.
func parseWord(w string, valid map[string]bool) (syllables, neutral int, ok bool) {
	for _, piece := range strings.FieldsFunc(strings.ToLower(w), func(r rune) bool { return r == '-' || r == '\'' }) {
		if strings.IndexFunc(piece, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			syllables++
			continue
		}
		rs := []rune(piece)
		type best struct{ neutral, count int }
		const inf = 1 << 30
		dp := make([]best, len(rs)+1)
		for i := 1; i <= len(rs); i++ {
			dp[i] = best{inf, inf}
		}
		for i := 0; i < len(rs); i++ {
			if dp[i].neutral == inf {
				continue
			}
			for j := i + 1; j <= len(rs) && j-i <= 6; j++ {
				s := string(rs[i:j])
				marks := 0
				for _, r := range s {
					if _, ok := toneless[r]; ok {
						marks++
					}
				}
				if marks > 1 || !valid[plain(s)] {
					continue
				}
				c := best{dp[i].neutral, dp[i].count + 1}
				if marks == 0 {
					c.neutral++
				}
				if c.neutral < dp[j].neutral || (c.neutral == dp[j].neutral && c.count < dp[j].count) {
					dp[j] = c
				}
			}
		}
		if dp[len(rs)].neutral == inf {
			return 0, 0, false
		}
		syllables += dp[len(rs)].count
		neutral += dp[len(rs)].neutral
	}
	return syllables, neutral, true
}

// TestParseWord checks the checker itself.
func TestParseWord(t *testing.T) {
	valid := pinyinSyllables()
	tests := []struct {
		w                  string
		syllables, neutral int
		ok                 bool
	}{
		{"Shāntáng", 2, 0, true},
		{"Xī'ān", 2, 0, true},
		{"Jīng-Háng", 2, 0, true},
		{"Dì-9", 2, 0, true},
		{"Yámen", 2, 1, true},
		{"Shīzilín", 3, 1, true},
		{"Lǚxiàng", 2, 0, true},
		{"Zhǐǐ", 0, 0, false}, // two tone marks in one syllable
		{"Qx", 0, 0, false},
	}
	for _, tt := range tests {
		s, n, ok := parseWord(tt.w, valid)
		if s != tt.syllables || n != tt.neutral || ok != tt.ok {
			t.Errorf("parseWord(%q) = %d, %d, %v, want %d, %d, %v", tt.w, s, n, ok, tt.syllables, tt.neutral, tt.ok)
		}
	}
}
