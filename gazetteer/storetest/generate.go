package storetest

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"

	"wumen/gazetteer"
)

// Real Suzhou 专名 and 通名 characters, for generated records of realistic
// length and shape.
var (
	specificRunes = []rune("山塘平江观前十全学士钮家大儒悬桥丁香卫道胡厢使肖宝带枫吴门江村寿星胥盘葑娄齐相阊金虎丘灵岩天穹窿上方七子渔洋东西南北莫厘缥缈虞拙政留网师狮林沧浪环秀艺圃耦退思怡木渎甪直光福同里周庄锦溪千灯沙溪黎震泽盛平望古凤凰巴城浏河浒墅关唯亭娄葑斜塘横泾越溪")
	genericWords  = []string{"街", "路", "巷", "弄", "坊", "桥", "河", "浜", "港", "塘", "泾", "湖", "山", "村", "社区", "园", "门"}
)

// GenRecords returns n generated place records as JSON Lines
// (WriteRecords).
func GenRecords(n int, seed uint64) []byte {
	var buf bytes.Buffer
	WriteRecords(&buf, n, seed)
	return buf.Bytes()
}

// WriteRecords writes n generated place records as JSON Lines, for
// benchmarks: a real 专名 of one to four characters and a 通名, half of
// them with a point marked as a generated estimate, and two admin parents.
// The same seed gives the same records.
func WriteRecords(w io.Writer, n int, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := 1; i <= n; i++ {
		k := 1 + r.IntN(4)
		var sb strings.Builder
		for j := 0; j < k; j++ {
			sb.WriteRune(specificRunes[r.IntN(len(specificRunes))])
		}
		g := genericWords[r.IntN(len(genericWords))]
		p := gazetteer.Place{ID: int64(i), Name: sb.String() + g, Specific: sb.String(), Generic: g,
			Category: gazetteer.Category{Class: "非行政区域"}, Status: gazetteer.StatusCurrent,
			Admin: []string{"3205", "320508"}}
		if r.IntN(2) == 0 {
			p.Geometry = orb.Point{120.5 + r.Float64()*0.3, 31.2 + r.Float64()*0.2}
			p.Coord = &gazetteer.Coord{Method: "estimated", AccuracyM: 1000, Note: "generated benchmark record"}
		}
		enc.Encode(&p)
	}
}
