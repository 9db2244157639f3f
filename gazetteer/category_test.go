package gazetteer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"wumen/data"
	"wumen/gazetteer"
)

// shippedCategories is the category table of the shipped dataset.
func shippedCategories(t testing.TB) *gazetteer.Categories {
	t.Helper()
	b, err := data.FS.ReadFile("categories.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := gazetteer.ParseCategories(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestResolveCategory writes categories the ways officers, census tables and
// English texts write them.
func TestResolveCategory(t *testing.T) {
	for _, c := range []*gazetteer.Categories{shippedCategories(t), gazetteer.DefaultCategories()} {
		for _, tc := range []struct{ written, want, by string }{
			{"交通运输设施/道路街巷", "交通运输设施/道路街巷", gazetteer.CategoryByPath},
			{"交通运输设施／道路街巷", "交通运输设施/道路街巷", gazetteer.CategoryByPath},
			{" 交通运输设施 - 道路街巷 ", "交通运输设施/道路街巷", gazetteer.CategoryByPath},
			{"道路街巷", "交通运输设施/道路街巷", gazetteer.CategoryBySubclass},
			{"街巷", "交通运输设施/道路街巷", gazetteer.CategoryByAlias},
			{"交通运输设施/街巷", "交通运输设施/道路街巷", gazetteer.CategoryByAlias},
			{"街", "交通运输设施/道路街巷", gazetteer.CategoryByGeneric},
			{"巷", "交通运输设施/道路街巷", gazetteer.CategoryByGeneric},
			{"路", "交通运输设施/道路街巷", gazetteer.CategoryByGeneric},
			{"桥", "交通运输设施/桥梁", gazetteer.CategoryByGeneric},
			{"桥梁", "交通运输设施/桥梁", gazetteer.CategoryBySubclass},
			{"橋梁", "交通运输设施/桥梁", gazetteer.CategoryBySubclass},
			{"湖泊", "陆地水系/湖泊", gazetteer.CategoryBySubclass},
			{"湖", "陆地水系/湖泊", gazetteer.CategoryByGeneric},
			{"Street", "交通运输设施/道路街巷", gazetteer.CategoryByEnglish},
			{"ＳＴＲＥＥＴ", "交通运输设施/道路街巷", gazetteer.CategoryByEnglish},
			{"bridges", "交通运输设施/桥梁", gazetteer.CategoryByEnglish},
			{"lake", "陆地水系/湖泊", gazetteer.CategoryByEnglish},
			{"scenic area", "纪念地旅游景点/公园风景区", gazetteer.CategoryByEnglish},
			{"2624", "纪念地旅游景点/亭台碑塔", gazetteer.CategoryByCode},
			{"2629", "纪念地旅游景点/亭台碑塔", gazetteer.CategoryByCode},
			{"陆地水系", "陆地水系", gazetteer.CategoryByClass},
			{"镇", "行政区域/镇", gazetteer.CategoryBySubclass},
			{"街道", "行政区域/街道", gazetteer.CategoryBySubclass},
			{"村委会", "群众自治组织/村民委员会", gazetteer.CategoryByGeneric},
			{"群众自治组织/村委会", "群众自治组织/村民委员会", gazetteer.CategoryByGeneric},
			{"居委会", "群众自治组织/社区居民委员会", gazetteer.CategoryByGeneric},
			{"居民点/住宅区", "居民点/城镇居民点", gazetteer.CategoryByAlias},
		} {
			m, err := c.Resolve(tc.written)
			if err != nil {
				t.Errorf("Resolve(%q): %v", tc.written, err)
				continue
			}
			if m.Category.String() != tc.want || m.By != tc.by {
				t.Errorf("Resolve(%q) = %s by %s, want %s by %s", tc.written, m.Category, m.By, tc.want, tc.by)
			}
		}
	}
	m, _ := shippedCategories(t).Resolve("2621")
	if m.Category.Code != "2621" {
		t.Errorf("a code keeps the code written: %+v", m.Category)
	}
}

func TestResolveCategoryAmbiguous(t *testing.T) {
	c := shippedCategories(t)
	for written, want := range map[string][]string{
		"村":       {"群众自治组织/村民委员会", "居民点/农村居民点"},
		"village": {"群众自治组织/村民委员会", "居民点/农村居民点"},
		"塘":       {"陆地水系/河流", "陆地水系/池塘"},
	} {
		ms, found := c.Lookup(written)
		if !found || fmt.Sprint(cats(ms)) != fmt.Sprint(want) {
			t.Errorf("Lookup(%q) = %v %v, want the readings %v", written, cats(ms), found, want)
		}
		_, err := c.Resolve(written)
		if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), want[0]) || !strings.Contains(err.Error(), want[1]) ||
			!strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), "多种可能") {
			t.Errorf("Resolve(%q) error %v: want both readings named", written, err)
		}
	}
}

