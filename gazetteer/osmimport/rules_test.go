package osmimport

import (
	"strings"
	"testing"

	"github.com/paulmach/osm"

	"wumen/gazetteer"
)

func tagsOf(s string) osm.Tags {
	var t osm.Tags
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(kv, "=")
		t = append(t, osm.Tag{Key: k, Value: v})
	}
	return t
}

// TestEveryRule gives each rule of data/osm_tags.tsv an object it must
// decide, and fails if a rule has no example (a new rule needs one here).
func TestEveryRule(t *testing.T) {
	m := mapping(t)
	cases := []struct{ tags, want string }{
		{"boundary=administrative,admin_level=5,name=苏州市", "行政区域/地级市"},
		{"boundary=administrative,admin_level=6,place:CN=district,name=姑苏", "行政区域/市辖区"},
		{"boundary=administrative,admin_level=6,place:CN=county-level_city,name=常熟", "行政区域/县级市"},
		{"boundary=administrative,admin_level=6,name=吴中区", "行政区域/市辖区"},
		{"boundary=administrative,admin_level=6,name=昆山市", "行政区域/县级市"},
		{"boundary=administrative,admin_level=6,name=吴县", "行政区域/县"},
		{"boundary=administrative,admin_level=8,place:CN=subdistrict,name=平江", "行政区域/街道"},
		{"boundary=administrative,admin_level=8,name=双塔街道", "行政区域/街道"},
		{"boundary=administrative,admin_level=8,name=木渎镇", "行政区域/镇"},
		{"boundary=administrative,admin_level=8,name=某乡", "行政区域/乡"},
		{"boundary=administrative,admin_level=4,name=江苏省", "行政区域"},
		{"boundary=administrative,admin_level=10,name=某村", "skip:an administrative boundary outside admin_level 4–9"},
		{"man_made=bridge,name=宝带桥", "交通运输设施/桥梁"},
		{"highway=primary,bridge=yes,name=觅渡桥", "交通运输设施/桥梁"},
		{"highway=primary,bridge=yes,name=人民路", "交通运输设施/道路街巷"},
		{"highway=residential,name=菉葭巷", "交通运输设施/道路街巷"},
		{"highway=footway", "skip:a highway without a name"},
		{"waterway=canal,name=平江河", "陆地水系/运河"},
		{"waterway=river,name=胥江", "陆地水系/河流"},
		{"waterway=ditch,name=某沟", "skip:a waterway that is not"},
		{"natural=water,water=river,name=外城河", "陆地水系/河流"},
		{"natural=water,water=pond,name=某池", "陆地水系/池塘"},
		{"natural=water,name=金鸡湖", "陆地水系/湖泊"},
		{"water=reservoir,name=某水库", "陆地水系/湖泊"},
		{"place=island,name=桃花岛", "陆地地形/岛屿"},
		{"place=town,name=木渎", "居民点/城镇居民点"},
		{"place=village,name=陆巷", "居民点/农村居民点"},
		{"place=neighbourhood,name=大儒巷社区", "居民点/居民点"},
		{"historic=city_gate,name=盘门", "纪念地旅游景点/城墙堡"},
		{"leisure=garden,historic=yes,name=狮子林", "纪念地旅游景点/公园风景区"},
		{"amenity=place_of_worship,name=寒山寺", "纪念地旅游景点/宗教纪念地"},
		{"historic=memorial,name=某纪念碑", "纪念地旅游景点/人物事件纪念地"},
		{"historic=ruins,name=某遗址", "纪念地旅游景点/遗址"},
		{"historic=yes,name=北寺塔", "纪念地旅游景点/名胜古迹"},
		{"tourism=museum,name=苏州博物馆", "单位/文化单位"},
		{"tourism=attraction,name=七里山塘", "纪念地旅游景点/名胜古迹"},
		{"building=yes,name=某客栈", "skip:a building"},
		{"shop=tea,name=某茶庄", "none"},
		{"name:zh=山塘街,highway=pedestrian", "交通运输设施/道路街巷"},
	}
	hit := map[int]bool{}
	for _, c := range cases {
		r, _ := m.Match(tagsOf(c.tags))
		got := "none"
		switch {
		case r == nil:
		case r.Skip:
			got = "skip:" + r.Reason
			hit[r.Line] = true
		default:
			got = categoryName(r.Category)
			hit[r.Line] = true
		}
		if !strings.HasPrefix(got, c.want) || (c.want == "行政区域" && got != c.want) {
			t.Errorf("%s → %s, want %s", c.tags, got, c.want)
		}
	}
	for _, r := range m.Rules {
		if !hit[r.Line] {
			t.Errorf("osm_tags.tsv:%d (%s) has no example in TestEveryRule", r.Line, r.When)
		}
	}
}

