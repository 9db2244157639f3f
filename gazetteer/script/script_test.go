package script

import (
	"fmt"
	"strings"
	"testing"
)

func TestToSimplified(t *testing.T) {
	tests := []struct{ in, want string }{
		{"蘇州", "苏州"},
		{"閶門", "阊门"},
		{"蘇州閶門", "苏州阊门"},
		{"虎丘", "虎丘"},   // common to both scripts
		{"平江府", "平江府"}, // common to both scripts
		{"觀前街", "观前街"},
		{"滄浪亭", "沧浪亭"},
		{"乾隆", "乾隆"}, // phrase: 乾 kept (TSPhrases)
		{"乾", "干"},   // character alone
		{"拙政園", "拙政园"},
		{"寒山寺 Hanshan", "寒山寺 Hanshan"}, // non-Han passes through
		{"", ""},
	}
	for _, tt := range tests {
		if got := ToSimplified(tt.in); got != tt.want {
			t.Errorf("ToSimplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestToTraditional(t *testing.T) {
	tests := []struct{ in, want string }{
		{"苏州", "蘇州"},
		{"阊门", "閶門"},
		{"干将路", "干將路"}, // phrase: 干将 is a name, 干 kept (STPhrases)
		{"拙政园", "拙政園"},
		{"虎丘", "虎丘"},
		{"苏州市", "蘇州市"},
	}
	for _, tt := range tests {
		if got := ToTraditional(tt.in); got != tt.want {
			t.Errorf("ToTraditional(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsTraditional(t *testing.T) {
	tests := []struct {
		r          rune
		trad, simp bool
	}{
		{'蘇', true, false},
		{'閶', true, false},
		{'門', true, false},
		{'苏', false, true},
		{'门', false, true},
		{'州', false, false},
		{'街', false, false},
		{'乾', false, false}, // kept in simplified 乾隆
		{'干', false, false}, // kept in traditional 干涉
		{'后', false, false}, // kept in traditional 皇后
		{'A', false, false},
	}
	for _, tt := range tests {
		if got := IsTraditional(tt.r); got != tt.trad {
			t.Errorf("IsTraditional(%q) = %v, want %v", tt.r, got, tt.trad)
		}
		if got := IsSimplified(tt.r); got != tt.simp {
			t.Errorf("IsSimplified(%q) = %v, want %v", tt.r, got, tt.simp)
		}
	}
}

func TestMixed(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"蘇州街", false}, // traditional + common
		{"苏州街", false}, // simplified + common
		{"蘇州门", true},  // 蘇 traditional-only, 门 simplified-only
		{"苏州閶門", true},
		{"虎丘", false},
		{"乾隆路", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Mixed(tt.in); got != tt.want {
			t.Errorf("Mixed(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestRoundTripCharacters checks the loaded tables are consistent: every
// traditional-only character simplifies to something that is not itself
// traditional-only.
func TestRoundTripCharacters(t *testing.T) {
	d := s2t()
	if len(d.tradOnly) < 2000 || len(d.simpOnly) < 2000 {
		t.Fatalf("tables look truncated: %d traditional-only, %d simplified-only", len(d.tradOnly), len(d.simpOnly))
	}
	for r := range d.tradOnly {
		s := ToSimplified(string(r))
		for _, c := range s {
			if IsTraditional(c) {
				t.Errorf("ToSimplified(%q) = %q still traditional-only", r, s)
			}
		}
	}
}

func TestDictFilesHaveHeaders(t *testing.T) {
	for _, name := range []string{"TSCharacters", "TSPhrases", "STCharacters", "STPhrases"} {
		fsys := tsFS
		if strings.HasPrefix(name, "ST") {
			fsys = stFS
		}
		b, err := fsys.ReadFile("dict/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "# "+name+" from OpenCC") {
			t.Errorf("%s.txt: missing source header", name)
		}
	}
}

func BenchmarkToSimplified(b *testing.B) {
	s := "蘇州閶門外山塘街，觀前街與平江路之間的拙政園、獅子林"
	t2s()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		ToSimplified(s)
	}
}

func ExampleToSimplified() {
	fmt.Println(ToSimplified("蘇州閶門"))
	fmt.Println(ToTraditional("苏州"))
	// Output:
	// 苏州阊门
	// 蘇州
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"蘇州·閶門":        "苏州阊门",
		"Shāntáng Jiē": "shantangjie",
		"ＰＩＮＧ　ＪＩＡＮＧ":   "pingjiang",
		"平江路（北段）":      "平江路北段",
		"Lǜ":           "lv",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