func TestResolveCategoryUnknown(t *testing.T) {
	c := shippedCategories(t)
	for written, nearest := range map[string]string{
		"街道巷":     "交通运输设施/道路街巷",
		"湖泊类":     "陆地水系/湖泊",
		"stret":   "交通运输设施/道路街巷",
		"brigde":  "交通运输设施/桥梁",
		"陆地水系/海湾": "陆地水系",
	} {
		ms, found := c.Lookup(written)
		if found {
			t.Errorf("Lookup(%q) found %v, want not found", written, cats(ms))
			continue
		}
		if !strings.Contains(fmt.Sprint(cats(ms)), nearest) {
			t.Errorf("Lookup(%q) nearest %v, want %s among them", written, cats(ms), nearest)
		}
		_, err := c.Resolve(written)
		if gazetteer.ErrorCode(err) != gazetteer.EInvalid || !strings.Contains(err.Error(), "unknown category") ||
			!strings.Contains(err.Error(), "未知类别") || !strings.Contains(err.Error(), "category:") {
			t.Errorf("Resolve(%q) error %v", written, err)
		}
	}
	if _, err := c.Resolve("  "); gazetteer.ErrorCode(err) != gazetteer.EInvalid {
		t.Errorf("an empty category: %v", err)
	}
}

func TestCategoryFromName(t *testing.T) {
	c := shippedCategories(t)
	for name, want := range map[string]string{
		"山塘街": "交通运输设施/道路街巷", "大儒巷": "交通运输设施/道路街巷", "平江路": "交通运输设施/道路街巷",
		"宝带桥": "交通运输设施/桥梁", "金鸡湖": "陆地水系/湖泊", "新湖村": "群众自治组织/村民委员会",
		"平江街道": "行政区域/街道", "木渎镇": "行政区域/镇", "寒山寺": "纪念地旅游景点/宗教纪念地",
		"北寺塔": "纪念地旅游景点/亭台碑塔", "拙政园": "纪念地旅游景点/公园风景区", "元和塘": "陆地水系/河流",
		"苏州工业园区": "非行政区域/开发区", "京杭大运河": "陆地水系/运河", "寶帶橋": "交通运输设施/桥梁", "拙政園": "纪念地旅游景点/公园风景区",
	} {
		m, _, ok := c.FromName(name)
		if !ok || m.Category.String() != want || m.By != gazetteer.CategoryByGeneric {
			t.Errorf("FromName(%q) = %s %v, want %s", name, m.Category, ok, want)
		}
	}
	m, alt, _ := c.FromName("新湖村")
	if m.Form != "村" || len(alt) != 1 || alt[0].String() != "居民点/农村居民点" {
		t.Errorf("新湖村: form %q alternatives %v", m.Form, alt)
	}
	for _, name := range []string{"周庄", "虎丘", "街", ""} {
		if m, _, ok := c.FromName(name); ok {
			t.Errorf("FromName(%q) = %s, want no generic", name, m.Category)
		}
	}
}

// TestCategoryFormsKnown checks that every row of the forms table points at a
// category of the shipped table: a typo there would silently never match.
func TestCategoryFormsKnown(t *testing.T) {
	c := shippedCategories(t)
	for _, w := range []string{"街巷", "street", "2624", "村委会", "古桥", "museum", "resort", "故居"} {
		ms, found := c.Lookup(w)
		if !found {
			t.Errorf("%s: not found (nearest %v)", w, cats(ms))
		}
	}
}

func cats(ms []gazetteer.CategoryMatch) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Category.String())
	}
	return s
}

// TestCategoryForms: the forms of a category are those that read as it
// alone — the 子类, aliases, 通名, English and codes — and never an
// ambiguous one (村, village).
func TestCategoryForms(t *testing.T) {
	c := shippedCategories(t)
	forms := func(cat gazetteer.Category) []string {
		var s []string
		for _, m := range c.Forms(cat) {
			s = append(s, m.Form)
		}
		return s
	}
	street := forms(gazetteer.Category{Class: "交通运输设施", Subclass: "道路街巷"})
	for _, want := range []string{"道路街巷", "街巷", "街", "路", "巷", "street", "road"} {
		if !slices.Contains(street, want) {
			t.Errorf("道路街巷: forms %v, want %q among them", street, want)
		}
	}
	if street[0] != "道路街巷" {
		t.Errorf("道路街巷: the 子类 must come first: %v", street)
	}
	village := forms(gazetteer.Category{Class: "群众自治组织", Subclass: "村民委员会"})
	if slices.Contains(village, "村") || slices.Contains(village, "village") || !slices.Contains(village, "村委会") {
		t.Errorf("村民委员会: forms %v, want 村委会 and not the ambiguous 村 or village", village)
	}
	for _, f := range append(street, village...) {
		if ms, found := c.Lookup(f); !found || len(ms) != 1 {
			t.Errorf("form %q does not read as one category: %v", f, cats(ms))
		}
	}
}