func TestNames(t *testing.T) {
	m := mapping(t)
	tags := tagsOf("name=平江路,name:zh-Hans=平江路,name:zh-Hant=平江路,name:en=Pingjiang Road,alt_name=甲巷;乙巷,old_name=舊名街,official_name=苏州平江路,loc_name=平江,short_name=平路")
	std := m.standardName(tags)
	got := m.names(tags, std)
	want := []gazetteer.Name{
		{Text: "Pingjiang Road", Script: "latin", Kind: "alias"},
		{Text: "苏州平江路", Script: "hans", Kind: "alias"},
		{Text: "甲巷", Script: "hans", Kind: "alias"},
		{Text: "乙巷", Script: "hans", Kind: "alias"},
		{Text: "平江", Script: "hans", Kind: "colloquial"},
		{Text: "平路", Script: "hans", Kind: "abbreviation"},
		{Text: "舊名街", Script: "hant", Kind: "historical"},
	}
	if std != "平江路" || len(got) != len(want) {
		t.Fatalf("standard %q, names %+v", std, got)
	}
	for i := range want {
		want[i].Citation = citation
		if got[i] != want[i] {
			t.Errorf("names[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	// name:zh-Hans is preferred over name; a traditional form of it is kept.
	tags = tagsOf("name=蘇州,name:zh-Hans=苏州,name:zh-Hant=蘇州")
	if std := m.standardName(tags); std != "苏州" {
		t.Errorf("standard %q", std)
	}
	if got := m.names(tags, "苏州"); len(got) != 1 || got[0].Kind != "standard" || got[0].Script != "hant" || got[0].Text != "蘇州" {
		t.Errorf("names %+v", got)
	}
	for in, want := range map[string]string{"ref:admin:CN:nbs=320508018000": "320508018", "ref:admin:CN=320508": "320508",
		"ref:admin:CN:nbs=320508000000": "320508", "ref:admin:CN=Q1": ""} {
		if got := m.code(tagsOf(in)); got != want {
			t.Errorf("code(%s) = %q, want %q", in, got, want)
		}
	}
	if got := m.wikidata(tagsOf("wikidata=Q42130")); got != "Q42130" {
		t.Errorf("wikidata %q", got)
	}
}

func TestParseMappingErrors(t *testing.T) {
	names := []byte("name\tstandard\tauto\n")
	for tags, want := range map[string]string{
		"highway=* name\t交通运输设施\n":                    "osm_tags.tsv:1: 2 tab-separated columns, want 5",
		"highway=* name\t交通运输设施\t飞机场\t-\t500\n":       "osm_tags.tsv:1: class: unknown category 交通运输设施/飞机场",
		"highway=*\t-\t\t-\t0\n":                      "a skip rule needs its reason",
		"highway=* name\t交通运输设施\t道路街巷\tfar\t500\n":    "merge_m: \"far\" is not a distance",
		"# c\nhighway=* name\t交通运输设施\t道路街巷\t20\t-1\n": "osm_tags.tsv:2: match_m",
	} {
		cb := []byte(`[{"class":"交通运输设施","subclasses":["道路街巷"]}]`)
		cats, _ := gazetteer.ParseCategories(cb)
		_, err := ParseMapping([]byte(tags), "osm_tags.tsv", names, "osm_names.tsv", cats)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", tags, err, want)
		}
	}
	_, err := ParseMapping(nil, "osm_tags.tsv", []byte("name\tofficial\tauto\n"), "osm_names.tsv", nil)
	if err == nil || !strings.Contains(err.Error(), "osm_names.tsv:1: kind: unknown name kind \"official\"") {
		t.Errorf("bad kind: %v", err)
	}
}
