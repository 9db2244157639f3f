package english

import (
	"slices"
	"testing"

	"wumen/gazetteer"
)

func TestDescribe(t *testing.T) {
	terms := Default()
	street := gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"}
	town := gazetteer.Category{Class: "居民点", Subclass: "城镇居民点"}
	for _, c := range []struct {
		p    gazetteer.Place
		want string
	}{
		{gazetteer.Place{Name: "山塘街", Specific: "山塘", Generic: "街", Category: street}, "Shantang Jie (street)"},
		{gazetteer.Place{Name: "平江路", Specific: "平江", Generic: "路", Category: street}, "Pingjiang Lu (road)"},
		{gazetteer.Place{Name: "太湖", Specific: "太", Generic: "湖"}, "Tai Hu (lake)"},
		{gazetteer.Place{Name: "宝带桥", Specific: "宝带", Generic: "桥"}, "Baodai Qiao (bridge)"},
		// joined, on the 古镇 list: the list's word, not 桥 (枫桥 the town is no bridge)
		{gazetteer.Place{Name: "枫桥", Joined: true, Category: town,
			Heritage: []gazetteer.Heritage{{List: "江苏省地名文化遗产保护名录（古镇）"}}}, "Fengqiao (historic town)"},
		// joined, no list: the subclass
		{gazetteer.Place{Name: "陆巷", Joined: true, Category: gazetteer.Category{Class: "居民点", Subclass: "农村居民点"}}, "Luxiang (village)"},
		// 浒 read Xǔ (the place-name reading), the sign form's case undone
		{gazetteer.Place{Name: "浒墅关大道", Specific: "浒墅关", Generic: "大道", Category: street}, "Xushuguan Dadao (avenue)"},
		// the sign form is used as the store derived it
		{gazetteer.Place{Name: "西安路", Sign: "XI'AN LU", Generic: "路"}, "Xi'an Lu (road)"},
	} {
		if got := terms.Describe(&c.p); got != c.want {
			t.Errorf("Describe(%s) = %q, want %q", c.p.Name, got, c.want)
		}
	}
}

func TestGenerics(t *testing.T) {
	terms := Default()
	if g := terms.Generics("Street"); !slices.Contains(g, "街") || !slices.Contains(g, "大街") {
		t.Errorf("Generics(Street) = %v, want 街 and 大街", g)
	}
	if g := terms.Generics("hill"); !slices.Equal(g, []string{"山"}) {
		t.Errorf("Generics(hill) = %v", g)
	}
	if g := terms.Generics("xyz"); g != nil {
		t.Errorf("Generics(xyz) = %v, want none", g)
	}
}

func TestName(t *testing.T) {
	p := gazetteer.Place{Name: "沧浪亭", Names: []gazetteer.Name{
		{Text: "Surging Wave Pavilion", Kind: gazetteer.KindConventional, Lang: "en", Citation: "x"},
		{Text: "Canglang Pavilion", Kind: gazetteer.KindOfficial, Lang: "en", Citation: "UNESCO"},
		{Text: "Canglang", Kind: gazetteer.KindAlias, Script: gazetteer.ScriptLatin},
	}}
	if n, ok := Name(&p); !ok || n.Text != "Canglang Pavilion" {
		t.Errorf("Name = %v %v, want the official name", n, ok)
	}
	if ns := Names(&p); len(ns) != 2 || ns[0].Text != "Canglang Pavilion" || ns[1].Text != "Surging Wave Pavilion" {
		t.Errorf("Names = %v", ns)
	}
	if _, ok := Name(&gazetteer.Place{Name: "山塘街"}); ok {
		t.Error("a place without English names has one")
	}
}

func TestParseTermsErrors(t *testing.T) {
	for _, text := range []string{
		"of\tchinese\tenglish\nword\t街\tstreet\n",
		"of\tchinese\tenglish\ngeneric\t街\n",
		"of\tchinese\tenglish\ngeneric\t街\tstreet\ngeneric\t街\troad\n",
	} {
		if _, err := ParseTerms(text); err == nil {
			t.Errorf("ParseTerms(%q) accepted a bad table", text)
		}
	}
}
