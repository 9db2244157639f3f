package romanize

import (
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"
)

// TestReadingsSameAsGoPinyin holds readings.txt to the go-pinyin version in
// go.mod: every character the library reads has the same readings in the
// same order, and no other character has any. A go-pinyin upgrade fails
// here until `go run ./gazetteer/romanize/internal/genreadings` is run.
func TestReadingsSameAsGoPinyin(t *testing.T) {
	n := 0
	for k, v := range pinyin.PinyinDict {
		got := strings.Join(readings(rune(k)), ",")
		if got != v {
			t.Fatalf("U+%04X %c: readings.txt has %q, go-pinyin %q", k, rune(k), got, v)
		}
		if v != "" {
			n++
		}
	}
	if len(readingData().chars) != n {
		t.Fatalf("readings.txt has %d characters, go-pinyin %d", len(readingData().chars), n)
	}
	for _, r := range []rune{'a', '。', 0x2FFFF + 1, 0x10FFFF} {
		if _, ok := pinyin.PinyinDict[int(r)]; !ok && readings(r) != nil {
			t.Errorf("U+%04X: readings.txt has %q, go-pinyin none", r, readings(r))
		}
	}
}

// TestParseReadingsErrors: a damaged line is named by its line number.
func TestParseReadingsErrors(t *testing.T) {
	for _, text := range []string{"12295\tlíng\nx\tqiū\n", "12295\tlíng\n\t\n", "12295 líng\n", "0\tqiū\n"} {
		_, err := parseReadings(text)
		if err == nil || !strings.HasPrefix(err.Error(), "readings.txt:") {
			t.Errorf("%q: %v, want an error naming readings.txt and the line", text, err)
		}
	}
	tb, err := parseReadings("12295\tlíng,yuán\n1017\tqiū\n\ttiàn\n")
	if err != nil || len(tb.chars) != 3 || tb.chars[2] != 0x3401 || tb.reads[0] != "líng,yuán" {
		t.Fatalf("%+v %v", tb, err)
	}
}
